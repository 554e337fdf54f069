/**
 * Official Account / Mini Program endpoints on api.weixin.qq.com: /cgi-bin/token (§1.1),
 * /cgi-bin/stable_token (§1.2), /cgi-bin/ticket/getticket (§2) and the /cgi-bin/getcallbackip probe.
 */

import type { FakeResponse } from './envelope.js';
import { jsonResponse } from './envelope.js';
import { lifetimeMs, secondsLeft } from './fake-state.js';
import type { AppEntry } from './registry.js';
import { field } from './request.js';
import type { Outcome, Route, RouteCall } from './route-kit.js';
import { APP_TOKEN_KINDS, admitSecret, checkAccessToken, countAndCheck } from './route-kit.js';
import type { TokenRecord } from './token-book.js';

/** Identity: unknown appid → 40013; a component's appid → 61024 [CSDN-61024]. */
function findApp(call: RouteCall, appid: string): Outcome<AppEntry> {
  const app = call.state.registry.apps.get(appid);
  if (app !== undefined) return { ok: true, value: app };
  const errcode = call.state.registry.components.has(appid) ? 61024 : 40013;
  return { ok: false, response: call.fail(errcode) };
}

function tokenBody(record: TokenRecord, expiresIn: number): FakeResponse {
  // Success without errcode [MG-GAT][STABLE].
  return jsonResponse({ access_token: record.value, expires_in: expiresIn });
}

/** GET /cgi-bin/token: every call mints; the replaced token keeps a grace window. */
const getToken: Route = (call) => {
  const { query } = call.req;
  const { state } = call;
  if (query.grant_type !== 'client_credential') return call.fail(40002);
  if (!query.appid) return call.fail(41002);
  if (!query.secret) return call.fail(41004);
  const app = findApp(call, query.appid);
  if (!app.ok) return app.response;
  const { quotas } = state.options;
  const denied = admitSecret(call, app.value, query.secret, {
    bucket: '/cgi-bin/token',
    limits: { daily: app.value.testAccount ? quotas.tokenTestAccountDaily : quotas.tokenDaily },
    ipErrcode: 40164,
    secretErrcode: 40001,
  });
  if (denied) return denied;
  const record = state.tokens.rotate(
    `token:${app.value.appid}`,
    {
      kind: 'access_token',
      owner: app.value.appid,
      lifetimeMs: lifetimeMs(state, 'access_token', app.value.appid),
    },
    { graceMs: state.options.graceSec * 1000, dropOlder: !state.options.keepAllPredecessors },
  );
  return tokenBody(record, secondsLeft(state, record.expiresAtMs));
};

/**
 * POST /cgi-bin/stable_token (JSON body only). Normal mode returns the live token while more than
 * `stableRolloverSec` remain, else rolls over (the predecessor keeps its own few minutes). Force
 * mode rotates at most once per `stableForceIntervalSec` and `stableForceDaily` times a day.
 */
const getStableToken: Route = (call) => {
  const { json, state } = call;
  // Form data or no JSON at all reads as "appid missing" [C-41002].
  if (json === undefined) return call.fail(41002);
  if (json.grant_type !== 'client_credential') return call.fail(40002);
  const appid = field(json, 'appid');
  const secret = field(json, 'secret');
  if (!appid) return call.fail(41002);
  if (!secret) return call.fail(41004);
  const app = findApp(call, appid);
  if (!app.ok) return app.response;
  const { options } = state;
  const denied = admitSecret(call, app.value, secret, {
    bucket: '/cgi-bin/stable_token',
    limits: { daily: options.quotas.stableTokenDaily, perMinute: options.quotas.stableTokenPerMinute },
    ipErrcode: 40164,
    secretErrcode: 40001,
  });
  if (denied) return denied;

  const slot = `stable:${appid}`;
  const now = state.clock.now();
  const live = state.tokens.currentValid(slot);
  const spec = {
    kind: 'stable_access_token' as const,
    owner: appid,
    lifetimeMs: lifetimeMs(state, 'stable_access_token', appid),
  };
  if (json.force_refresh === true) {
    const lastForce = state.lastForceAtMs.get(appid);
    // "calls must be >= 30 s apart, otherwise it will not refresh": no error, no rotation (ASSUMPTION).
    if (
      live !== undefined &&
      lastForce !== undefined &&
      now - lastForce < options.stableForceIntervalSec * 1000
    ) {
      return tokenBody(live, secondsLeft(state, live.expiresAtMs));
    }
    if (state.quota.used(appid, 'stable_token#force', 'day') >= options.quotas.stableForceDaily) {
      return call.fail(45009);
    }
    state.quota.count(appid, 'stable_token#force');
    state.lastForceAtMs.set(appid, now);
    // "invalidates the previously obtained token": no grace unless stableForceGrace (ASSUMPTION).
    const record = state.tokens.rotate(slot, spec, {
      graceMs: options.stableForceGrace ? options.graceSec * 1000 : 0,
      dropOlder: !options.stableForceGrace,
    });
    return tokenBody(record, secondsLeft(state, record.expiresAtMs));
  }
  // A lifetime at or below the rollover margin would mint on every call: roll over at half of it.
  const marginMs = options.stableRolloverSec * 1000;
  const rolloverMs = spec.lifetimeMs > marginMs ? marginMs : spec.lifetimeMs / 2;
  if (live !== undefined && live.expiresAtMs - now > rolloverMs) {
    return tokenBody(live, secondsLeft(state, live.expiresAtMs));
  }
  const record = state.tokens.rotate(slot, spec, { graceMs: undefined, dropOlder: false });
  return tokenBody(record, secondsLeft(state, record.expiresAtMs));
};

/**
 * GET /cgi-bin/ticket/getticket?access_token&type=jsapi|wx_card. Tickets are keyed by (appid, type)
 * (ASSUMPTION), the same one comes back while valid, expires_in always the full lifetime.
 */
const getTicket: Route = (call) => {
  const { state } = call;
  const token = checkAccessToken(call, call.req.query.access_token, APP_TOKEN_KINDS);
  if (!token.ok) return token.response;
  const type = call.req.query.type;
  // The errcode for a bad type is undocumented (ASSUMPTION: 40002).
  if (type !== 'jsapi' && type !== 'wx_card') return call.fail(40002, 'invalid ticket type');
  const appid = token.value.owner;
  const denied = countAndCheck(call, appid, '/cgi-bin/ticket/getticket', {
    daily: state.options.quotas.ticketDaily,
  });
  if (denied) return denied;
  const kind = type === 'jsapi' ? 'jsapi_ticket' : 'wx_card_ticket';
  const slot = `ticket:${type}:${appid}`;
  const ticket =
    state.tokens.currentValid(slot) ??
    state.tokens.rotate(
      slot,
      { kind, owner: appid, lifetimeMs: lifetimeMs(state, kind, appid) },
      { graceMs: undefined, dropOlder: false },
    );
  const expiresIn = Math.round((ticket.expiresAtMs - ticket.issuedAtMs) / 1000);
  return jsonResponse({ errcode: 0, errmsg: 'ok', ticket: ticket.value, expires_in: expiresIn });
};

/** GET /cgi-bin/getcallbackip?access_token: a cheap probe of whether a token works. */
const getCallbackIp: Route = (call) => {
  const token = checkAccessToken(call, call.req.query.access_token, APP_TOKEN_KINDS);
  if (!token.ok) return token.response;
  return jsonResponse({ ip_list: ['101.226.103.0/25', '101.226.233.128/25', '58.247.206.128/25'] });
};

/** Routes of the MP family, by path. */
export const mpRoutes: Readonly<Record<string, Route>> = {
  '/cgi-bin/token': getToken,
  '/cgi-bin/stable_token': getStableToken,
  '/cgi-bin/ticket/getticket': getTicket,
  '/cgi-bin/getcallbackip': getCallbackIp,
};
