import type { WeChatDeps } from './deps.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getTicket}. */
export interface GetTicketParams {
  /** The app the ticket is for (shown in error messages only). */
  appid: string;
  /** The app's access token, or its authorizer_access_token under a third-party platform. */
  accessToken: string;
  /** `jsapi` for the JS-SDK, `wx_card` for card coupons. */
  type: 'jsapi' | 'wx_card';
}

/** A JS-SDK ticket and its lifetime. */
export interface TicketResult {
  ticket: string;
  /** Seconds the ticket stays valid (WeChat always answers 7200 while a ticket is current). */
  expiresIn: number;
}

/**
 * Gets a JS-SDK ticket: `GET {api}/cgi-bin/ticket/getticket?access_token=&type=`
 * (spec/wechat-api.md §2). Success carries `errcode: 0`.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The appid, a live access token and the ticket type.
 * @returns The ticket and its lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `ticket` (40001/40014/42001: token_invalid).
 */
export async function getTicket(deps: WeChatDeps, params: GetTicketParams): Promise<TicketResult> {
  const call: WeChatCall = {
    method: 'GET',
    host: 'api',
    path: '/cgi-bin/ticket/getticket',
    query: { access_token: params.accessToken, type: params.type },
    endpoint: 'ticket',
    subject: `appid '${params.appid}' (${params.type})`,
    secrets: [params.accessToken],
  };
  const body = await requestWeChat(deps, call);
  return { ticket: readString(body, 'ticket', call), expiresIn: readNumber(body, 'expires_in', call) };
}
