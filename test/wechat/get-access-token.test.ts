import { describe, expect, it } from 'vitest';
import { WeChatApiError } from '../../src/errors.js';
import { getAccessToken } from '../../src/wechat/index.js';
import { depsWith, failureOf, json, stubFetch } from './fetch-stub.js';

describe('getAccessToken', () => {
  it('GETs /cgi-bin/token with grant_type, appid and secret in the query', async () => {
    const stub = stubFetch(json({ access_token: 'AT-1', expires_in: 7200 }));
    await getAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({
      url: 'https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S1',
      method: 'GET',
      body: undefined,
      headers: { accept: 'application/json' },
    });
  });

  it('returns the token and expiresIn in seconds from an answer without errcode', async () => {
    const stub = stubFetch(json({ access_token: 'AT-1', expires_in: 7000 }));
    await expect(getAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' })).resolves.toEqual({
      accessToken: 'AT-1',
      expiresIn: 7000,
    });
  });

  it('keeps the path prefix of the endpoint base', async () => {
    const stub = stubFetch(json({ access_token: 'AT-1', expires_in: 7200 }));
    const deps = depsWith(stub.fetch, { endpoints: { api: 'http://127.0.0.1:4000/api/', work: 'x' } });
    await getAccessToken(deps, { appid: 'wx1', secret: 'S1' });
    expect(stub.requests[0].url).toBe(
      'http://127.0.0.1:4000/api/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S1',
    );
  });

  it('encodes query values', async () => {
    const stub = stubFetch(json({ access_token: 'AT-1', expires_in: 7200 }));
    await getAccessToken(depsWith(stub.fetch), { appid: 'wx 1', secret: 'a+b/c&d' });
    expect(new URL(stub.requests[0].url).searchParams.get('secret')).toBe('a+b/c&d');
    expect(new URL(stub.requests[0].url).searchParams.get('appid')).toBe('wx 1');
  });

  it('rejects 40001 as a configuration error naming the path and appid', async () => {
    const stub = stubFetch(json({ errcode: 40001, errmsg: 'invalid credential rid: 1-2-3' }));
    const error = await failureOf(() => getAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' }));
    expect(error).toBeInstanceOf(WeChatApiError);
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_API', errcode: 40001, kind: 'configuration' });
    expect((error as Error).message).toContain('/cgi-bin/token');
    expect((error as Error).message).toContain("appid 'wx1'");
    expect((error as Error).message).toContain('invalid credential');
  });

  it('rejects 45009 as quota', async () => {
    const stub = stubFetch(json({ errcode: 45009, errmsg: 'reach max api daily quota limit' }));
    await expect(getAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' })).rejects.toMatchObject({
      errcode: 45009,
      kind: 'quota',
    });
  });

  it.each([
    ['no access_token', { expires_in: 7200 }],
    ['an empty access_token', { access_token: '', expires_in: 7200 }],
    ['no expires_in', { access_token: 'AT-1' }],
    ['a non-numeric expires_in', { access_token: 'AT-1', expires_in: 'soon' }],
    ['a negative expires_in', { access_token: 'AT-1', expires_in: -5 }],
    ['errcode 0 and nothing else', { errcode: 0, errmsg: 'ok' }],
  ])('rejects an answer with %s as a transient HTTP error', async (_name, body) => {
    const stub = stubFetch(json(body));
    const error = await failureOf(() => getAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' }));
    expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_HTTP', kind: 'transient', status: 200 });
    expect((error as Error).message).toContain('unexpected body');
  });

  it('accepts expires_in sent as a numeric string', async () => {
    const stub = stubFetch(json({ access_token: 'AT-1', expires_in: '7200' }));
    await expect(getAccessToken(depsWith(stub.fetch), { appid: 'wx1', secret: 'S1' })).resolves.toEqual({
      accessToken: 'AT-1',
      expiresIn: 7200,
    });
  });
});
