/**
 * The WeChat boundary (STYLE.md rule 12): one function per endpoint, each `(deps, params)`, returning a
 * typed result or throwing `WeChatApiError` with a `kind` from {@link classifyErrcode}. It knows nothing
 * of machines; `src/fake` serves the same contract.
 */

export type { WeChatEndpoint } from './classify.js';
export { classifyErrcode } from './classify.js';
export type { WeChatDeps, WeChatEndpoints } from './deps.js';
export { DEFAULT_ENDPOINTS, DEFAULT_TIMEOUT_MS } from './deps.js';
export type { AccessTokenResult, GetAccessTokenParams } from './get-access-token.js';
export { getAccessToken } from './get-access-token.js';
export type { ApiQuotaResult, GetApiQuotaParams } from './get-api-quota.js';
export { getApiQuota } from './get-api-quota.js';
export type {
  AuthorizerAccessTokenResult,
  GetAuthorizerAccessTokenParams,
} from './get-authorizer-access-token.js';
export { getAuthorizerAccessToken } from './get-authorizer-access-token.js';
export type {
  ComponentAccessTokenResult,
  GetComponentAccessTokenParams,
} from './get-component-access-token.js';
export { getComponentAccessToken } from './get-component-access-token.js';
export type { GetStableAccessTokenParams } from './get-stable-access-token.js';
export { getStableAccessToken } from './get-stable-access-token.js';
export type { GetTicketParams, TicketResult } from './get-ticket.js';
export { getTicket } from './get-ticket.js';
export type { GetWorkAccessTokenParams } from './get-work-access-token.js';
export { getWorkAccessToken } from './get-work-access-token.js';
export type { GetWorkTicketParams } from './get-work-jsapi-ticket.js';
export { getWorkAgentTicket, getWorkJsApiTicket } from './get-work-jsapi-ticket.js';
