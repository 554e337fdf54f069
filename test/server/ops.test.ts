/**
 * /healthz and /metrics through `.inject()`: readiness, expired and stuck credentials, strict mode,
 * and an exposition that parses line by line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createRefresher } from '../../src/index.js';
import { createRefresherServer, type RefresherServer } from '../../src/server/index.js';
import { parseExposition } from '../observability/prom-format.js';
import { AUTH, CLIENTS, makeRig, makeServer, type Rig, SECRETS } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function rigWithServer(clients = CLIENTS): Promise<{ rig: Rig; server: RefresherServer }> {
  const rig = await makeRig({}, clients);
  const server = makeServer(rig);
  cleanups.push(async () => {
    await server.close();
    await rig.refresher.stop();
  });
  return { rig, server };
}

describe('GET /healthz', () => {
  it('is ok (200) when every credential is valid', async () => {
    const { server } = await rigWithServer(CLIENTS.filter((c) => c.appid !== 'wx_bad'));
    const res = await server.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      ready: true,
      clients: 4,
      components: 1,
      expired: 0,
      stuck: 0,
    });
  });

  it('is degraded, naming the app and why, when a credential is missing; 503 only with ?strict=1', async () => {
    const { server } = await rigWithServer();
    const res = await server.inject('/healthz');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'degraded', expired: 1 });
    expect(body.problems[0]).toMatchObject({ appid: 'wx_bad', health: 'expired', storeKey: 'access_token' });
    expect(body.problems[0].message).toMatch(/wx_bad/);
    expect((await server.inject('/healthz?strict=1')).statusCode).toBe(503);
  });

  it('says stuck once a key has failed three times in a row', async () => {
    const { rig, server } = await rigWithServer(CLIENTS.filter((c) => c.appid === 'wx_mp'));
    rig.fake.inject({ effect: { type: 'busy' } });
    for (let i = 0; i < 3; i++) {
      await server.inject({ method: 'POST', url: '/api/clients/wx_mp/refresh', headers: AUTH });
    }
    const body = (await server.inject('/healthz')).json();
    expect(body).toMatchObject({ status: 'degraded', stuck: 1, expired: 0 });
    expect(body.problems[0].advice).toMatch(/network failed/);
  });

  it('is starting (503) until ready, and stopped (503) after stop', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const refresher = createRefresher({
      clients: [
        [
          { kind: 'mini_program', appid: 'wx_slow' },
          {
            refreshOptions: [
              {
                storeId: 'wx_slow',
                storeKey: 'access_token',
                refresh: () => gate.then(() => ({ value: 'v-1234', expiresIn: 7200 })),
              },
            ],
          },
        ],
      ],
    });
    const server = createRefresherServer(refresher, { token: 'x'.repeat(20) });
    const starting = await server.inject('/healthz');
    expect(starting.statusCode).toBe(503);
    expect(starting.json().status).toBe('starting');
    release();
    await refresher.ready;
    expect((await server.inject('/healthz')).json().status).toBe('ok');
    await refresher.stop();
    const stopped = await server.inject('/healthz');
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json().status).toBe('stopped');
    await server.close();
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text that parses, with refreshes, failures, expiry and latency', async () => {
    const { rig, server } = await rigWithServer();
    await server.inject({ method: 'POST', url: '/api/clients/wx_mp/refresh', headers: AUTH });
    await server.inject({ method: 'POST', url: '/api/clients/wx_bad/refresh', headers: AUTH });
    const res = await server.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(res.body);
    const refreshes = families.get('wechat_refresher_refreshes_total')!;
    expect(refreshes.type).toBe('counter');
    const mp = refreshes.samples.find(
      (s) =>
        s.labels.kind === 'mini_program' &&
        s.labels.store_key === 'access_token' &&
        s.labels.source === 'fetch',
    );
    // The start-up refresh was before the server existed; the manual one is counted.
    expect(mp?.value).toBe(1);
    const failures = families.get('wechat_refresher_refresh_failures_total')!;
    expect(failures.samples).toContainEqual({
      name: 'wechat_refresher_refresh_failures_total',
      labels: {
        kind: 'mini_program',
        machine: 'client',
        store_key: 'access_token',
        error_kind: 'configuration',
        errcode: '40001',
      },
      value: 1,
    });
    const expiry = families.get('wechat_refresher_seconds_to_expiry')!;
    expect(expiry.type).toBe('gauge');
    const left = (id: string, key: string) =>
      expiry.samples.find((s) => s.labels.store_id === id && s.labels.store_key === key)?.value;
    expect(left('wx_oa', 'access_token')).toBe(7200);
    expect(left('wx_bad', 'access_token')).toBe(0);
    expect(left('wx_comp', 'component_access_token')).toBe(7200);
    rig.clock.increment(600_000);
    const later = parseExposition((await server.inject('/metrics')).body).get(
      'wechat_refresher_seconds_to_expiry',
    )!;
    expect(
      later.samples.find((s) => s.labels.store_id === 'wx_oa' && s.labels.store_key === 'access_token')
        ?.value,
    ).toBe(6600);
    expect(families.get('wechat_refresher_clients')!.samples).toContainEqual({
      name: 'wechat_refresher_clients',
      labels: { machine: 'component', state: 'idle' },
      value: 1,
    });
    expect(families.get('wechat_refresher_upstream_request_duration_seconds')!.type).toBe('histogram');
    for (const secret of SECRETS) expect(res.body).not.toContain(secret);
    expect(res.body).not.toContain(rig.refresher.getToken('wx_oa', 'access_token'));
  });
});
