/**
 * Custom refresh options: user functions, multi-value results, bad results, and lifetimes past
 * Node's 24.8-day timer limit (spec §4 rule 8: delays are clamped and re-armed, never fired early).
 */
import { describe, expect, it } from 'vitest';
import type { RefreshContext } from '../../src/index.js';
import { harness, T0_SEC } from './setup.js';

const DAY = 86_400;

describe('custom refresh options', () => {
  it('runs a user function with the context, and a 40-day lifetime refreshes 40 days less 1800 s later', async () => {
    const seen: RefreshContext[] = [];
    let n = 0;
    const h = harness({
      clients: [
        [
          { kind: 'mini_program', appid: 'custom1' },
          {
            refreshOptions: [
              {
                storeId: 'custom1',
                storeKey: 'long_lived',
                refresh: async (ctx) => {
                  seen.push(ctx);
                  n++;
                  return { value: `v${n}`, expiresIn: 40 * DAY };
                },
              },
            ],
          },
        ],
      ],
    });
    await h.refresher.ready;
    expect(seen[0]).toMatchObject({
      storeId: 'custom1',
      storeKey: 'long_lived',
      client: { appid: 'custom1' },
    });
    expect(seen[0].nowSec()).toBe(T0_SEC);
    expect(h.refresher.getStoreMap('custom1', 'long_lived')).toEqual({
      value: 'v1',
      expired_time: T0_SEC + 40 * DAY,
    });
    // Past 2^31-1 ms (24.8 days) a plain setTimeout would fire at once; the scheduler re-arms instead.
    await h.advance(25 * DAY * 1000);
    expect(n).toBe(1);
    await h.advance((15 * DAY - 1800) * 1000 - 1);
    expect(n).toBe(1);
    await h.advance(1);
    expect(n).toBe(2);
    await h.refresher.stop();
  });

  it('stores every value of a multi-value result; the option key schedules the next refresh', async () => {
    const h = harness({
      clients: [
        [
          { kind: 'mini_program', appid: 'multi' },
          {
            refreshOptions: [
              {
                storeId: 'multi',
                storeKey: 'a',
                refresh: async () => ({
                  expiresIn: 3600,
                  values: [
                    { storeKey: 'a', value: 'A', expiresIn: 3600 },
                    { storeKey: 'b', value: 'B', expiresIn: 9 * DAY },
                  ],
                }),
              },
            ],
          },
        ],
      ],
    });
    await h.refresher.ready;
    expect(h.refresher.getStoreMap('multi', 'b')).toEqual({ value: 'B', expired_time: T0_SEC + 9 * DAY });
    expect(await h.store.get('multi:b')).toEqual({ value: 'B', expired_time: T0_SEC + 9 * DAY });
    await h.refresher.stop();
  });

  it('treats an empty value or a non-positive expiresIn as a failed refresh, and keeps the old value', async () => {
    let answer: unknown = { value: 'GOOD', expiresIn: 7200 };
    const failures: Array<{ error: { code: string } }> = [];
    const h = harness({
      clients: [
        [
          { kind: 'mini_program', appid: 'bad' },
          { refreshOptions: [{ storeId: 'bad', storeKey: 'k', refresh: async () => answer as never }] },
        ],
      ],
    });
    h.refresher.on('refresh_failed', (e) => failures.push(e));
    await h.refresher.ready;
    for (const bad of [{ value: '', expiresIn: 10 }, { value: 'X', expiresIn: 0 }, { value: 'X' }, null]) {
      answer = bad;
      await h.refresher.refresh('bad');
    }
    expect(failures.map((f) => f.error.code)).toEqual(Array(4).fill('WR_ERR_REFRESH_RESULT'));
    expect(h.refresher.getToken('bad', 'k')).toBe('GOOD');
    await h.refresher.stop();
  });

  it('reports a thrown plain Error as a transient failure with its message', async () => {
    const failures: Array<{ error: { code: string; kind: string; message: string }; retryInSec: number }> =
      [];
    const h = harness({
      clients: [
        [
          { kind: 'mini_program', appid: 'thrower' },
          {
            refreshRetryInterval: 7,
            refreshOptions: [
              {
                storeId: 'thrower',
                storeKey: 'k',
                refresh: async () => {
                  throw new Error('upstream said no');
                },
              },
            ],
          },
        ],
      ],
    });
    h.refresher.on('refresh_failed', (e) => failures.push(e));
    await h.refresher.ready;
    expect(failures[0]).toMatchObject({
      error: { code: 'WR_ERR_REFRESH_FAILED', kind: 'transient', message: 'upstream said no' },
      retryInSec: 7,
    });
    await h.refresher.stop();
  });
});
