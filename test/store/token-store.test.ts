import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { RefresherError, StoreError } from '../../src/errors.js';
import { createMemoryStore, parseStoreMap, storeKeyOf, TokenStore } from '../../src/store/token-store.js';

const NOW_MS = Date.now();
const NOW_SEC = Math.floor(NOW_MS / 1000);
const SECRET_VALUE = 'TOKEN-VALUE-must-not-leak';

/** A keyv storage adapter that records what keyv hands it. */
function recordingStore() {
  const data = new Map<string, unknown>();
  const sets: Array<{ key: string; ttl: number | undefined }> = [];
  return {
    data,
    sets,
    adapter: {
      get: async (key: string) => data.get(key),
      set: async (key: string, value: unknown, ttl?: number) => {
        sets.push({ key, ttl });
        data.set(key, value);
        return true;
      },
      delete: async (key: string) => data.delete(key),
      clear: async () => data.clear(),
    },
  };
}

/** A storage adapter whose every call fails, as a Redis that went away. */
function brokenStore(withGetMany: boolean) {
  const fail = async (): Promise<never> => {
    throw new Error('connection refused');
  };
  return {
    get: fail,
    set: fail,
    delete: fail,
    clear: fail,
    ...(withGetMany ? { getMany: fail } : {}),
  };
}

const brokenKeyv = (withGetMany = false) =>
  new Keyv({ store: brokenStore(withGetMany) as never, throwOnErrors: true });

describe('storeKeyOf', () => {
  it('is `<storeId>:<storeKey>`', () => {
    expect(storeKeyOf('wx1', 'access_token')).toBe('wx1:access_token');
    expect(storeKeyOf('corp_1000002', 'agent_js_api_ticket')).toBe('corp_1000002:agent_js_api_ticket');
  });
});

describe('parseStoreMap', () => {
  it('keeps value and expired_time and drops other fields', () => {
    expect(parseStoreMap({ value: 'T', expired_time: 5, mine: true })).toStrictEqual({
      value: 'T',
      expired_time: 5,
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'T'],
    ['a number', 5],
    ['an empty value', { value: '', expired_time: 5 }],
    ['a value that is not a string', { value: 5, expired_time: 5 }],
    ['no expired_time', { value: 'T' }],
    ['a string expired_time', { value: 'T', expired_time: '5' }],
    ['a NaN expired_time', { value: 'T', expired_time: Number.NaN }],
    ['an infinite expired_time', { value: 'T', expired_time: Number.POSITIVE_INFINITY }],
  ])('reads %s as undefined', (_, raw) => {
    expect(parseStoreMap(raw)).toBeUndefined();
  });
});

describe('createMemoryStore', () => {
  it("is an in-memory Keyv in namespace 'wechat'", async () => {
    const keyv = createMemoryStore();
    expect(keyv).toBeInstanceOf(Keyv);
    expect(keyv.namespace).toBe('wechat');
    const store = new TokenStore(keyv);
    await store.write('wx1', 'access_token', { value: 'T', expired_time: NOW_SEC + 7200 }, NOW_MS);
    expect(await store.read('wx1', 'access_token')).toEqual({ value: 'T', expired_time: NOW_SEC + 7200 });
  });
});

describe('TokenStore', () => {
  it('writes under the key `<storeId>:<storeKey>` the value { value, expired_time }', async () => {
    const keyv = new Keyv();
    const store = new TokenStore(keyv);
    await store.write('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, NOW_MS);
    expect(await keyv.get('wx1:access_token')).toStrictEqual({ value: 'T1', expired_time: NOW_SEC + 7200 });
  });

  it('reads back what it wrote', async () => {
    const store = new TokenStore(new Keyv());
    await store.write('wx1', 'js_api_ticket', { value: 'J1', expired_time: NOW_SEC + 7200 }, NOW_MS);
    expect(await store.read('wx1', 'js_api_ticket')).toStrictEqual({
      value: 'J1',
      expired_time: NOW_SEC + 7200,
    });
    expect(await store.read('wx1', 'access_token')).toBeUndefined();
  });

  it('reads a store map someone else wrote, with extra fields of their own', async () => {
    const keyv = new Keyv();
    await keyv.set('wx1:access_token', { value: 'T1', expired_time: NOW_SEC + 100, by: 'elixir' });
    expect(await new TokenStore(keyv).read('wx1', 'access_token')).toStrictEqual({
      value: 'T1',
      expired_time: NOW_SEC + 100,
    });
  });

  it("gives each write a keyv TTL of the token's remaining lifetime on the given clock", async () => {
    const rec = recordingStore();
    const store = new TokenStore(new Keyv({ store: rec.adapter as never }));
    const nowMs = 1_700_000_000_500;
    await store.write('wx1', 'access_token', { value: 'T1', expired_time: 1_700_007_200 }, nowMs);
    expect(rec.sets).toEqual([{ key: 'keyv:wx1:access_token', ttl: 7_199_500 }]);
  });

  it('gives a write of an already expired token a TTL of at least 1 s', async () => {
    const rec = recordingStore();
    const store = new TokenStore(new Keyv({ store: rec.adapter as never }));
    await store.write('wx1', 'access_token', { value: 'T1', expired_time: 1_000 }, 1_700_000_000_000);
    expect(rec.sets[0].ttl).toBe(1000);
  });

  it('writes only value and expired_time, whatever else the map carries', async () => {
    const keyv = new Keyv();
    const map = { value: 'T1', expired_time: NOW_SEC + 7200, owner: 'wx1' };
    await new TokenStore(keyv).write('wx1', 'access_token', map, NOW_MS);
    expect(await keyv.get('wx1:access_token')).toStrictEqual({ value: 'T1', expired_time: NOW_SEC + 7200 });
  });

  it('readMany returns one entry per ref, in the order asked, undefined where missing', async () => {
    const store = new TokenStore(new Keyv());
    await store.write('a', 'access_token', { value: 'A', expired_time: NOW_SEC + 100 }, NOW_MS);
    await store.write('c', 'access_token', { value: 'C', expired_time: NOW_SEC + 300 }, NOW_MS);
    await store.write('b', 'js_api_ticket', { value: 'B', expired_time: NOW_SEC + 200 }, NOW_MS);
    const rows = await store.readMany([
      { storeId: 'c', storeKey: 'access_token' },
      { storeId: 'b', storeKey: 'access_token' },
      { storeId: 'a', storeKey: 'access_token' },
      { storeId: 'b', storeKey: 'js_api_ticket' },
    ]);
    expect(rows).toStrictEqual([
      { value: 'C', expired_time: NOW_SEC + 300 },
      undefined,
      { value: 'A', expired_time: NOW_SEC + 100 },
      { value: 'B', expired_time: NOW_SEC + 200 },
    ]);
  });

  it('readMany of no refs is [] without touching the store', async () => {
    const store = new TokenStore(brokenKeyv());
    expect(await store.readMany([])).toEqual([]);
  });

  it('reads malformed entries as undefined and leaves them as they were', async () => {
    const keyv = new Keyv();
    const bad: Record<string, unknown> = {
      'wx1:access_token': 'just a string',
      'wx1:js_api_ticket': { value: '', expired_time: NOW_SEC + 100 },
      'wx1:wx_card_ticket': { value: 'T' },
      'wx2:access_token': { value: 'T', expired_time: '1700000000' },
      'wx3:access_token': { token: 'T', expires: NOW_SEC + 100 },
    };
    for (const [key, raw] of Object.entries(bad)) await keyv.set(key, raw);
    const store = new TokenStore(keyv);
    expect(await store.read('wx1', 'access_token')).toBeUndefined();
    expect(await store.read('wx1', 'js_api_ticket')).toBeUndefined();
    const refs = Object.keys(bad).map((key) => {
      const [storeId, storeKey] = key.split(':');
      return { storeId, storeKey };
    });
    expect(await store.readMany(refs)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    for (const [key, raw] of Object.entries(bad)) expect(await keyv.get(key)).toEqual(raw);
  });

  it('read surfaces a store failure as StoreError WR_ERR_STORE, with the cause', async () => {
    const store = new TokenStore(brokenKeyv());
    const error = await store.read('wx1', 'access_token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toBeInstanceOf(RefresherError);
    expect((error as StoreError).code).toBe('WR_ERR_STORE');
    expect((error as StoreError).message).toContain('wx1:access_token');
    expect((error as StoreError).cause).toBeInstanceOf(Error);
  });

  it('write surfaces a store failure as StoreError whose message carries no token value', async () => {
    const keyv = brokenKeyv();
    keyv.on('error', () => {});
    const store = new TokenStore(keyv);
    const error = await store
      .write('wx1', 'access_token', { value: SECRET_VALUE, expired_time: NOW_SEC + 7200 }, NOW_MS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('WR_ERR_STORE');
    expect((error as StoreError).message).toContain('wx1:access_token');
    expect((error as StoreError).message).not.toContain(SECRET_VALUE);
    expect(String((error as StoreError).cause)).not.toContain(SECRET_VALUE);
  });

  it('readMany surfaces a failing getMany as StoreError', async () => {
    const store = new TokenStore(brokenKeyv(true));
    const error = await store
      .readMany([{ storeId: 'wx1', storeKey: 'access_token' }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('WR_ERR_STORE');
  });

  it('readMany surfaces a failing store without getMany as StoreError, not as missing tokens', async () => {
    // keyv 5.6 falls back to get() per key under Promise.allSettled and drops the rejections, even
    // with throwOnErrors: a store that is down would read as "no token" and start a refresh storm.
    const store = new TokenStore(brokenKeyv(false));
    const result = await store
      .readMany([
        { storeId: 'wx1', storeKey: 'access_token' },
        { storeId: 'wx2', storeKey: 'access_token' },
      ])
      .then(
        (rows) => ({ rows }),
        (error: unknown) => ({ error }),
      );
    expect(result).toHaveProperty('error');
    expect((result as { error: unknown }).error).toBeInstanceOf(StoreError);
  });
});
