import type { WeChatDeps } from './deps.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getAuthorizerAccessToken}. */
export interface GetAuthorizerAccessTokenParams {
  /** The third-party platform's appid. */
  componentAppid: string;
  /** A live component_access_token of that platform. */
  componentAccessToken: string;
  /** The authorizing app's appid. */
  authorizerAppid: string;
  /** The authorizer_refresh_token granted when the app authorised the platform. */
  refreshToken: string;
}

/** An authorizer_access_token, its lifetime, and the refresh token to keep. */
export interface AuthorizerAccessTokenResult {
  authorizerAccessToken: string;
  /** Seconds the token stays valid from now. */
  expiresIn: number;
  /** The refresh token WeChat returned, or the one sent when the answer has none. */
  refreshToken: string;
}

/**
 * Mints a token on an authorizer's behalf:
 * `POST {api}/cgi-bin/component/api_authorizer_token?component_access_token=` with a JSON body
 * `{component_appid, authorizer_appid, authorizer_refresh_token}` (spec/wechat-api.md §3.3).
 * Success carries no errcode.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The platform's appid and token, the authorizer's appid and refresh token.
 * @returns The authorizer token, its lifetime in seconds and the refresh token to store.
 * @throws WeChatApiError classified per endpoint family `authorizer_token` (40001/40014/42001: the
 *   component token is dead; 61023: the authorisation is revoked).
 */
export async function getAuthorizerAccessToken(
  deps: WeChatDeps,
  params: GetAuthorizerAccessTokenParams,
): Promise<AuthorizerAccessTokenResult> {
  const call: WeChatCall = {
    method: 'POST',
    host: 'api',
    path: '/cgi-bin/component/api_authorizer_token',
    // SDKs and older docs name it component_access_token; the fake and WeChat accept it (§3.3).
    query: { component_access_token: params.componentAccessToken },
    body: {
      component_appid: params.componentAppid,
      authorizer_appid: params.authorizerAppid,
      authorizer_refresh_token: params.refreshToken,
    },
    endpoint: 'authorizer_token',
    subject: `authorizer appid '${params.authorizerAppid}' of component '${params.componentAppid}'`,
    secrets: [params.componentAccessToken, params.refreshToken],
  };
  const body = await requestWeChat(deps, call);
  const returned = body.authorizer_refresh_token;
  return {
    authorizerAccessToken: readString(body, 'authorizer_access_token', call),
    expiresIn: readNumber(body, 'expires_in', call),
    // The refresh token does not rotate in practice, but store what comes back when it does (§3.3).
    refreshToken: typeof returned === 'string' && returned !== '' ? returned : params.refreshToken,
  };
}
