import type { WeChatDeps } from './deps.js';
import type { AccessTokenResult } from './get-access-token.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getWorkAccessToken}. */
export interface GetWorkAccessTokenParams {
  /** The WeCom corp id. */
  corpid: string;
  /** The agent's (app's) secret; each agent has its own token. */
  secret: string;
  /** The agent id, shown in error messages only. */
  agentId?: number | string;
}

/**
 * Gets a WeCom agent token: `GET {work}/cgi-bin/gettoken?corpid=&corpsecret=` (spec/wechat-api.md
 * §4.1). Success carries `errcode: 0`.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The corp id, the agent's secret and optionally its id.
 * @returns The token and its lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `work_token` (45009 here: frequency limit,
 *   transient).
 */
export async function getWorkAccessToken(
  deps: WeChatDeps,
  params: GetWorkAccessTokenParams,
): Promise<AccessTokenResult> {
  const agent = params.agentId === undefined ? '' : ` agent ${params.agentId}`;
  const call: WeChatCall = {
    method: 'GET',
    host: 'work',
    path: '/cgi-bin/gettoken',
    query: { corpid: params.corpid, corpsecret: params.secret },
    endpoint: 'work_token',
    subject: `corpid '${params.corpid}'${agent}`,
    secrets: [params.secret],
  };
  const body = await requestWeChat(deps, call);
  return {
    accessToken: readString(body, 'access_token', call),
    expiresIn: readNumber(body, 'expires_in', call),
  };
}
