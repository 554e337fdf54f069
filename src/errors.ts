/**
 * Every error the library throws or reports, with a stable `code` (`WR_ERR_<AREA>_<WHAT>`, never
 * reused). Branch on `instanceof` or `code`, never on message text. Messages name the appid and the
 * field at fault, never a secret or a token value (STYLE.md rule 9).
 */

/** Every error code, with what it means; `docs/errors.md`-style table kept in step by a test. */
export const ERROR_CODES = {
  WR_ERR_CONFIG_INVALID: 'A client, setting or option is invalid; the message names the client and field.',
  WR_ERR_WECHAT_API: 'WeChat answered with an errcode; `errcode` and `kind` say which and what to do.',
  WR_ERR_WECHAT_HTTP: 'WeChat answered with a non-200 status or a body that is not the expected JSON.',
  WR_ERR_WECHAT_NETWORK: 'The HTTP call failed or timed out before WeChat answered.',
  WR_ERR_REFRESH_DEPENDENCY:
    'A credential this refresh needs (access token, component token, ticket) is missing.',
  WR_ERR_REFRESH_RESULT: 'A refresh function returned no usable value (empty value or expiresIn not > 0).',
  WR_ERR_REFRESH_FAILED: 'A custom refresh function threw an error that is not a RefresherError.',
  WR_ERR_STORE: 'The token store (keyv) failed to read or write.',
  WR_ERR_REFRESHER_STOPPED: 'The refresher was stopped; the call was not carried out.',
} as const;

export type RefresherErrorCode = keyof typeof ERROR_CODES;

/**
 * How the runtime reacts to a failed refresh (DESIGN.md "Errors", spec/wechat-api.md §5):
 * - `transient`: retry after refreshRetryInterval;
 * - `token_invalid`: the credential this call used is dead: refresh it, then retry;
 * - `quota`: no calls until the daily reset or a manual refresh;
 * - `configuration`: a person must act; back off, doubling up to an hour.
 */
export type ErrorKind = 'transient' | 'token_invalid' | 'quota' | 'configuration';

export class RefresherError extends Error {
  readonly code: RefresherErrorCode;
  constructor(code: RefresherErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefresherError';
    this.code = code;
  }
}

/** Bad configuration, thrown by createRefresher/add before anything runs. */
export class ConfigError extends RefresherError {
  /** The client's appid, when the error concerns one client. */
  readonly appid: string | undefined;
  /** The field at fault, as a path (`secret`, `agents[1].id`, `setting.refreshRetryInterval`). */
  readonly field: string;
  constructor(appid: string | undefined, field: string, problem: string) {
    super('WR_ERR_CONFIG_INVALID', `${appid === undefined ? '' : `client '${appid}': `}${field} ${problem}`);
    this.name = 'ConfigError';
    this.appid = appid;
    this.field = field;
  }
}

/** A failed WeChat call: errcode answer, bad HTTP answer, or network failure. */
export class WeChatApiError extends RefresherError {
  /** WeChat's errcode; undefined for HTTP and network failures. */
  readonly errcode: number | undefined;
  readonly kind: ErrorKind;
  /** HTTP status when the failure was an HTTP one. */
  readonly status: number | undefined;
  constructor(
    code: 'WR_ERR_WECHAT_API' | 'WR_ERR_WECHAT_HTTP' | 'WR_ERR_WECHAT_NETWORK',
    message: string,
    details: { errcode?: number; kind: ErrorKind; status?: number; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.name = 'WeChatApiError';
    this.errcode = details.errcode;
    this.kind = details.kind;
    this.status = details.status;
  }
}

/** A refresh could not start because a credential it depends on is missing or expired. */
export class DependencyError extends RefresherError {
  readonly kind: ErrorKind;
  constructor(message: string, kind: ErrorKind = 'transient') {
    super('WR_ERR_REFRESH_DEPENDENCY', message);
    this.name = 'DependencyError';
    this.kind = kind;
  }
}

/** The token store failed. */
export class StoreError extends RefresherError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WR_ERR_STORE', message, options);
    this.name = 'StoreError';
  }
}

/** The refresher was stopped before the call could be carried out. */
export class StoppedError extends RefresherError {
  constructor() {
    super('WR_ERR_REFRESHER_STOPPED', 'the refresher is stopped');
    this.name = 'StoppedError';
  }
}

/** The kind of any thrown value, for the retry policy: unknown failures are transient. */
export function errorKindOf(error: unknown): ErrorKind {
  if (error instanceof WeChatApiError || error instanceof DependencyError) return error.kind;
  return 'transient';
}
