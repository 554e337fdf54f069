import type { WeChatDeps } from './deps.js';
import type { AccessTokenResult } from './get-access-token.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getStableAccessToken}. */
export interface GetStableAccessTokenParams {
  appid: string;
  secret: string;
  /**
   * Invalidate the current stable token and mint a new one (20 per day, ≥ 30 s apart).
   * @default false
   */
  forceRefresh?: boolean;
}

/**
 * Gets the stable access token: `POST {api}/cgi-bin/stable_token` with a JSON body
 * `{grant_type, appid, secret, force_refresh}` (spec/wechat-api.md §1.2). In normal mode repeat calls
 * return the same token with its remaining lifetime; it is isolated from `/cgi-bin/token` tokens.
 * Success carries no errcode.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The app's appid and secret, and whether to force a new token.
 * @returns The token and its remaining lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `token`.
 */
export async function getStableAccessToken(
  deps: WeChatDeps,
  params: GetStableAccessTokenParams,
): Promise<AccessTokenResult> {
  const call: WeChatCall = {
    method: 'POST',
    host: 'api',
    path: '/cgi-bin/stable_token',
    body: {
      grant_type: 'client_credential',
      appid: params.appid,
      secret: params.secret,
      force_refresh: params.forceRefresh ?? false,
    },
    endpoint: 'token',
    subject: `appid '${params.appid}'`,
    secrets: [params.secret],
  };
  const body = await requestWeChat(deps, call);
  return {
    accessToken: readString(body, 'access_token', call),
    expiresIn: readNumber(body, 'expires_in', call),
  };
}
