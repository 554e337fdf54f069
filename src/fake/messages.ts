/**
 * Default errmsg texts per errcode, as WeChat and WeCom word them (spec/wechat-api.md §1-§5). The
 * envelope adds the per-request suffix (`rid: ...` or `hint: [...]`); clients must branch on errcode.
 */

/** The advice the MP platform appends to token errors since 2023 [C-45009-MSG]. */
const STABLE_ADVICE =
  ', could get access_token by getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r';

const MP_MESSAGES: Readonly<Record<number, string>> = {
  [-1]: 'system error',
  40001: `invalid credential, access_token is invalid or not latest${STABLE_ADVICE}`,
  40002: 'invalid grant_type',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40125: 'invalid appsecret',
  40243: 'AppSecret is frozen, unfreeze it on the platform and retry',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  42001: 'access_token expired',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit, must slower, retry next minute',
  47001: 'data format error',
  48001: 'api unauthorized',
  48006: 'forbid to clear quota because of reaching the limit',
  61004: 'access clientip is not registered',
  61005: 'component ticket is expired',
  61006: 'component ticket is invalid',
  61011: 'invalid component',
  61023: 'refresh_token is invalid',
  61024: 'must use api(api_component_token) to get token for component acct',
  76021: 'cgi_path not found, please check',
  76022: 'could not use this cgi_path, no permission',
  89503: 'this IP call requires administrator confirmation',
};

const WORK_MESSAGES: Readonly<Record<number, string>> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40091: 'secret is invalid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  60020: 'not allow to access from your ip',
  91040: 'get ticket fail, invalid type',
};

/**
 * The errmsg WeChat (`host: 'api'`) or WeCom (`host: 'work'`) sends for an errcode, without suffix.
 * @param ip the caller's IP, for MP's whitelist message that names it (WeCom's suffix carries it).
 */
export function defaultErrmsg(host: 'api' | 'work', errcode: number, ip: string): string {
  if (host === 'work') {
    return WORK_MESSAGES[errcode] ?? `errcode ${errcode}`;
  }
  if (errcode === 40164) return `invalid ip ${ip} ipv6 ::ffff:${ip}, not in whitelist`;
  return MP_MESSAGES[errcode] ?? `errcode ${errcode}`;
}
