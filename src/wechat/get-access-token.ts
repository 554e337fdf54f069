import type { WeChatDeps } from './deps.js';
import { readNumber, readString, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getAccessToken}. */
export interface GetAccessTokenParams {
  /** Official Account / Mini Program appid. */
  appid: string;
  /** Its AppSecret. */
  secret: string;
}

/** An access token and its lifetime, as WeChat / WeCom return it. */
export interface AccessTokenResult {
  accessToken: string;
  /** Seconds the token stays valid from now (WeChat promises only "within 7200"). */
  expiresIn: number;
}

/**
 * Mints a new access token: `GET {api}/cgi-bin/token?grant_type=client_credential&appid=&secret=`
 * (spec/wechat-api.md §1.1). Every call invalidates the previous token after a 5-minute grace.
 * Success carries no errcode.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The app's appid and secret.
 * @returns The token and its lifetime in seconds.
 * @throws WeChatApiError classified per endpoint family `token` (40001 here: wrong secret).
 */
export async function getAccessToken(
  deps: WeChatDeps,
  params: GetAccessTokenParams,
): Promise<AccessTokenResult> {
  const call: WeChatCall = {
    method: 'GET',
    host: 'api',
    path: '/cgi-bin/token',
    query: { grant_type: 'client_credential', appid: params.appid, secret: params.secret },
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
