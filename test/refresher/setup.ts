/**
 * Shared set-up of the refresher suites: a SimulatedClock, the in-process fake WeChat on that clock,
 * an in-memory Keyv, and helpers to let in-flight refreshes finish (no sleeps: only microtasks and
 * immediates run between clock steps).
 */
import Keyv from 'keyv';
import { SimulatedClock } from 'xstate';
import { createFakeWeChat, type FakeWeChatOptions } from '../../src/fake/index.js';
import { createRefresher, type RefresherOptions } from '../../src/index.js';

/** 2026-11-25 10:00 in Shanghai: far from the daily quota reset. */
export const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
export const T0_SEC = T0 / 1000;

export const OA = { kind: 'official_account' as const, appid: 'oa1', secret: 'oa1-secret' };
export const MP = { kind: 'mini_program' as const, appid: 'mp1', secret: 'mp1-secret' };

export interface Harness {
  clock: SimulatedClock;
  fake: ReturnType<typeof createFakeWeChat>;
  store: Keyv;
  refresher: ReturnType<typeof createRefresher>;
  /** Advances the clock and lets the refreshes it triggered finish. */
  advance(ms: number): Promise<void>;
  /** Calls the fake received for a path since the start (or since `fake.clearCalls()`). */
  calls(path: string): number;
  paths(): string[];
}

/** Lets every pending promise chain run to completion. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function harness(
  opts: Omit<RefresherOptions, 'clock' | 'fetch'> & { fake?: FakeWeChatOptions; clockAt?: number } = {},
): Harness {
  const clock = new SimulatedClock();
  clock.set(opts.clockAt ?? T0);
  const fake = createFakeWeChat({
    apps: [
      { appid: OA.appid, secret: OA.secret },
      { appid: MP.appid, secret: MP.secret },
    ],
    seed: 7,
    ...opts.fake,
    clock,
  });
  const store = opts.store ?? new Keyv();
  const { fake: _f, clockAt: _c, ...rest } = opts;
  const refresher = createRefresher({ ...rest, store, clock, fetch: fake.fetch });
  return {
    clock,
    fake,
    store,
    refresher,
    advance: async (ms) => {
      clock.increment(ms);
      await settle();
    },
    calls: (path) => fake.calls.filter((c) => c.path === path).length,
    paths: () => fake.calls.map((c) => c.path),
  };
}

/** Mints a real token from the fake, as if an earlier run had stored it. */
export async function mintToken(fake: Harness['fake'], appid: string, secret: string): Promise<string> {
  const res = await fake.fetch(
    `https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`,
  );
  return ((await res.json()) as { access_token: string }).access_token;
}
