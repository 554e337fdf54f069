/**
 * Secrets, tokens, tickets and refresh tokens never reach an error's message, `String(error)`,
 * `stack` or `cause` (DESIGN.md "Inspection and control", STYLE.md rule 9), whatever goes wrong.
 */
import { describe, expect, it } from 'vitest';
import {
  getAccessToken,
  getApiQuota,
  getAuthorizerAccessToken,
  getComponentAccessToken,
  getStableAccessToken,
  getTicket,
  getWorkAccessToken,
  getWorkAgentTicket,
  getWorkJsApiTicket,
  type WeChatDeps,
} from '../../src/wechat/index.js';
import { depsWith, failureOf, hangingFetch, json, raw, stubFetch } from './fetch-stub.js';

const SECRET = 'secret-0f9e8d7c6b5a';
const TOKEN = 'token/with+odd&chars=1';
const REFRESH = 'refreshtoken-1a2b3c';
const VERIFY = 'ticket@@@verify-9z8y';

/** Each endpoint call with the sensitive values it sends. */
const CALLS: Array<[string, string[], (deps: WeChatDeps) => Promise<unknown>]> = [
  ['getAccessToken', [SECRET], (deps) => getAccessToken(deps, { appid: 'wx1', secret: SECRET })],
  ['getStableAccessToken', [SECRET], (deps) => getStableAccessToken(deps, { appid: 'wx1', secret: SECRET })],
  ['getTicket', [TOKEN], (deps) => getTicket(deps, { appid: 'wx1', accessToken: TOKEN, type: 'jsapi' })],
  [
    'getComponentAccessToken',
    [SECRET, VERIFY],
    (deps) =>
      getComponentAccessToken(deps, { componentAppid: 'wxc', componentSecret: SECRET, verifyTicket: VERIFY }),
  ],
  [
    'getAuthorizerAccessToken',
    [TOKEN, REFRESH],
    (deps) =>
      getAuthorizerAccessToken(deps, {
        componentAppid: 'wxc',
        componentAccessToken: TOKEN,
        authorizerAppid: 'wxa',
        refreshToken: REFRESH,
      }),
  ],
  [
    'getWorkAccessToken',
    [SECRET],
    (deps) => getWorkAccessToken(deps, { corpid: 'ww1', secret: SECRET, agentId: 7 }),
  ],
  ['getWorkJsApiTicket', [TOKEN], (deps) => getWorkJsApiTicket(deps, { corpid: 'ww1', accessToken: TOKEN })],
  ['getWorkAgentTicket', [TOKEN], (deps) => getWorkAgentTicket(deps, { corpid: 'ww1', accessToken: TOKEN })],
  ['getApiQuota', [TOKEN], (deps) => getApiQuota(deps, { accessToken: TOKEN, cgiPath: '/cgi-bin/token' })],
];

/** A value as it may appear: raw, percent-encoded, or form-encoded in a query string. */
function formsOf(values: string[]): string[] {
  return values.flatMap((value) => [
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
  ]);
}

/** Everything a logger could print of an error, cause chain included. */
function printable(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 6; depth++) {
    parts.push(String(e));
    if (!(e instanceof Error)) break;
    parts.push(e.message, e.stack ?? '', JSON.stringify(e));
    e = e.cause;
  }
  return parts.join('\n');
}

/** A fetch that fails the way a careless fetch implementation would: quoting the full URL and body. */
const chattyFetch: typeof globalThis.fetch = async (input, init) => {
  throw new TypeError(`request to ${String(input)} failed (body ${String(init?.body)})`, {
    cause: new Error(`socket closed while sending ${String(input)}`),
  });
};

const EVERY_FORM = formsOf([SECRET, TOKEN, REFRESH, VERIFY]).join(' ');

const FAILURES: Array<[string, () => typeof globalThis.fetch, Partial<WeChatDeps>?]> = [
  [
    'an errcode whose errmsg echoes the values sent',
    () => stubFetch(json({ errcode: 40001, errmsg: `invalid ${EVERY_FORM}` })).fetch,
  ],
  ['an HTML page echoing the values', () => stubFetch(raw(`<p>${EVERY_FORM}</p>`, 200, 'text/html')).fetch],
  ['an HTTP 500', () => stubFetch(raw(`oops ${EVERY_FORM}`, 500)).fetch],
  ['an unexpected body', () => stubFetch(json({ errcode: 0, errmsg: EVERY_FORM })).fetch],
  ['a network error quoting the URL and body', () => chattyFetch],
  ['a timeout', () => hangingFetch, { timeoutMs: 10 }],
];

describe('secrets in errors', () => {
  for (const [name, values, call] of CALLS) {
    for (const [failure, makeFetch, extra] of FAILURES) {
      it(`${name}: ${failure} leaks no secret or token`, async () => {
        const error = await failureOf(() => call(depsWith(makeFetch(), extra)));
        expect(error).toBeInstanceOf(Error);
        const text = printable(error);
        for (const form of formsOf(values)) expect(text).not.toContain(form);
        expect(text).not.toMatch(/[?&](secret|corpsecret|access_token|component_access_token)=/);
      });
    }
  }

  it('keeps a clean cause untouched', async () => {
    const cause = new TypeError('fetch failed');
    const fetch: typeof globalThis.fetch = async () => {
      throw cause;
    };
    const error = await failureOf(() => getAccessToken(depsWith(fetch), { appid: 'wx1', secret: SECRET }));
    expect((error as Error).cause).toBe(cause);
  });

  it('replaces a leaking cause by a scrubbed one of the same name', async () => {
    const error = await failureOf(() =>
      getAccessToken(depsWith(chattyFetch), { appid: 'wx1', secret: SECRET }),
    );
    const cause = (error as Error).cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toContain('request to https://api.weixin.qq.com/cgi-bin/token failed');
  });
});
