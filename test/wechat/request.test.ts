/**
 * The transport shared by every endpoint (src/wechat/request.ts), driven through getAccessToken and
 * getTicket: parsing, HTTP and network failures, timeouts and message hygiene.
 */
import { describe, expect, it } from 'vitest';
import { WeChatApiError } from '../../src/errors.js';
import { getAccessToken, getTicket } from '../../src/wechat/index.js';
import { depsWith, failureOf, hangingFetch, json, raw, stubFetch } from './fetch-stub.js';

const APP = { appid: 'wx1', secret: 'S1' };
const TICKET = { appid: 'wx1', accessToken: 'AT-1', type: 'jsapi' } as const;

describe('requestWeChat (via the endpoint functions)', () => {
  it('normalises an errcode sent as a string', async () => {
    const stub = stubFetch(json({ errcode: '40001', errmsg: 'invalid credential' }));
    await expect(getTicket(depsWith(stub.fetch), TICKET)).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_API',
      errcode: 40001,
      kind: 'token_invalid',
    });
  });

  it('treats errcode "0" as success', async () => {
    const stub = stubFetch(json({ errcode: '0', errmsg: 'ok', ticket: 'T-1', expires_in: 7200 }));
    await expect(getTicket(depsWith(stub.fetch), TICKET)).resolves.toEqual({
      ticket: 'T-1',
      expiresIn: 7200,
    });
  });

  it('rejects a non-integer errcode as a transient HTTP error', async () => {
    const stub = stubFetch(json({ errcode: 'oops', errmsg: 'x' }));
    await expect(getTicket(depsWith(stub.fetch), TICKET)).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_HTTP',
      kind: 'transient',
    });
  });

  it('parses a body that starts with a UTF-8 BOM', async () => {
    const stub = stubFetch(raw('\uFEFF{"access_token":"AT-1","expires_in":7200}', 200, 'application/json'));
    await expect(getAccessToken(depsWith(stub.fetch), APP)).resolves.toEqual({
      accessToken: 'AT-1',
      expiresIn: 7200,
    });
  });

  it('parses JSON served as text/plain', async () => {
    const stub = stubFetch(
      raw('{"errcode":0,"errmsg":"ok","ticket":"T-1","expires_in":7200}', 200, 'text/plain'),
    );
    await expect(getTicket(depsWith(stub.fetch), TICKET)).resolves.toEqual({
      ticket: 'T-1',
      expiresIn: 7200,
    });
  });

  it('rejects an HTML 502 as a transient HTTP error carrying the status', async () => {
    const stub = stubFetch(raw('<html><body>502 Bad Gateway</body></html>', 502, 'text/html'));
    const error = await failureOf(() => getAccessToken(depsWith(stub.fetch), APP));
    expect(error).toBeInstanceOf(WeChatApiError);
    expect(error).toMatchObject({
      code: 'WR_ERR_WECHAT_HTTP',
      kind: 'transient',
      status: 502,
      errcode: undefined,
    });
    expect((error as Error).message).toBe("WeChat GET /cgi-bin/token for appid 'wx1': HTTP 502");
  });

  it('rejects a non-200 even when its body is WeChat JSON', async () => {
    const stub = stubFetch(json({ errcode: 40001, errmsg: 'x' }, 503));
    await expect(getAccessToken(depsWith(stub.fetch), APP)).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_HTTP',
      status: 503,
      kind: 'transient',
    });
  });

  it.each([
    [
      'an HTML page with status 200',
      raw('<html>upstream error</html>', 200, 'text/html'),
      'body is not JSON (text/html',
    ],
    ['an empty body', raw('', 200, 'application/json'), 'empty body'],
    ['a whitespace-only body', raw('  \n', 200, 'application/json'), 'empty body'],
    ['a BOM-only body', raw('\uFEFF', 200, 'application/json'), 'empty body'],
    ['truncated JSON', raw('{"access_token":"AT-1","expi', 200, 'application/json'), 'body is not JSON'],
    ['plain text', raw('upstream timed out', 200, 'text/plain'), 'body is not JSON (text/plain'],
    ['a JSON array', raw('[1,2]', 200, 'application/json'), 'not a JSON object'],
    ['JSON null', raw('null', 200, 'application/json'), 'not a JSON object'],
    ['a JSON string', raw('"ok"', 200, 'application/json'), 'not a JSON object'],
  ])('rejects %s as a transient HTTP error', async (_name, response, wording) => {
    const stub = stubFetch(response);
    const error = await failureOf(() => getAccessToken(depsWith(stub.fetch), APP));
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_HTTP', kind: 'transient', status: 200 });
    expect((error as Error).message).toContain(wording);
  });

  it('does not quote a non-JSON body (a proxy page may echo the URL)', async () => {
    const stub = stubFetch(raw('<html>GET /cgi-bin/token?secret=S1 failed</html>', 200, 'text/html'));
    const error = await failureOf(() => getAccessToken(depsWith(stub.fetch), APP));
    expect((error as Error).message).not.toContain('<html>');
  });

  it('rejects a network failure as a transient network error, keeping the cause', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
    const failure = new TypeError('fetch failed', { cause });
    const fetch: typeof globalThis.fetch = async () => {
      throw failure;
    };
    const error = await failureOf(() => getAccessToken(depsWith(fetch), APP));
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'transient', status: undefined });
    expect((error as Error).cause).toBe(failure);
    expect((error as Error).message).toBe(
      "WeChat GET /cgi-bin/token for appid 'wx1': network error (ECONNREFUSED)",
    );
  });

  it('rejects a body that fails mid-read as a transient network error', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"access_'));
        controller.error(new Error('socket hang up'));
      },
    });
    const stub = stubFetch(() => new Response(body, { status: 200 }));
    await expect(getAccessToken(depsWith(stub.fetch), APP)).rejects.toMatchObject({
      code: 'WR_ERR_WECHAT_NETWORK',
      kind: 'transient',
    });
  });

  it('passes an AbortSignal and times out after timeoutMs', async () => {
    const started = performance.now();
    const error = await failureOf(() => getAccessToken(depsWith(hangingFetch, { timeoutMs: 30 }), APP));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'transient' });
    expect((error as Error).message).toBe("WeChat GET /cgi-bin/token for appid 'wx1': timed out after 30 ms");
    expect(((error as Error).cause as Error).name).toBe('TimeoutError');
  });

  it('stops when the caller aborts deps.signal', async () => {
    const controller = new AbortController();
    const pending = failureOf(() =>
      getAccessToken(depsWith(hangingFetch, { signal: controller.signal }), APP),
    );
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'transient' });
    expect((error as Error).message).toContain(': aborted');
  });

  it('fails at once when deps.signal is already aborted', async () => {
    const stub = stubFetch((request) => {
      request.signal?.throwIfAborted();
      return json({ access_token: 'AT-1', expires_in: 7200 });
    });
    const error = await failureOf(() =>
      getAccessToken(depsWith(stub.fetch, { signal: AbortSignal.abort() }), APP),
    );
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'transient' });
  });

  it('hands fetch a signal even without deps.signal', async () => {
    const stub = stubFetch(json({ access_token: 'AT-1', expires_in: 7200 }));
    await getAccessToken(depsWith(stub.fetch), APP);
    expect(stub.requests[0].signal).toBeInstanceOf(AbortSignal);
    expect(stub.requests[0].signal?.aborted).toBe(false);
  });

  it('rejects an endpoint base that is not a URL as a configuration error', async () => {
    const stub = stubFetch(json({}));
    const deps = depsWith(stub.fetch, { endpoints: { api: 'not a url', work: 'x' } });
    const error = await failureOf(() => getAccessToken(deps, APP));
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'configuration' });
    expect((error as Error).message).toContain('endpoints.api is not a URL');
    expect(stub.requests).toHaveLength(0);
  });

  it('strips URL queries from errmsg and caps it', async () => {
    const errmsg =
      'invalid access_token, hint: [abc], more info at https://open.work.weixin.qq.com/devtool/query?e=40014 ' +
      'x'.repeat(400);
    const stub = stubFetch(json({ errcode: 40014, errmsg }));
    const error = await failureOf(() => getTicket(depsWith(stub.fetch), TICKET));
    const message = (error as Error).message;
    expect(message).toContain('more info at https://open.work.weixin.qq.com/devtool/query');
    expect(message).not.toContain('?e=40014');
    expect(message.length).toBeLessThan(300);
    expect(message.endsWith('…')).toBe(true);
  });

  it('rejects an errcode answer even without errmsg', async () => {
    const stub = stubFetch(json({ errcode: -1 }));
    await expect(getAccessToken(depsWith(stub.fetch), APP)).rejects.toThrow(
      "WeChat GET /cgi-bin/token for appid 'wx1': errcode -1",
    );
  });
});
