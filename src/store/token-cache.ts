/**
 * The in-process token map behind getToken: a record per storeId holding its keys, so a read is two
 * lookups and builds no string (DESIGN.md "Token read path"). Machines write it; nothing else does.
 * Each entry remembers its owner (a client appid or `component:<appid>`) so removing one client can
 * never delete another's token (seed Q10 fixed).
 */
import type { Clock } from '../clock.js';
import type { StoreMap } from '../types.js';

interface CachedToken extends StoreMap {
  readonly owner: string;
}

type KeyRecord = Record<string, CachedToken | undefined>;

/**
 * The keys of one storeId. Records inherit from a null-prototype object: no `constructor` or
 * `__proto__` to trip over, while staying fast-mode objects (an `Object.create(null)` record is a
 * dictionary, measured 2x slower per getToken at 100,000 clients).
 */
const KeyRecordProto = Object.create(null) as object;
function newKeyRecord(): KeyRecord {
  return Object.setPrototypeOf({}, KeyRecordProto) as KeyRecord;
}

export class TokenCache {
  readonly #clock: Clock;
  readonly #byStoreId = new Map<string, KeyRecord>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The value, unless missing or expired: a dead token is never handed out. */
  get(storeId: string, storeKey: string): string | undefined {
    const entry = this.#byStoreId.get(storeId)?.[storeKey];
    if (entry === undefined || entry.expired_time * 1000 <= this.#clock.now()) return undefined;
    return entry.value;
  }

  /** The store map `{ value, expired_time }`, unless missing or expired. */
  getStoreMap(storeId: string, storeKey: string): StoreMap | undefined {
    const entry = this.#byStoreId.get(storeId)?.[storeKey];
    if (entry === undefined || entry.expired_time * 1000 <= this.#clock.now()) return undefined;
    return { value: entry.value, expired_time: entry.expired_time };
  }

  /** Expiry (unix s) of what is held, expired or not; 0 when nothing is. */
  expiresAtSec(storeId: string, storeKey: string): number {
    return this.#byStoreId.get(storeId)?.[storeKey]?.expired_time ?? 0;
  }

  set(storeId: string, storeKey: string, map: StoreMap, owner: string): void {
    let record = this.#byStoreId.get(storeId);
    if (record === undefined) {
      record = newKeyRecord();
      this.#byStoreId.set(storeId, record);
    }
    record[storeKey] = Object.freeze({ value: map.value, expired_time: map.expired_time, owner });
  }

  /** Deletes a key if `owner` holds it. */
  delete(storeId: string, storeKey: string, owner: string): void {
    const record = this.#byStoreId.get(storeId);
    if (record?.[storeKey]?.owner !== owner) return;
    delete record[storeKey];
    for (const _ in record) return;
    this.#byStoreId.delete(storeId);
  }

  /** Every key `owner` holds under storeId, for cleanup of keys outside the option list. */
  keysOf(storeId: string, owner: string): string[] {
    const record = this.#byStoreId.get(storeId);
    if (!record) return [];
    return Object.keys(record).filter((k) => record[k]?.owner === owner);
  }

  get size(): number {
    return this.#byStoreId.size;
  }
}
