import type { ErrorKind } from '../errors.js';

/**
 * The WeChat endpoint families whose errcodes mean different things:
 * - token minting with a secret: `token` (`/cgi-bin/token`, `/cgi-bin/stable_token`), `component_token`,
 *   `work_token`;
 * - calls authenticated by a token: `ticket` (also any other access_token call, like quota/get),
 *   `authorizer_token` (authenticated by the component token), `work_ticket`.
 */
export type WeChatEndpoint =
  | 'token'
  | 'ticket'
  | 'component_token'
  | 'authorizer_token'
  | 'work_token'
  | 'work_ticket';

/** A kind for every endpoint, or a default plus the endpoints where the errcode means something else. */
type Rule = ErrorKind | ({ default: ErrorKind } & Partial<Record<WeChatEndpoint, ErrorKind>>);

const TOKEN_DEAD: Rule = {
  // No token is sent to a minting endpoint, so "invalid/expired token" there is WeChat's hiccup.
  default: 'transient',
  ticket: 'token_invalid',
  authorizer_token: 'token_invalid',
  work_ticket: 'token_invalid',
};

/**
 * errcode → kind (spec/wechat-api.md §5, DESIGN.md "Errors"). Codes not listed are `transient`:
 * an unknown answer is retried after refreshRetryInterval rather than stopping a client for good.
 * @internal exported for tests and docs; use {@link classifyErrcode}.
 */
export const ERRCODE_RULES: Readonly<Record<number, Rule>> = Object.freeze<Record<number, Rule>>({
  [-1]: 'transient', // system busy
  45011: 'transient', // minute quota: the window passes within the retry interval
  45033: 'transient', // WeCom concurrency limit
  // Daily quota on MP/component calls; on WeCom 45009 is a per-minute/hour frequency block (§4.3).
  45009: { default: 'quota', work_token: 'transient', work_ticket: 'transient' },
  // On minting endpoints: the secret is wrong. On token-authenticated calls: the token is dead or
  // superseded (on api_authorizer_token that token is the component token).
  40001: {
    default: 'token_invalid',
    token: 'configuration',
    component_token: 'configuration',
    work_token: 'configuration',
  },
  40014: TOKEN_DEAD, // invalid access_token
  42001: TOKEN_DEAD, // access_token expired
  40002: 'configuration', // invalid grant_type / credential type (our bug)
  40013: 'configuration', // invalid appid / corpid
  40091: 'configuration', // WeCom: secret of another corp
  40125: 'configuration', // invalid appsecret
  40164: 'configuration', // caller IP not whitelisted
  40243: 'configuration', // AppSecret frozen
  41001: 'configuration', // access_token missing (our bug)
  41002: 'configuration', // appid / corpid missing
  41004: 'configuration', // secret missing
  47001: 'configuration', // data format error (our bug)
  48001: 'configuration', // api unauthorized: wrong token type or permission
  60020: 'configuration', // WeCom: IP not whitelisted
  61004: 'configuration', // component: client IP not registered
  // component_verify_ticket expired / invalid: a fresh push (every 10 min) cures it without a person,
  // so the runtime keeps retrying on its normal interval instead of backing off (spec §5 WAIT-PUSH).
  61005: 'transient',
  61006: 'transient',
  61011: 'configuration', // invalid component
  61023: 'configuration', // authorizer refresh_token invalid: authorisation revoked
  61024: 'configuration', // component appid used on /cgi-bin/token
  76021: 'configuration', // quota/get: unknown cgi_path
  76022: 'configuration', // quota/get: wrong token type
  // IP call awaiting / refused by an administrator: a person must act (spec §5 HUMAN).
  89501: 'configuration',
  89502: 'configuration',
  89503: 'configuration',
  89504: 'configuration',
  89505: 'configuration',
  89506: 'configuration',
  89507: 'configuration',
  91040: 'configuration', // WeCom: invalid ticket type
});

/**
 * The retry class of a WeChat errcode as answered by one endpoint family.
 * @param errcode WeChat's `errcode` (non-zero).
 * @param endpoint The family of the endpoint that answered.
 * @returns The {@link ErrorKind} the runtime acts on; unknown errcodes are `transient`.
 * @example classifyErrcode(40001, 'ticket') // 'token_invalid'
 */
export function classifyErrcode(errcode: number, endpoint: WeChatEndpoint): ErrorKind {
  const rule = Object.hasOwn(ERRCODE_RULES, errcode) ? ERRCODE_RULES[errcode] : undefined;
  if (rule === undefined) return 'transient';
  if (typeof rule === 'string') return rule;
  return rule[endpoint] ?? rule.default;
}
