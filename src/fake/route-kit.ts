/**
 * What every route shares: the call it answers, its error helper, and the checks that run in the
 * same fixed order on every secret-taking endpoint (spec/wechat-api.md §7.3, order is an ASSUMPTION):
 * parameters, identity, IP whitelist, frozen secret, secret, quota, then the endpoint's own rules.
 */
import type { FakeResponse } from './envelope.js';
import type { FakeState } from './fake-state.js';
import type { QuotaLimits } from './quota.js';
import type { SecretHolder } from './registry.js';
import type { FakeRequest } from './request.js';
import type { TokenKind, TokenRecord } from './token-book.js';

/** One call being answered. */
export interface RouteCall {
  readonly state: FakeState;
  readonly req: FakeRequest;
  /** The body parsed as a JSON object, if it is one. */
  readonly json: Record<string, unknown> | undefined;
  /** An error envelope in the host's style (MP `rid:` or WeCom `hint:`). */
  fail(errcode: number, errmsg?: string): FakeResponse;
}

/** One endpoint: answers synchronously once faults and latency are dealt with. */
export type Route = (call: RouteCall) => FakeResponse;

/** A value, or the error answer that replaces it. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; response: FakeResponse };

/** What a secret check needs to know about its endpoint. */
export interface SecretCheck {
  /** Quota bucket (the cgi path). */
  bucket: string;
  limits: QuotaLimits;
  /** errcode for a caller IP outside the whitelist: 40164 (MP), 61004 (component), 60020 (WeCom). */
  ipErrcode: number;
  /** errcode for a wrong secret: 40001 (MP, WeCom), 40125 (component). */
  secretErrcode: number;
  /** Quota owner when it is not the holder itself. */
  owner?: string;
}

/**
 * The checks after identity on a secret-taking call: IP, frozen, secret, quota. Calls that pass the
 * identity check count toward quota even when they fail later, unless `countFailedCalls` is off.
 * @returns the error answer, or undefined when the call may proceed.
 */
export function admitSecret(
  call: RouteCall,
  holder: Pick<SecretHolder, 'secret' | 'frozen' | 'ipWhitelist'>,
  secret: string,
  check: SecretCheck,
): FakeResponse | undefined {
  const { quota, options } = call.state;
  const owner = check.owner ?? (holder as { appid?: string }).appid ?? '';
  if (options.countFailedCalls) quota.count(owner, check.bucket);
  if (holder.ipWhitelist !== undefined && !holder.ipWhitelist.has(call.req.remoteIp)) {
    return call.fail(check.ipErrcode);
  }
  if (holder.frozen) return call.fail(40243);
  if (holder.secret !== secret) return call.fail(check.secretErrcode);
  if (!options.countFailedCalls) quota.count(owner, check.bucket);
  return overQuota(call, owner, check.bucket, check.limits);
}

/** Counts a call that has no secret step, then checks its limits. */
export function countAndCheck(
  call: RouteCall,
  owner: string,
  bucket: string,
  limits: QuotaLimits,
): FakeResponse | undefined {
  call.state.quota.count(owner, bucket);
  return overQuota(call, owner, bucket, limits);
}

/** 45011 past a minute limit, 45009 past an hourly or daily one (WeCom's frequency error is 45009). */
export function overQuota(
  call: RouteCall,
  owner: string,
  bucket: string,
  limits: QuotaLimits,
): FakeResponse | undefined {
  const window = call.state.quota.exceeded(owner, bucket, limits);
  if (window === undefined) return undefined;
  return call.fail(window === 'minute' && call.req.host === 'api' ? 45011 : 45009);
}

const API_TOKEN_KINDS: ReadonlySet<TokenKind> = new Set([
  'access_token',
  'stable_access_token',
  'component_access_token',
  'authorizer_access_token',
]);

/** Tokens an app's business APIs accept (tickets, callback ip, quota). */
export const APP_TOKEN_KINDS: ReadonlySet<TokenKind> = new Set([
  'access_token',
  'stable_access_token',
  'authorizer_access_token',
]);

/**
 * Validates the access_token of a business call (spec §7.3.9): missing → 41001, unknown → 40014,
 * wrong family → 48001, superseded past grace → 40001, expired → 42001. WeCom: 41001, 40014, 42001.
 */
export function checkAccessToken(
  call: RouteCall,
  token: string | undefined,
  accepted: ReadonlySet<TokenKind>,
): Outcome<TokenRecord> {
  const fail = (errcode: number): Outcome<TokenRecord> => ({ ok: false, response: call.fail(errcode) });
  if (token === undefined || token === '') return fail(41001);
  const { tokens } = call.state;
  const record = tokens.get(token);
  if (call.req.host === 'work') {
    if (record === undefined || record.kind !== 'work_access_token') return fail(40014);
  } else {
    if (record === undefined || !API_TOKEN_KINDS.has(record.kind)) return fail(40014);
    if (!accepted.has(record.kind)) return fail(48001);
  }
  const status = tokens.status(record);
  if (status === 'superseded') return fail(call.req.host === 'work' ? 40014 : 40001);
  if (status === 'expired') return fail(42001);
  return { ok: true, value: record };
}
