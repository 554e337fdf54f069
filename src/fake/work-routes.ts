/**
 * WeCom endpoints on qyapi.weixin.qq.com (spec/wechat-api.md §4): gettoken per (corpid, agent
 * secret), the corp JS-SDK ticket and the agent_config ticket.
 */
import { jsonResponse } from './envelope.js';
import { lifetimeMs, secondsLeft } from './fake-state.js';
import type { Route, RouteCall } from './route-kit.js';
import { admitSecret, checkAccessToken, overQuota } from './route-kit.js';
import type { TokenKind } from './token-book.js';

/** GET /cgi-bin/gettoken?corpid&corpsecret: the live token while valid, a new one after. */
const getToken: Route = (call) => {
  const { state } = call;
  const { corpid, corpsecret } = call.req.query;
  if (!corpid) return call.fail(41002);
  if (!corpsecret) return call.fail(41004);
  const corp = state.registry.corps.get(corpid);
  if (corp === undefined) return call.fail(40013);
  const agent = [...corp.agents.values()].find((candidate) => candidate.secret === corpsecret);
  // 40091 when the secret is another registered corp's, 40001 for any other wrong secret [WC-ERR].
  const other = agent === undefined ? state.registry.findAgentBySecret(corpsecret) : undefined;
  const holder = { secret: agent?.secret ?? '', frozen: false, ipWhitelist: corp.ipWhitelist };
  const denied = admitSecret(call, holder, corpsecret, {
    bucket: '/cgi-bin/gettoken',
    limits: {
      perMinute: state.options.quotas.workTokenPerMinute,
      hourly: state.options.quotas.workTokenHourly,
    },
    ipErrcode: 60020,
    secretErrcode: other !== undefined ? 40091 : 40001,
    owner: corpid,
  });
  if (denied || agent === undefined) return denied ?? call.fail(40001);
  const slot = `work:${corpid}:${agent.id}`;
  const live = state.tokens.currentValid(slot);
  const record =
    live ??
    state.tokens.rotate(
      slot,
      {
        kind: 'work_access_token',
        owner: corpid,
        agentId: agent.id,
        lifetimeMs: lifetimeMs(state, 'work_access_token', corpid),
      },
      { graceMs: undefined, dropOlder: false },
    );
  // Countdown or constant on a repeat fetch is undocumented: a switch (spec §4.1 ASSUMPTION).
  const expiresIn =
    live !== undefined && state.options.workExpiresIn === 'constant'
      ? Math.round((record.expiresAtMs - record.issuedAtMs) / 1000)
      : secondsLeft(state, record.expiresAtMs);
  return jsonResponse({ errcode: 0, errmsg: 'ok', access_token: record.value, expires_in: expiresIn });
};

/**
 * Issues a WeCom JS-SDK ticket. The corp ticket is keyed by corp, the agent_config ticket by agent
 * (ASSUMPTION); both count toward the hourly limits per corp and per agent [WC-JS].
 */
function issueTicket(call: RouteCall, kind: Extract<TokenKind, 'work_jsapi_ticket' | 'agent_config_ticket'>) {
  const { state } = call;
  const token = checkAccessToken(call, call.req.query.access_token, new Set(['work_access_token']));
  if (!token.ok) return token.response;
  if (kind === 'agent_config_ticket' && call.req.query.type !== 'agent_config') return call.fail(91040);
  const corpid = token.value.owner;
  const agentId = token.value.agentId ?? '';
  const { quotas } = state.options;
  state.quota.count(corpid, 'work-ticket');
  state.quota.count(`${corpid}:${agentId}`, 'work-ticket');
  const denied =
    overQuota(call, corpid, 'work-ticket', { hourly: quotas.workTicketCorpHourly }) ??
    overQuota(call, `${corpid}:${agentId}`, 'work-ticket', { hourly: quotas.workTicketAgentHourly });
  if (denied) return denied;
  const slot = kind === 'work_jsapi_ticket' ? `work-ticket:${corpid}` : `agent-ticket:${corpid}:${agentId}`;
  const ticket =
    state.tokens.currentValid(slot) ??
    state.tokens.rotate(
      slot,
      { kind, owner: corpid, agentId, lifetimeMs: lifetimeMs(state, kind, corpid) },
      { graceMs: undefined, dropOlder: false },
    );
  const expiresIn = Math.round((ticket.expiresAtMs - ticket.issuedAtMs) / 1000);
  return jsonResponse({ errcode: 0, errmsg: 'ok', ticket: ticket.value, expires_in: expiresIn });
}

/** Routes of the WeCom family, by path. */
export const workRoutes: Readonly<Record<string, Route>> = {
  '/cgi-bin/gettoken': getToken,
  '/cgi-bin/get_jsapi_ticket': (call) => issueTicket(call, 'work_jsapi_ticket'),
  '/cgi-bin/ticket/get': (call) => issueTicket(call, 'agent_config_ticket'),
};
