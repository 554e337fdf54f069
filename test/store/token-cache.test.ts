import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { TokenCache } from '../../src/store/token-cache.js';

const NOW_SEC = 1_700_000_000;

function setup() {
  const clock = new SimulatedClock();
  clock.set(NOW_SEC * 1000);
  return { clock, cache: new TokenCache(clock) };
}

describe('TokenCache', () => {
  it('get(storeId, storeKey) returns a live token and undefined for a missing one', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    expect(cache.get('wx1', 'access_token')).toBe('T1');
    expect(cache.get('wx1', 'js_api_ticket')).toBeUndefined();
    expect(cache.get('wx2', 'access_token')).toBeUndefined();
  });

  it('never returns an expired token: undefined from the second it expires', () => {
    const { clock, cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 10 }, 'wx1');
    clock.set(NOW_SEC * 1000 + 9999);
    expect(cache.get('wx1', 'access_token')).toBe('T1');
    expect(cache.getStoreMap('wx1', 'access_token')).toBeDefined();
    clock.set((NOW_SEC + 10) * 1000);
    expect(cache.get('wx1', 'access_token')).toBeUndefined();
    expect(cache.getStoreMap('wx1', 'access_token')).toBeUndefined();
  });

  it('never returns a token written already expired', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'OLD', expired_time: NOW_SEC - 1 }, 'wx1');
    expect(cache.get('wx1', 'access_token')).toBeUndefined();
    expect(cache.getStoreMap('wx1', 'access_token')).toBeUndefined();
  });

  it('still reports the expiry of an expired token, and 0 for a missing one', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'OLD', expired_time: NOW_SEC - 1 }, 'wx1');
    expect(cache.expiresAtSec('wx1', 'access_token')).toBe(NOW_SEC - 1);
    expect(cache.expiresAtSec('wx1', 'js_api_ticket')).toBe(0);
    expect(cache.expiresAtSec('nobody', 'access_token')).toBe(0);
  });

  it('getStoreMap returns { value, expired_time } and nothing else', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    expect(cache.getStoreMap('wx1', 'access_token')).toStrictEqual({
      value: 'T1',
      expired_time: NOW_SEC + 7200,
    });
  });

  it('getStoreMap returns a copy: changing it does not change the cache', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    const map = cache.getStoreMap('wx1', 'access_token')!;
    map.value = 'tampered';
    map.expired_time = NOW_SEC + 999_999;
    expect(cache.get('wx1', 'access_token')).toBe('T1');
    expect(cache.getStoreMap('wx1', 'access_token')).toStrictEqual({
      value: 'T1',
      expired_time: NOW_SEC + 7200,
    });
    expect(cache.getStoreMap('wx1', 'access_token')).not.toBe(cache.getStoreMap('wx1', 'access_token'));
  });

  it('set copies the map it is given', () => {
    const { cache } = setup();
    const map = { value: 'T1', expired_time: NOW_SEC + 7200 };
    cache.set('wx1', 'access_token', map, 'wx1');
    map.value = 'tampered';
    expect(cache.get('wx1', 'access_token')).toBe('T1');
  });

  it('set replaces the value of a key', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 100 }, 'wx1');
    cache.set('wx1', 'access_token', { value: 'T2', expired_time: NOW_SEC + 7200 }, 'wx1');
    expect(cache.get('wx1', 'access_token')).toBe('T2');
    expect(cache.expiresAtSec('wx1', 'access_token')).toBe(NOW_SEC + 7200);
  });

  it('delete by the owner removes the key', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    cache.delete('wx1', 'access_token', 'wx1');
    expect(cache.get('wx1', 'access_token')).toBeUndefined();
    expect(cache.expiresAtSec('wx1', 'access_token')).toBe(0);
  });

  it("delete by another owner keeps the owner's token (seed Q10)", () => {
    const { cache } = setup();
    cache.set(
      'comp1',
      'component_access_token',
      { value: 'C1', expired_time: NOW_SEC + 7200 },
      'component:comp1',
    );
    cache.delete('comp1', 'component_access_token', 'wx_authorizer');
    expect(cache.get('comp1', 'component_access_token')).toBe('C1');
    expect(cache.keysOf('comp1', 'component:comp1')).toEqual(['component_access_token']);
  });

  it('delete of a missing key or storeId is a no-op', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    cache.delete('wx1', 'js_api_ticket', 'wx1');
    cache.delete('nobody', 'access_token', 'wx1');
    expect(cache.get('wx1', 'access_token')).toBe('T1');
    expect(cache.size).toBe(1);
  });

  it("deleting a storeId's last key drops the storeId from size", () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    cache.set('wx1', 'js_api_ticket', { value: 'J1', expired_time: NOW_SEC + 7200 }, 'wx1');
    cache.set('wx2', 'access_token', { value: 'T2', expired_time: NOW_SEC + 7200 }, 'wx2');
    expect(cache.size).toBe(2);
    cache.delete('wx1', 'access_token', 'wx1');
    expect(cache.size).toBe(2);
    cache.delete('wx1', 'js_api_ticket', 'wx1');
    expect(cache.size).toBe(1);
    expect(cache.keysOf('wx1', 'wx1')).toEqual([]);
  });

  it("keysOf lists only the owner's keys under a storeId, expired ones included", () => {
    const { cache } = setup();
    cache.set('shared', 'access_token', { value: 'A', expired_time: NOW_SEC + 7200 }, 'wx1');
    cache.set('shared', 'js_api_ticket', { value: 'B', expired_time: NOW_SEC - 5 }, 'wx1');
    cache.set('shared', 'other_key', { value: 'C', expired_time: NOW_SEC + 7200 }, 'wx2');
    expect(cache.keysOf('shared', 'wx1').sort()).toEqual(['access_token', 'js_api_ticket']);
    expect(cache.keysOf('shared', 'wx2')).toEqual(['other_key']);
    expect(cache.keysOf('shared', 'wx3')).toEqual([]);
    expect(cache.keysOf('nobody', 'wx1')).toEqual([]);
  });

  it('treats keys named like Object.prototype members as ordinary keys', () => {
    const { cache } = setup();
    expect(cache.get('wx1', 'toString')).toBeUndefined();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    expect(cache.get('wx1', 'constructor')).toBeUndefined();
    expect(cache.get('wx1', 'hasOwnProperty')).toBeUndefined();
    expect(cache.expiresAtSec('wx1', 'toString')).toBe(0);
    cache.set('wx1', '__proto__', { value: 'P', expired_time: NOW_SEC + 7200 }, 'wx1');
    expect(cache.get('wx1', '__proto__')).toBe('P');
    expect(cache.keysOf('wx1', 'wx1').sort()).toEqual(['__proto__', 'access_token']);
  });

  it('keeps storeIds apart: the same storeKey under two storeIds is two tokens', () => {
    const { cache } = setup();
    cache.set('wx1', 'access_token', { value: 'T1', expired_time: NOW_SEC + 7200 }, 'wx1');
    cache.set('wx2', 'access_token', { value: 'T2', expired_time: NOW_SEC + 7200 }, 'wx2');
    cache.delete('wx1', 'access_token', 'wx1');
    expect(cache.get('wx2', 'access_token')).toBe('T2');
  });
});
