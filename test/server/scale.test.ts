/**
 * 10,000 clients: the list pages and filters on the server, so the dashboard gets one page
 * whatever the count, quickly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { type ClientConfig, type ClientSetting, createRefresher, type Refresher } from '../../src/index.js';
import { createRefresherServer, type RefresherServer } from '../../src/server/index.js';

const N = 10_000;
let refresher: Refresher;
let server: RefresherServer;

beforeAll(async () => {
  const clock = new SimulatedClock();
  clock.set(Date.UTC(2025, 2, 10, 2));
  const clients = Array.from({ length: N }, (_, i): [ClientConfig, ClientSetting] => {
    const appid = `wx_scale_${String(i).padStart(5, '0')}`;
    return [
      { kind: 'mini_program', appid },
      {
        refreshOptions: [
          {
            storeId: appid,
            storeKey: 'access_token',
            refresh: async () => {
              if (i % 1000 === 7) throw new Error('upstream down');
              return { value: `v-${i}`, expiresIn: 7200 - (i % 600) };
            },
          },
        ],
      },
    ];
  });
  refresher = createRefresher({ clock, clients, maxConcurrentCalls: 64 });
  await refresher.ready;
  server = createRefresherServer(refresher, { token: 'scale-token-0123456789' });
  await server.ready();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await refresher?.stop();
});

describe('10,000 clients', () => {
  it('serves one page, worst first, in well under a second', async () => {
    const started = performance.now();
    const res = await server.inject('/api/clients?limit=50');
    const elapsedMs = performance.now() - started;
    const body = res.json();
    expect(body.total).toBe(N);
    expect(body.items).toHaveLength(50);
    expect(body.items.slice(0, 10).every((v: { health: string }) => v.health === 'expired')).toBe(true);
    expect(body.summary.byHealth).toMatchObject({ expired: 10, ok: N - 10 });
    expect(res.body.length).toBeLessThan(100_000);
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('filters and pages', async () => {
    const body = (await server.inject('/api/clients?q=wx_scale_0099&sort=appid&offset=5&limit=3')).json();
    expect(body.total).toBe(10);
    expect(body.items.map((v: { appid: string }) => v.appid)).toEqual([
      'wx_scale_00995',
      'wx_scale_00996',
      'wx_scale_00997',
    ]);
    const last = (await server.inject(`/api/clients?sort=added&offset=${N - 1}`)).json();
    expect(last.items.map((v: { appid: string }) => v.appid)).toEqual(['wx_scale_09999']);
  });

  it('answers /healthz and /metrics', async () => {
    expect((await server.inject('/healthz')).json()).toMatchObject({ clients: N, expired: 10 });
    const metrics = await server.inject('/metrics');
    expect(
      metrics.body.split('\n').filter((l) => l.startsWith('wechat_refresher_seconds_to_expiry{')).length,
    ).toBe(N);
  });
});
