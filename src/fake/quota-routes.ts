/**
 * Quota management on api.weixin.qq.com (spec/wechat-api.md §1.3): openapi/quota/get, clear_quota
 * (with a token) and clear_quota/v2 (with the AppSecret), sharing a budget of 10 clears a month.
 */
import type { FakeResponse } from './envelope.js';
import { jsonResponse } from './envelope.js';
import type { FakeState } from './fake-state.js';
import { field } from './request.js';
import type { Route, RouteCall } from './route-kit.js';
import { checkAccessToken } from './route-kit.js';
import type { TokenKind } from './token-book.js';

const QUOTA_TOKEN_KINDS: ReadonlySet<TokenKind> = new Set([
  'access_token',
  'stable_access_token',
  'authorizer_access_token',
  'component_access_token',
]);

/** Daily limit and minute limit of each cgi path quota/get knows, for one owner. */
function limitsOf(
  state: FakeState,
  owner: string,
  cgiPath: string,
): { daily: number; perMinute?: number } | undefined {
  const q = state.options.quotas;
  switch (cgiPath) {
    case '/cgi-bin/token':
      return { daily: state.registry.apps.get(owner)?.testAccount ? q.tokenTestAccountDaily : q.tokenDaily };
    case '/cgi-bin/stable_token':
      return { daily: q.stableTokenDaily, perMinute: q.stableTokenPerMinute };
    case '/cgi-bin/ticket/getticket':
      return { daily: q.ticketDaily };
    case '/cgi-bin/component/api_component_token':
      return { daily: q.componentTokenDaily };
    case '/cgi-bin/component/api_authorizer_token':
      return { daily: q.authorizerTokenDaily };
    default:
      return undefined;
  }
}

/** POST /cgi-bin/openapi/quota/get?access_token body {cgi_path}: the token owner's counters. */
const getQuota: Route = (call) => {
  const token = checkAccessToken(call, call.req.query.access_token, QUOTA_TOKEN_KINDS);
  if (!token.ok) return token.response;
  const cgiPath = field(call.json, 'cgi_path');
  const owner = token.value.owner;
  const limits = limitsOf(call.state, owner, cgiPath);
  if (limits === undefined) return call.fail(76021);
  const used = Math.min(call.state.quota.used(owner, cgiPath, 'day'), limits.daily);
  const payload: Record<string, unknown> = {
    errcode: 0,
    errmsg: 'ok',
    quota: { daily_limit: limits.daily, used, remain: limits.daily - used },
  };
  // Rate-limit blocks only for paths with a minute window (ASSUMPTION on the shape of the others).
  if (limits.perMinute !== undefined) {
    payload.rate_limit = { call_count: limits.perMinute, refresh_second: 60 };
    payload.component_rate_limit = { call_count: limits.perMinute, refresh_second: 60 };
  }
  return jsonResponse(payload);
};

/** Spends one clear from the monthly budget and zeroes the daily counters (48006 past the budget). */
function clearFor(call: RouteCall, appid: string): FakeResponse {
  const { quota, options } = call.state;
  if (quota.clearsThisMonth(appid) >= options.quotas.clearQuotaMonthly) return call.fail(48006);
  quota.countClear(appid);
  // One report says clear_quota did not clear a stable_token 45009 [C-STABLE-45009] (switch).
  quota.clearDaily(appid, options.clearQuotaClearsStable ? [] : ['/cgi-bin/stable_token']);
  return jsonResponse({ errcode: 0, errmsg: 'ok' });
}

/** POST /cgi-bin/clear_quota?access_token body {appid}: the appid must be the token's account. */
const clearQuota: Route = (call) => {
  const token = checkAccessToken(call, call.req.query.access_token, QUOTA_TOKEN_KINDS);
  if (!token.ok) return token.response;
  const appid = field(call.json, 'appid');
  if (!appid) return call.fail(41002);
  if (appid !== token.value.owner) return call.fail(40013);
  return clearFor(call, appid);
};

/** POST /cgi-bin/clear_quota/v2 with appid and appsecret, in the body (current docs) or query (older). */
const clearQuotaBySecret: Route = (call) => {
  const appid = field(call.json, 'appid') || call.req.query.appid || '';
  const secret = field(call.json, 'appsecret') || call.req.query.appsecret || '';
  if (!appid) return call.fail(41002);
  if (!secret) return call.fail(41004);
  const holder = call.state.registry.apps.get(appid) ?? call.state.registry.components.get(appid);
  if (holder === undefined) return call.fail(40013);
  if (holder.secret !== secret) return call.fail(40001);
  return clearFor(call, appid);
};

/** Routes of the quota family, by path. */
export const quotaRoutes: Readonly<Record<string, Route>> = {
  '/cgi-bin/openapi/quota/get': getQuota,
  '/cgi-bin/clear_quota': clearQuota,
  '/cgi-bin/clear_quota/v2': clearQuotaBySecret,
};
