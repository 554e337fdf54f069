/**
 * Options of the fake: the registry it starts with, its clock and seed, and every knob the spec
 * leaves open (spec/wechat-api.md §8). One type, one frozen defaults object, one resolver (STYLE.md 8).
 */
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { ConfigError } from '../errors.js';
import type { TokenKind } from './token-book.js';

/** An Official Account or Mini Program. */
export interface FakeAppConfig {
  appid: string;
  secret: string;
  /** A test account: its /cgi-bin/token quota is `quotas.tokenTestAccountDaily` (spec §1.1). @default false */
  testAccount?: boolean;
  /** Caller IPs allowed to use the secret (40164 otherwise); absent: any IP. */
  ipWhitelist?: string[];
}

/** An app that authorized a third-party platform, with its authorizer_refresh_token. */
export interface FakeAuthorizerConfig {
  appid: string;
  refreshToken: string;
}

/** A third-party platform (component). */
export interface FakeComponentConfig {
  appid: string;
  secret: string;
  /** A component_verify_ticket counted as pushed at creation (valid 12 h from then). */
  verifyTicket?: string;
  authorizers?: FakeAuthorizerConfig[];
  /** Caller IPs allowed (61004 otherwise); absent: any IP. */
  ipWhitelist?: string[];
}

/** A WeCom app (agent): each has its own secret and token. */
export interface FakeAgentConfig {
  id: number | string;
  secret: string;
}

/** A WeCom corp. */
export interface FakeCorpConfig {
  corpid: string;
  agents: FakeAgentConfig[];
  /** Caller IPs allowed (60020 otherwise); absent: any IP. */
  ipWhitelist?: string[];
}

/** Quotas, per owner. A call beyond a limit answers 45009 (daily, WeCom hourly) or 45011 (minute). */
export interface FakeQuotaOptions {
  /** /cgi-bin/token per app per day [LIMITS]. @default 2000 */
  tokenDaily: number;
  /** /cgi-bin/token per test account per day [LIMITS]. @default 200 */
  tokenTestAccountDaily: number;
  /** /cgi-bin/stable_token per app per day [STABLE]. @default 500000 */
  stableTokenDaily: number;
  /** /cgi-bin/stable_token per app per minute (45011: ASSUMPTION) [STABLE]. @default 10000 */
  stableTokenPerMinute: number;
  /** Rotating force_refresh calls per app per day (45009 beyond: ASSUMPTION) [STABLE-MG]. @default 20 */
  stableForceDaily: number;
  /** /cgi-bin/ticket/getticket per app per day, both types (undocumented: ASSUMPTION). @default 2000 */
  ticketDaily: number;
  /** api_component_token per component per day (ASSUMPTION). @default 2000 */
  componentTokenDaily: number;
  /** api_authorizer_token per authorizer per day (ASSUMPTION). @default 2000 */
  authorizerTokenDaily: number;
  /** WeCom gettoken per corp per minute [WC-LIMIT]. @default 10000 */
  workTokenPerMinute: number;
  /** WeCom gettoken per corp per hour [WC-LIMIT]. @default 150000 */
  workTokenHourly: number;
  /** WeCom JS-SDK ticket fetches per corp per hour, both kinds [WC-JS]. @default 400 */
  workTicketCorpHourly: number;
  /** WeCom JS-SDK ticket fetches per agent per hour, both kinds [WC-JS]. @default 100 */
  workTicketAgentHourly: number;
  /** clear_quota calls per account per month [CLEAR]. @default 10 */
  clearQuotaMonthly: number;
}

/** What is being minted, for an `expiresIn` function. */
export interface FakeMintInfo {
  kind: TokenKind;
  /** appid, component appid or corpid. */
  appid: string;
}

/**
 * Lifetime override for newly minted credentials (spec §6.8 "expires_in below 7200"): a number of
 * seconds for every token (not tickets), or a function deciding per mint (undefined: the default).
 */
export type FakeExpiresIn = number | ((mint: FakeMintInfo) => number | undefined);

/** Options of `createFakeWeChat`. Every field is optional. */
export interface FakeWeChatOptions {
  /** @default [] */
  apps?: FakeAppConfig[];
  /** @default [] */
  components?: FakeComponentConfig[];
  /** @default [] */
  corps?: FakeCorpConfig[];
  /** Source of every timestamp and every wait (xstate's SimulatedClock fits). @default systemClock */
  clock?: Clock;
  /** Seed of the PRNG behind token strings, rids and fault probabilities. @default 24301 */
  seed?: number;
  /** How long a replaced token stays valid [MP-AT][C-5MIN]. @default 300 */
  graceSec?: number;
  /** Lifetime of access, stable, component, authorizer and WeCom tokens. @default 7200 */
  tokenLifetimeSec?: number;
  /** Lifetime of JS-SDK tickets; their expires_in always says this [C-TICKET-SAME]. @default 7200 */
  ticketLifetimeSec?: number;
  /** How long a pushed component_verify_ticket is accepted [CVT]. @default 43200 */
  verifyTicketLifetimeSec?: number;
  /** A stable token with at most this many seconds left is rolled over on the next call [STABLE-MG]. @default 300 */
  stableRolloverSec?: number;
  /** A force_refresh within this many seconds of the last rotating one returns the current token. @default 30 */
  stableForceIntervalSec?: number;
  /** Whether a force-refreshed stable token keeps the grace window (ASSUMPTION: no). @default false */
  stableForceGrace?: boolean;
  /** Whether every replaced /cgi-bin/token value keeps its grace, not just the last (ASSUMPTION: no). @default false */
  keepAllPredecessors?: boolean;
  /** Offset of the zone whose midnight resets daily quotas (Asia/Shanghai). @default 480 */
  utcOffsetMinutes?: number;
  /** Whether calls failing after the appid check (wrong secret...) count toward quota (ASSUMPTION). @default true */
  countFailedCalls?: boolean;
  /** WeCom gettoken on a live token: `countdown` reports the remaining seconds, `constant` the lifetime. @default 'countdown' */
  workExpiresIn?: 'countdown' | 'constant';
  /** Whether clear_quota also clears the stable_token daily counter (one report says not). @default false */
  clearQuotaClearsStable?: boolean;
  /** Lifetime override for new tokens (spec §6.8). @default undefined */
  expiresIn?: FakeExpiresIn;
  /** Quota limits; fields given here replace the defaults one by one. */
  quotas?: Partial<FakeQuotaOptions>;
  /** The caller IP the in-process fetch reports (whitelists and WeCom errmsg). @default '127.0.0.1' */
  clientIp?: string;
  /** At most this many entries in `calls`; older ones are dropped in batches. @default Infinity */
  callLogLimit?: number;
  /**
   * Forget credentials this many seconds after they died, so long benchmarks keep memory flat; a
   * forgotten value answers 40014 like a made-up one. @default Infinity (remember everything)
   */
  forgetAfterSec?: number;
}

/** Options after defaults are applied. */
export type ResolvedFakeWeChatOptions = Required<Omit<FakeWeChatOptions, 'expiresIn' | 'quotas'>> & {
  expiresIn: FakeExpiresIn | undefined;
  quotas: Readonly<FakeQuotaOptions>;
};

/** Default quotas (spec §1-§4). */
export const DEFAULT_FAKE_QUOTAS: Readonly<FakeQuotaOptions> = Object.freeze({
  tokenDaily: 2000,
  tokenTestAccountDaily: 200,
  stableTokenDaily: 500_000,
  stableTokenPerMinute: 10_000,
  stableForceDaily: 20,
  ticketDaily: 2000,
  componentTokenDaily: 2000,
  authorizerTokenDaily: 2000,
  workTokenPerMinute: 10_000,
  workTokenHourly: 150_000,
  workTicketCorpHourly: 400,
  workTicketAgentHourly: 100,
  clearQuotaMonthly: 10,
});

/** Default options of the fake. */
export const DEFAULT_FAKE_WECHAT_OPTIONS: Readonly<ResolvedFakeWeChatOptions> = Object.freeze({
  apps: Object.freeze([]) as unknown as FakeAppConfig[],
  components: Object.freeze([]) as unknown as FakeComponentConfig[],
  corps: Object.freeze([]) as unknown as FakeCorpConfig[],
  clock: systemClock,
  seed: 24301,
  graceSec: 300,
  tokenLifetimeSec: 7200,
  ticketLifetimeSec: 7200,
  verifyTicketLifetimeSec: 43_200,
  stableRolloverSec: 300,
  stableForceIntervalSec: 30,
  stableForceGrace: false,
  keepAllPredecessors: false,
  utcOffsetMinutes: 480,
  countFailedCalls: true,
  workExpiresIn: 'countdown',
  clearQuotaClearsStable: false,
  expiresIn: undefined,
  quotas: DEFAULT_FAKE_QUOTAS,
  clientIp: '127.0.0.1',
  callLogLimit: Number.POSITIVE_INFINITY,
  forgetAfterSec: Number.POSITIVE_INFINITY,
});

function check(ok: boolean, field: string, problem: string): void {
  if (!ok) throw new ConfigError(undefined, field, problem);
}

const isCount = (v: number): boolean => Number.isInteger(v) && v >= 0;

/**
 * Merges options over the defaults and validates them.
 * @throws ConfigError naming the field at fault.
 */
export function resolveFakeWeChatOptions(options: FakeWeChatOptions = {}): ResolvedFakeWeChatOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const quotas = Object.freeze({ ...DEFAULT_FAKE_QUOTAS, ...options.quotas });
  const resolved: ResolvedFakeWeChatOptions = { ...DEFAULT_FAKE_WECHAT_OPTIONS, ...defined, quotas };
  check(Number.isFinite(resolved.seed), 'seed', 'must be a finite number');
  for (const field of ['graceSec', 'stableRolloverSec', 'stableForceIntervalSec'] as const) {
    check(Number.isFinite(resolved[field]) && resolved[field] >= 0, field, 'must be a number >= 0');
  }
  for (const field of ['tokenLifetimeSec', 'ticketLifetimeSec', 'verifyTicketLifetimeSec'] as const) {
    check(Number.isFinite(resolved[field]) && resolved[field] > 0, field, 'must be a number > 0');
  }
  check(
    Number.isInteger(resolved.utcOffsetMinutes) && Math.abs(resolved.utcOffsetMinutes) <= 14 * 60,
    'utcOffsetMinutes',
    'must be an integer between -840 and 840',
  );
  check(
    resolved.workExpiresIn === 'countdown' || resolved.workExpiresIn === 'constant',
    'workExpiresIn',
    "must be 'countdown' or 'constant'",
  );
  check(resolved.callLogLimit >= 0, 'callLogLimit', 'must be >= 0');
  check(resolved.forgetAfterSec >= 0, 'forgetAfterSec', 'must be >= 0');
  for (const [name, value] of Object.entries(quotas)) {
    check(isCount(value), `quotas.${name}`, 'must be an integer >= 0');
  }
  checkExpiresIn(resolved.expiresIn);
  return resolved;
}

/** Validates an `expiresIn` override. @throws ConfigError */
export function checkExpiresIn(expiresIn: FakeExpiresIn | undefined): void {
  if (typeof expiresIn === 'number') check(expiresIn > 0, 'expiresIn', 'must be > 0 seconds');
}
