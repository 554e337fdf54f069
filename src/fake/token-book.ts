/**
 * Every credential the fake has issued: access tokens, stable tokens, component and authorizer tokens,
 * WeCom tokens, tickets and pushed verify tickets. Slots hold the current value per (family, owner);
 * an index by value answers "would WeChat accept this?" in O(1) (spec/wechat-api.md §7.2).
 */
import type { Clock } from '../clock.js';
import type { Rng } from './rng.js';
import { randomUrlSafe } from './rng.js';

/** What a credential is, which decides where WeChat accepts it. */
export type TokenKind =
  | 'access_token'
  | 'stable_access_token'
  | 'component_access_token'
  | 'authorizer_access_token'
  | 'work_access_token'
  | 'jsapi_ticket'
  | 'wx_card_ticket'
  | 'work_jsapi_ticket'
  | 'agent_config_ticket'
  | 'verify_ticket';

/** Where a credential stands right now. */
export type TokenStatus = 'valid' | 'superseded' | 'expired' | 'unknown';

/** One issued credential. Times are clock milliseconds. */
export interface TokenRecord {
  readonly value: string;
  readonly kind: TokenKind;
  /** appid, component appid, authorizer appid or corpid that owns it. */
  readonly owner: string;
  /** WeCom agent id, for agent tokens and agent tickets. */
  readonly agentId?: string;
  /** The component an authorizer token was issued through. */
  readonly componentAppid?: string;
  readonly issuedAtMs: number;
  expiresAtMs: number;
  /** Set when a newer value replaced this one: it stays usable until then (the grace window). */
  graceEndsAtMs?: number;
}

/** The identity of a credential to issue. */
export interface TokenSpec {
  kind: TokenKind;
  owner: string;
  agentId?: string;
  componentAppid?: string;
  lifetimeMs: number;
}

/**
 * How the value a rotation replaces is retired:
 * - `graceMs`: it stays usable this long (0: dead at once); `undefined`: until its own expiry;
 * - `dropOlder`: values replaced earlier than that one die at once (spec §7.3.7: only one
 *   predecessor survives, an ASSUMPTION behind `keepAllPredecessors`).
 */
export interface RetirePolicy {
  graceMs: number | undefined;
  dropOlder: boolean;
}

/** Total length of a minted access token, like real ones (`75_9QdZ...`, ~140 chars) [C-CAT-40001]. */
const TOKEN_LENGTH = 140;
/** Tickets are shorter in the wild (~86 chars). */
const TICKET_LENGTH = 86;

interface Slot {
  current?: TokenRecord;
  /** Replaced values that may still be inside their grace window, newest last. */
  previous: TokenRecord[];
}

/** The fake's credential store. */
export class TokenBook {
  private readonly index = new Map<string, TokenRecord>();
  private readonly slots = new Map<string, Slot>();
  private seq = 0;
  private putsSinceSweep = 0;

  /**
   * @param forgetAfterMs how long after a value died it is still remembered (and answers 40001 or
   * 42001); past that it is dropped and answers like an unknown value (40014). Infinity: never.
   */
  constructor(
    private readonly clock: Clock,
    private readonly rng: Rng,
    private readonly forgetAfterMs = Number.POSITIVE_INFINITY,
  ) {}

  /** The record of a value, if the fake ever issued it. */
  get(value: string): TokenRecord | undefined {
    return this.index.get(value);
  }

  /** Status of a value now: superseded past grace beats natural expiry, as WeChat reports 40001 then. */
  status(value: string | TokenRecord | undefined): TokenStatus {
    const record = typeof value === 'string' ? this.index.get(value) : value;
    if (record === undefined) return 'unknown';
    const now = this.clock.now();
    const graceEnds = record.graceEndsAtMs;
    if (graceEnds !== undefined && now >= graceEnds && graceEnds < record.expiresAtMs) return 'superseded';
    if (now >= record.expiresAtMs) return 'expired';
    return 'valid';
  }

  /** The newest value of a slot, whatever its status. */
  current(slotKey: string): TokenRecord | undefined {
    return this.slots.get(slotKey)?.current;
  }

  /** The newest value of a slot if it is still valid. */
  currentValid(slotKey: string): TokenRecord | undefined {
    const record = this.current(slotKey);
    return record !== undefined && this.status(record) === 'valid' ? record : undefined;
  }

  /** Issues a new value for a slot and retires the one it replaces per `retire`. */
  rotate(slotKey: string, spec: TokenSpec, retire: RetirePolicy): TokenRecord {
    const now = this.clock.now();
    const slot = this.slots.get(slotKey) ?? { previous: [] };
    this.slots.set(slotKey, slot);
    if (retire.dropOlder) {
      for (const older of slot.previous) this.cut(older, now);
      slot.previous = [];
    }
    const replaced = slot.current;
    if (replaced !== undefined) {
      if (retire.graceMs !== undefined) this.cut(replaced, now + retire.graceMs);
      slot.previous.push(replaced);
      // Forget predecessors that can no longer be valid, so a slot stays small.
      slot.previous = slot.previous.filter((record) => this.status(record) === 'valid');
    }
    const record = this.mint(spec);
    slot.current = record;
    return record;
  }

  /** Issues a value outside any slot (an externally chosen value, e.g. a pushed verify ticket). */
  put(value: string, spec: TokenSpec): TokenRecord {
    const now = this.clock.now();
    const record: TokenRecord = {
      value,
      kind: spec.kind,
      owner: spec.owner,
      agentId: spec.agentId,
      componentAppid: spec.componentAppid,
      issuedAtMs: now,
      expiresAtMs: now + spec.lifetimeMs,
    };
    this.index.set(value, record);
    this.maybeSweep();
    return record;
  }

  /** Invalidates a slot's values now as "superseded" (40001 afterwards), e.g. on revoked authorization. */
  invalidateSlot(slotKey: string): void {
    const slot = this.slots.get(slotKey);
    if (slot === undefined) return;
    const now = this.clock.now();
    for (const record of [...slot.previous, ...(slot.current ? [slot.current] : [])]) this.cut(record, now);
  }

  /** Expires a value now (42001 afterwards). Returns false for a value the fake never issued. */
  expire(value: string): boolean {
    const record = this.index.get(value);
    if (record === undefined) return false;
    record.expiresAtMs = Math.min(record.expiresAtMs, this.clock.now());
    return true;
  }

  /** A fresh, never reused value: `${seq}_${random}`. */
  newValue(kind: TokenKind): string {
    this.seq += 1;
    const prefix = `${this.seq}_`;
    if (kind === 'verify_ticket') return `ticket@@@${randomUrlSafe(this.rng, TICKET_LENGTH)}`;
    const length = kind.endsWith('_ticket') ? TICKET_LENGTH : TOKEN_LENGTH;
    return prefix + randomUrlSafe(this.rng, Math.max(16, length - prefix.length));
  }

  private mint(spec: TokenSpec): TokenRecord {
    return this.put(this.newValue(spec.kind), spec);
  }

  /** Drops long-dead values, at most once per max(1024, size/2) puts so the cost stays amortized O(1). */
  private maybeSweep(): void {
    if (!Number.isFinite(this.forgetAfterMs)) return;
    this.putsSinceSweep += 1;
    if (this.putsSinceSweep < Math.max(1024, this.index.size / 2)) return;
    this.putsSinceSweep = 0;
    const cutoff = this.clock.now() - this.forgetAfterMs;
    for (const [value, record] of this.index) {
      const diedAt = Math.min(record.expiresAtMs, record.graceEndsAtMs ?? Number.POSITIVE_INFINITY);
      if (diedAt <= cutoff) this.index.delete(value);
    }
  }

  private cut(record: TokenRecord, endsAtMs: number): void {
    record.graceEndsAtMs = Math.min(record.graceEndsAtMs ?? Number.POSITIVE_INFINITY, endsAtMs);
  }
}
