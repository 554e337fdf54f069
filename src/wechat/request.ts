/**
 * The one HTTP path to WeChat: builds the URL, calls `deps.fetch` under a timeout, parses the body
 * defensively and turns every failure into a `WeChatApiError` (DESIGN.md "Errors"). Messages name the
 * endpoint path and the subject (appid/corpid), never a secret, a token or a URL with its query.
 * @internal Used by the endpoint functions of this folder only.
 */
import { MAX_TIMER_DELAY_MS } from '../clock.js';
import { WeChatApiError } from '../errors.js';
import { classifyErrcode, type WeChatEndpoint } from './classify.js';
import { DEFAULT_TIMEOUT_MS, type WeChatDeps, type WeChatEndpoints } from './deps.js';

/** One request to WeChat, as an endpoint function describes it. @internal */
export interface WeChatCall {
  method: 'GET' | 'POST';
  /** Which base URL of `deps.endpoints` to use. */
  host: keyof WeChatEndpoints;
  /** API path, e.g. `/cgi-bin/token`; the only part of the URL that messages show. */
  path: string;
  query?: Readonly<Record<string, string>>;
  /** Sent as JSON (POST). */
  body?: Readonly<Record<string, unknown>>;
  /** Family for errcode classification. */
  endpoint: WeChatEndpoint;
  /** Who the call is for, as messages show it: `appid 'wx…'`. */
  subject?: string;
  /** Values that must never reach a message or a cause (secrets, tokens, tickets, refresh tokens). */
  secrets: readonly string[];
}

/** A parsed WeChat answer whose errcode is absent or 0. @internal */
export type WeChatBody = Readonly<Record<string, unknown>>;

/** Longest errmsg excerpt kept in a message. */
const ERRMSG_MAX_CHARS = 200;

/**
 * Performs `call` and returns the parsed body when WeChat reports success.
 * @throws WeChatApiError `WR_ERR_WECHAT_API` for a non-zero errcode, `WR_ERR_WECHAT_HTTP` for a
 *   non-200 status or a body that is not a JSON object, `WR_ERR_WECHAT_NETWORK` for a failed,
 *   aborted or timed-out call.
 * @internal
 */
export async function requestWeChat(deps: WeChatDeps, call: WeChatCall): Promise<WeChatBody> {
  const url = buildUrl(deps.endpoints[call.host], call);
  const timeoutMs = resolveTimeoutMs(deps.timeoutMs);
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = deps.signal === undefined ? timeout : AbortSignal.any([timeout, deps.signal]);
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method: call.method, headers, signal };
  if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(call.body);
  }

  let text: string;
  let contentType: string | null;
  try {
    const response = await deps.fetch(url, init);
    if (response.status !== 200) {
      // Free the connection; the body of an error page is of no use to us. Not awaited: cancelling
      // one branch of a tee'd (cloned) body settles only when the other branch is cancelled too.
      response.body?.cancel().catch(() => {});
      throw httpError(call, `HTTP ${response.status}`, response.status);
    }
    contentType = response.headers.get('content-type');
    text = await response.text();
  } catch (error) {
    if (error instanceof WeChatApiError) throw error;
    const what = timeout.aborted
      ? `timed out after ${timeoutMs} ms`
      : deps.signal?.aborted
        ? 'aborted'
        : `network error${errorCodeOf(error)}`;
    throw new WeChatApiError('WR_ERR_WECHAT_NETWORK', describe(call, what), {
      kind: 'transient',
      cause: safeCause(error, call.secrets),
    });
  }
  return parseBody(text, contentType, call);
}

/**
 * `body[field]` as a non-empty string.
 * @throws WeChatApiError `WR_ERR_WECHAT_HTTP` transient when it is missing or not a string.
 * @internal
 */
export function readString(body: WeChatBody, field: string, call: WeChatCall): string {
  const value = body[field];
  if (typeof value === 'string' && value !== '') return value;
  throw httpError(call, `unexpected body: ${field} is missing or not a string`, 200);
}

/**
 * `body[field]` as a finite number ≥ 0. WeChat sends numbers; a numeric string is accepted
 * defensively, as for errcode.
 * @param label How messages name the field (`quota.used` for a nested one).
 * @throws WeChatApiError `WR_ERR_WECHAT_HTTP` transient when it is missing or not numeric.
 * @internal
 */
export function readNumber(body: WeChatBody, field: string, call: WeChatCall, label = field): number {
  const value = toNumber(body[field]);
  if (value !== undefined && value >= 0) return value;
  throw httpError(call, `unexpected body: ${label} is missing or not a number`, 200);
}

function resolveTimeoutMs(timeoutMs: number | undefined): number {
  const wanted = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // AbortSignal.timeout wants a whole number of ms that a Node timer can hold; NaN/≤0 mean "unset".
  return wanted > 0 ? Math.ceil(Math.min(wanted, MAX_TIMER_DELAY_MS)) : DEFAULT_TIMEOUT_MS;
}

/** Joins base and path keeping any path prefix of the base (`http://host/api` + `/cgi-bin/token`). */
function buildUrl(base: string, call: WeChatCall): URL {
  let url: URL;
  try {
    url = new URL(base.replace(/\/+$/, '') + call.path);
  } catch (error) {
    // The base alone is shown nowhere: it may carry user:password.
    throw new WeChatApiError('WR_ERR_WECHAT_NETWORK', describe(call, `endpoints.${call.host} is not a URL`), {
      kind: 'configuration',
      cause: error,
    });
  }
  for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
  return url;
}

function parseBody(text: string, contentType: string | null, call: WeChatCall): WeChatBody {
  // A BOM breaks JSON.parse; some gateways prepend one.
  const clean = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim();
  if (clean === '') throw httpError(call, 'empty body', 200);
  let parsed: unknown;
  try {
    parsed = JSON.parse(clean);
  } catch {
    // HTML error pages, truncated JSON, plain-text gateway messages. The body itself is not quoted:
    // a proxy page may echo the request URL with its query.
    const type = contentType?.split(';')[0]?.trim() || 'no content-type';
    throw httpError(call, `body is not JSON (${type}, ${clean.length} chars)`, 200);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw httpError(call, 'unexpected body: not a JSON object', 200);
  }
  const body = parsed as Record<string, unknown>;
  const errcode = body.errcode === undefined || body.errcode === null ? 0 : toNumber(body.errcode);
  if (errcode === undefined || !Number.isInteger(errcode)) {
    throw httpError(call, 'unexpected body: errcode is not an integer', 200);
  }
  if (errcode !== 0) {
    const errmsg = typeof body.errmsg === 'string' ? `: ${body.errmsg}` : '';
    throw new WeChatApiError('WR_ERR_WECHAT_API', describe(call, `errcode ${errcode}${errmsg}`), {
      errcode,
      kind: classifyErrcode(errcode, call.endpoint),
    });
  }
  return body;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

function httpError(call: WeChatCall, what: string, status: number): WeChatApiError {
  return new WeChatApiError('WR_ERR_WECHAT_HTTP', describe(call, what), { kind: 'transient', status });
}

/** `WeChat GET /cgi-bin/token for appid 'wx1': <what>`, scrubbed of secrets and query strings. */
function describe(call: WeChatCall, what: string): string {
  const subject = call.subject === undefined ? '' : ` for ${call.subject}`;
  const text = scrub(what, call.secrets);
  const capped = text.length > ERRMSG_MAX_CHARS ? `${text.slice(0, ERRMSG_MAX_CHARS)}…` : text;
  return `WeChat ${call.method} ${call.path}${subject}: ${capped}`;
}

/** Drops URL queries/fragments and control characters, then masks every form of every secret. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(https?:\/\/[^\s?#]*)[?#]\S*/gi, '$1').replace(/\p{Cc}+/gu, ' ');
  for (const form of secretForms(secrets)) out = out.split(form).join('***');
  return out;
}

/** A secret as it appears raw, percent-encoded, or form-encoded in a query string. */
function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  return [...forms];
}

/** ` (ECONNREFUSED)` from an undici-style error or its cause; codes are safe to show. */
function errorCodeOf(error: unknown): string {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return ` (${code})`;
  }
  return '';
}

/**
 * The fetch failure, kept as `cause` unless something in its chain shows a secret (an "invalid URL"
 * error quotes the URL, query and all): then a scrubbed stand-in with the same name and message shape.
 */
function safeCause(error: unknown, secrets: readonly string[]): unknown {
  const forms = secretForms(secrets);
  const leaks = (text: string) => forms.some((form) => text.includes(form));
  let leaked = false;
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5 && !leaked; depth++) {
    leaked = e instanceof Error ? leaks(`${e.message}\n${e.stack ?? ''}`) : leaks(String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  if (!leaked) return error;
  const stand = new Error(scrub(error instanceof Error ? error.message : String(error), secrets));
  stand.name = error instanceof Error ? error.name : 'Error';
  return stand;
}
