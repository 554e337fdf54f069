/**
 * Persistence of tokens through keyv: key `<storeId>:<storeKey>`, value `{ value, expired_time }`
 * (the seed's store_map, unix seconds), keyv TTL = remaining lifetime (DESIGN.md "Store").
 * Failures become StoreError; a malformed entry reads as absent and is never overwritten by a read.
 */
import Keyv from 'keyv';
import { StoreError } from '../errors.js';
import type { StoreMap } from '../types.js';

export interface StoreKeyRef {
  storeId: string;
  storeKey: string;
}

/** The key a token has in the store. */
export function storeKeyOf(storeId: string, storeKey: string): string {
  return `${storeId}:${storeKey}`;
}

/** A store map as read back, or undefined when the entry is not one (corrupt, foreign, missing). */
export function parseStoreMap(raw: unknown): StoreMap | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { value, expired_time } = raw as Record<string, unknown>;
  if (typeof value !== 'string' || value === '' || typeof expired_time !== 'number') return undefined;
  if (!Number.isFinite(expired_time)) return undefined;
  return { value, expired_time };
}

/** The library's default store: in memory, namespace `wechat`. */
export function createMemoryStore(): Keyv {
  return new Keyv({ namespace: 'wechat' });
}

export class TokenStore {
  readonly keyv: Keyv;

  constructor(keyv: Keyv) {
    this.keyv = keyv;
  }

  async read(storeId: string, storeKey: string): Promise<StoreMap | undefined> {
    try {
      return parseStoreMap(await this.keyv.get(storeKeyOf(storeId, storeKey)));
    } catch (cause) {
      throw new StoreError(`reading '${storeKeyOf(storeId, storeKey)}' failed`, { cause });
    }
  }

  /** One round trip for many keys (start-up restore of thousands of clients). */
  async readMany(refs: readonly StoreKeyRef[]): Promise<Array<StoreMap | undefined>> {
    if (refs.length === 0) return [];
    const keys = refs.map((r) => storeKeyOf(r.storeId, r.storeKey));
    try {
      // keyv 5.6 emulates getMany for stores without one under Promise.allSettled and drops the
      // rejections: a store that is down would read as "no token" and start a refresh storm.
      const native = typeof (this.keyv.store as { getMany?: unknown })?.getMany === 'function';
      const rows = native
        ? await this.keyv.getMany(keys)
        : await Promise.all(keys.map((k) => this.keyv.get(k)));
      return refs.map((_, i) => parseStoreMap(rows?.[i]));
    } catch (cause) {
      throw new StoreError(`reading ${refs.length} keys failed`, { cause });
    }
  }

  /** Writes a store map with a TTL of its remaining lifetime (at least 1 s, so keyv keeps it). */
  async write(storeId: string, storeKey: string, map: StoreMap, nowMs: number): Promise<void> {
    const ttlMs = Math.max(1000, map.expired_time * 1000 - nowMs);
    try {
      await this.keyv.set(
        storeKeyOf(storeId, storeKey),
        { value: map.value, expired_time: map.expired_time },
        ttlMs,
      );
    } catch (cause) {
      throw new StoreError(`writing '${storeKeyOf(storeId, storeKey)}' failed`, { cause });
    }
  }
}
