import type { WeChatDeps } from './deps.js';
import type { TicketResult } from './get-ticket.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getWorkJsApiTicket} and {@link getWorkAgentTicket}. */
export interface GetWorkTicketParams {
  /** The WeCom corp id, shown in error messages only. */
  corpid: string;
  /** A live agent access token from `gettoken`. */
  accessToken: string;
}

/**
 * Gets the corp JS-SDK ticket (for `wx.config`): `GET {work}/cgi-bin/get_jsapi_ticket?access_token=`
 * (spec/wechat-api.md §4.2). Success carries `errcode: 0`. Limit: 400/h per corp, 100/h per agent.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The corp id and a live agent access token.
 * @returns The ticket and its lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `work_ticket`.
 */
export function getWorkJsApiTicket(deps: WeChatDeps, params: GetWorkTicketParams): Promise<TicketResult> {
  return fetchWorkTicket(deps, params, '/cgi-bin/get_jsapi_ticket', {});
}

/**
 * Gets the agent JS-SDK ticket (for `wx.agentConfig`):
 * `GET {work}/cgi-bin/ticket/get?access_token=&type=agent_config` (spec/wechat-api.md §4.2).
 * Same token as {@link getWorkJsApiTicket}, a different ticket.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The corp id and a live agent access token.
 * @returns The ticket and its lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `work_ticket`.
 */
export function getWorkAgentTicket(deps: WeChatDeps, params: GetWorkTicketParams): Promise<TicketResult> {
  return fetchWorkTicket(deps, params, '/cgi-bin/ticket/get', { type: 'agent_config' });
}

async function fetchWorkTicket(
  deps: WeChatDeps,
  params: GetWorkTicketParams,
  path: string,
  extraQuery: Record<string, string>,
): Promise<TicketResult> {
  const call: WeChatCall = {
    method: 'GET',
    host: 'work',
    path,
    query: { access_token: params.accessToken, ...extraQuery },
    endpoint: 'work_ticket',
    subject: `corpid '${params.corpid}'`,
    secrets: [params.accessToken],
  };
  const body = await requestWeChat(deps, call);
  return { ticket: readString(body, 'ticket', call), expiresIn: readNumber(body, 'expires_in', call) };
}
