import type { WeChatDeps } from './deps.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getComponentAccessToken}. */
export interface GetComponentAccessTokenParams {
  /** The third-party platform's appid. */
  componentAppid: string;
  /** Its AppSecret. */
  componentSecret: string;
  /** The latest component_verify_ticket pushed by WeChat (valid 12 h). */
  verifyTicket: string;
}

/** A component_access_token and its lifetime. */
export interface ComponentAccessTokenResult {
  componentAccessToken: string;
  /** Seconds the token stays valid from now. */
  expiresIn: number;
}

/**
 * Mints a third-party platform token: `POST {api}/cgi-bin/component/api_component_token` with a JSON
 * body `{component_appid, component_appsecret, component_verify_ticket}` (spec/wechat-api.md §3.2).
 * Success carries no errcode.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The platform's appid, secret and latest verify ticket.
 * @returns The component token and its lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `component_token` (61005/61006 stale ticket:
 *   transient, a new push cures it).
 */
export async function getComponentAccessToken(
  deps: WeChatDeps,
  params: GetComponentAccessTokenParams,
): Promise<ComponentAccessTokenResult> {
  const call: WeChatCall = {
    method: 'POST',
    host: 'api',
    path: '/cgi-bin/component/api_component_token',
    body: {
      component_appid: params.componentAppid,
      component_appsecret: params.componentSecret,
      component_verify_ticket: params.verifyTicket,
    },
    endpoint: 'component_token',
    subject: `component appid '${params.componentAppid}'`,
    secrets: [params.componentSecret, params.verifyTicket],
  };
  const body = await requestWeChat(deps, call);
  return {
    componentAccessToken: readString(body, 'component_access_token', call),
    expiresIn: readNumber(body, 'expires_in', call),
  };
}
