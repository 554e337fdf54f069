/**
 * Shared setup for the fake's tests: a SimulatedClock at a known Shanghai morning, one of each kind
 * of account, and small helpers that call the in-process fetch and parse the answer.
 */
import { SimulatedClock } from 'xstate';
import type { FakeWeChat, FakeWeChatOptions } from '../../src/fake/index.js';
import { createFakeWeChat } from '../../src/fake/index.js';

export const API = 'https://api.weixin.qq.com';
export const WORK = 'https://qyapi.weixin.qq.com';
/** 2025-03-10 10:00 in Asia/Shanghai (02:00 UTC). */
export const START_MS = Date.UTC(2025, 2, 10, 2, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

export const APP = { appid: 'wx_app', secret: 'app_secret' };
export const COMPONENT = {
  appid: 'wx_component',
  secret: 'component_secret',
  verifyTicket: 'ticket@@@initial',
  authorizers: [{ appid: 'wx_authorizer', refreshToken: 'refreshtoken@@@auth' }],
};
export const CORP = {
  corpid: 'ww_corp',
  agents: [
    { id: 1000002, secret: 'agent2_secret' },
    { id: 1000003, secret: 'agent3_secret' },
  ],
};

/** A fake with one app, one component with one authorizer, one corp with two agents. */
export function setup(options: FakeWeChatOptions = {}): { clock: SimulatedClock; fake: FakeWeChat } {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const fake = createFakeWeChat({
    apps: [APP],
    components: [COMPONENT],
    corps: [CORP],
    clock,
    seed: 42,
    ...options,
  });
  return { clock, fake };
}

/** An answer, read once. */
export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: any;
}

/** Calls the fake's fetch and reads the answer (json undefined when the body is not JSON). */
export async function call(fake: FakeWeChat, url: string, init?: RequestInit): Promise<Answer> {
  const res = await fake.fetch(url, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type'), text, json };
}

/** GET on a host with a query. */
export function get(fake: FakeWeChat, base: string, path: string, query: Record<string, string> = {}) {
  return call(fake, `${base}${path}?${new URLSearchParams(query)}`);
}

/** POST of a JSON body. */
export function post(
  fake: FakeWeChat,
  path: string,
  body: unknown,
  query: Record<string, string> = {},
): Promise<Answer> {
  const qs = Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : '';
  return call(fake, `${API}${path}${qs}`, { method: 'POST', body: JSON.stringify(body) });
}

/** /cgi-bin/token for an app. */
export function getToken(fake: FakeWeChat, appid = APP.appid, secret = APP.secret) {
  return get(fake, API, '/cgi-bin/token', { grant_type: 'client_credential', appid, secret });
}

/** /cgi-bin/stable_token for an app. */
export function getStableToken(
  fake: FakeWeChat,
  forceRefresh?: boolean,
  appid = APP.appid,
  secret = APP.secret,
) {
  const body: Record<string, unknown> = { grant_type: 'client_credential', appid, secret };
  if (forceRefresh !== undefined) body.force_refresh = forceRefresh;
  return post(fake, '/cgi-bin/stable_token', body);
}

/** A JS-SDK ticket for whoever owns the token. */
export function getTicket(fake: FakeWeChat, accessToken: string, type = 'jsapi') {
  return get(fake, API, '/cgi-bin/ticket/getticket', { access_token: accessToken, type });
}

/** The MP error suffix: `rid: 8hex-8hex-8hex` at the end of errmsg. */
export const RID = / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/;
