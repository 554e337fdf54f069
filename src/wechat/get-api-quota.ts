import type { WeChatDeps } from './deps.js';
import { readNumber, requestWeChat, type WeChatCall } from './request.js';

/** Parameters of {@link getApiQuota}. */
export interface GetApiQuotaParams {
  /** An access token of the app whose quota is read. */
  accessToken: string;
  /** The API path to read the quota of, e.g. `/cgi-bin/token`. */
  cgiPath: string;
  /** The app, shown in error messages only. */
  appid?: string;
}

/** The daily quota of one API for one app. */
export interface ApiQuotaResult {
  dailyLimit: number;
  used: number;
  remain: number;
}

/**
 * Reads an API's daily quota: `POST {api}/cgi-bin/openapi/quota/get?access_token=` with a JSON body
 * `{cgi_path}` (spec/wechat-api.md §1.3). The runtime also uses it as a liveness probe of an access
 * token.
 * @param deps Injected fetch, endpoints and timeout.
 * @param params The access token and the API path.
 * @returns The limit, the calls used today and the calls left.
 * @throws WeChatApiError classified as a token-authenticated call (family `ticket`): 40001/40014/42001
 *   mean the probed token is dead.
 */
export async function getApiQuota(deps: WeChatDeps, params: GetApiQuotaParams): Promise<ApiQuotaResult> {
  const call: WeChatCall = {
    method: 'POST',
    host: 'api',
    path: '/cgi-bin/openapi/quota/get',
    query: { access_token: params.accessToken },
    body: { cgi_path: params.cgiPath },
    // Any access_token-authenticated call reads errcodes the way the ticket call does.
    endpoint: 'ticket',
    subject: params.appid === undefined ? undefined : `appid '${params.appid}'`,
    secrets: [params.accessToken],
  };
  const body = await requestWeChat(deps, call);
  const quota = body.quota;
  const fields = typeof quota === 'object' && quota !== null ? (quota as Record<string, unknown>) : {};
  return {
    dailyLimit: readNumber(fields, 'daily_limit', call, 'quota.daily_limit'),
    used: readNumber(fields, 'used', call, 'quota.used'),
    remain: readNumber(fields, 'remain', call, 'quota.remain'),
  };
}
