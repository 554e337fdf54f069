/**
 * Third-party platform endpoints on api.weixin.qq.com (spec/wechat-api.md §3):
 * api_component_token (needs a pushed verify ticket) and api_authorizer_token (needs a live
 * component token and a live authorization; the refresh token does not rotate).
 */
import { jsonResponse } from './envelope.js';
import { lifetimeMs, secondsLeft } from './fake-state.js';
import { field } from './request.js';
import type { Route } from './route-kit.js';
import { admitSecret, countAndCheck } from './route-kit.js';

/** POST /cgi-bin/component/api_component_token. */
const getComponentToken: Route = (call) => {
  const { json, state } = call;
  if (json === undefined) return call.fail(47001);
  const appid = field(json, 'component_appid');
  const secret = field(json, 'component_appsecret');
  const ticket = field(json, 'component_verify_ticket');
  if (!appid) return call.fail(41002);
  if (!secret) return call.fail(41004);
  const component = state.registry.components.get(appid);
  if (component === undefined) return call.fail(state.registry.apps.has(appid) ? 61011 : 40013);
  const denied = admitSecret(call, component, secret, {
    bucket: '/cgi-bin/component/api_component_token',
    limits: { daily: state.options.quotas.componentTokenDaily },
    ipErrcode: 61004,
    secretErrcode: 40125,
  });
  if (denied) return denied;
  // Any ticket pushed within its 12 h works, not only the latest [CVT][CREAT].
  const pushed = ticket ? state.tokens.get(ticket) : undefined;
  if (pushed === undefined || pushed.kind !== 'verify_ticket' || pushed.owner !== appid)
    return call.fail(61006);
  if (state.tokens.status(pushed) !== 'valid') return call.fail(61005);
  const record = state.tokens.rotate(
    `component:${appid}`,
    {
      kind: 'component_access_token',
      owner: appid,
      lifetimeMs: lifetimeMs(state, 'component_access_token', appid),
    },
    { graceMs: state.options.graceSec * 1000, dropOlder: !state.options.keepAllPredecessors },
  );
  return jsonResponse({
    component_access_token: record.value,
    expires_in: secondsLeft(state, record.expiresAtMs),
  });
};

/**
 * POST /cgi-bin/component/api_authorizer_token?component_access_token= (older docs) or
 * ?access_token= (current docs): both accepted [AAT][AAT-EN].
 */
const getAuthorizerToken: Route = (call) => {
  const { json, state, req } = call;
  const token = req.query.component_access_token || req.query.access_token;
  if (!token) return call.fail(41001);
  const record = state.tokens.get(token);
  // spec §7.3.8: a bad component token is 40001 here, an expired one 42001.
  if (record === undefined || record.kind !== 'component_access_token') return call.fail(40001);
  const status = state.tokens.status(record);
  if (status === 'expired') return call.fail(42001);
  if (status !== 'valid') return call.fail(40001);
  if (json === undefined) return call.fail(47001);
  const componentAppid = field(json, 'component_appid');
  const authorizerAppid = field(json, 'authorizer_appid');
  const refreshToken = field(json, 'authorizer_refresh_token');
  if (!componentAppid || !authorizerAppid) return call.fail(41002);
  // The token must be this component's (ASSUMPTION: 40013 otherwise).
  if (componentAppid !== record.owner) return call.fail(40013);
  const authorization = state.registry.components.get(componentAppid)?.authorizations.get(authorizerAppid);
  if (authorization === undefined || authorization.revoked || authorization.refreshToken !== refreshToken) {
    return call.fail(61023);
  }
  const denied = countAndCheck(call, authorizerAppid, '/cgi-bin/component/api_authorizer_token', {
    daily: state.options.quotas.authorizerTokenDaily,
  });
  if (denied) return denied;
  const minted = state.tokens.rotate(
    `authorizer:${componentAppid}:${authorizerAppid}`,
    {
      kind: 'authorizer_access_token',
      owner: authorizerAppid,
      componentAppid,
      lifetimeMs: lifetimeMs(state, 'authorizer_access_token', authorizerAppid),
    },
    { graceMs: state.options.graceSec * 1000, dropOlder: !state.options.keepAllPredecessors },
  );
  // The refresh token does not rotate: the same value comes back [AAT][C-RT-NOROT].
  return jsonResponse({
    authorizer_access_token: minted.value,
    expires_in: secondsLeft(state, minted.expiresAtMs),
    authorizer_refresh_token: authorization.refreshToken,
  });
};

/** Routes of the component family, by path. */
export const componentRoutes: Readonly<Record<string, Route>> = {
  '/cgi-bin/component/api_component_token': getComponentToken,
  '/cgi-bin/component/api_authorizer_token': getAuthorizerToken,
};
