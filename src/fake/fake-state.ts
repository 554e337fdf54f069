/**
 * Everything one fake instance holds in memory, shared by the routes: options, clock, registry,
 * issued credentials, quota counters and the seeded id stream.
 */
import type { Clock } from '../clock.js';
import type { FakeExpiresIn, ResolvedFakeWeChatOptions } from './options.js';
import type { QuotaCounters } from './quota.js';
import type { FakeRegistry } from './registry.js';
import type { Rng } from './rng.js';
import type { TokenBook, TokenKind } from './token-book.js';

/** The fake's state. */
export interface FakeState {
  readonly options: ResolvedFakeWeChatOptions;
  readonly clock: Clock;
  readonly registry: FakeRegistry;
  readonly tokens: TokenBook;
  readonly quota: QuotaCounters;
  /** The stream for token strings and rids (faults draw from their own). */
  readonly ids: Rng;
  /** Clock ms of the last rotating force_refresh per appid (spec §1.2, 30 s rule). */
  readonly lastForceAtMs: Map<string, number>;
  /** The current lifetime override (options.expiresIn, changeable later). */
  expiresIn: FakeExpiresIn | undefined;
}

const TICKET_KINDS: ReadonlySet<TokenKind> = new Set([
  'jsapi_ticket',
  'wx_card_ticket',
  'work_jsapi_ticket',
  'agent_config_ticket',
]);

/** Lifetime in ms of a credential about to be minted, after the `expiresIn` override. */
export function lifetimeMs(state: FakeState, kind: TokenKind, appid: string): number {
  const ticket = TICKET_KINDS.has(kind);
  const base = ticket ? state.options.ticketLifetimeSec : state.options.tokenLifetimeSec;
  const override = state.expiresIn;
  let seconds: number | undefined;
  if (typeof override === 'function') seconds = override({ kind, appid });
  else if (typeof override === 'number' && !ticket) seconds = override;
  return Math.round((seconds !== undefined && seconds > 0 ? seconds : base) * 1000);
}

/** Whole seconds left before `expiresAtMs`, as expires_in reports them. */
export function secondsLeft(state: FakeState, expiresAtMs: number): number {
  return Math.max(0, Math.floor((expiresAtMs - state.clock.now()) / 1000));
}
