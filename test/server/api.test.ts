/**
 * The JSON API through `.inject()`: every route, auth refused without the token (and nothing
 * done), 404 for unknown appids, and the list's filter, sort and paging.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RefresherServer } from '../../src/server/index.js';
import { AUTH, makeRig, makeServer, type Rig, TOKEN } from './helpers.js';

let rig: Rig;
let server: RefresherServer;

beforeEach(async () => {
  rig = await makeRig();
  server = makeServer(rig);
  await server.ready();
});

afterEach(async () => {
  await server.close();
  await rig.refresher.stop();
});

describe('GET /api/clients', () => {
  it('lists every client and component, worst first, with a summary', async () => {
    const res = await server.inject('/api/clients');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(6);
    expect(body.nowMs).toBe(rig.clock.now());
    expect(body.items.map((v: { appid: string }) => v.appid)).toContain('wx_comp');
    expect(body.items[0].appid).toBe('wx_bad');
    expect(body.items[0].health).toBe('expired');
    expect(body.items[0].keys[0].lastError.kind).toBe('configuration');
    expect(body.items[0].keys[0].lastError.advice).toMatch(/Needs a person/);
    expect(body.summary).toMatchObject({ clients: 5, components: 1 });
    expect(body.summary.byHealth.ok).toBe(5);
  });

  it('gives each key its expiry instant and next refresh, never a value', async () => {
    const body = (await server.inject('/api/clients?q=wx_oa')).json();
    expect(body.total).toBe(1);
    const [oa] = body.items;
    expect(oa).toMatchObject({ appid: 'wx_oa', kind: 'official_account', state: 'idle', refreshes: 3 });
    expect(oa.keys.map((k: { storeKey: string }) => k.storeKey)).toEqual([
      'access_token',
      'js_api_ticket',
      'wx_card_ticket',
    ]);
    for (const key of oa.keys) {
      expect(key.expiresAtSec).toBe(Math.floor(rig.clock.now() / 1000) + 7200);
      expect(key.nextRefreshAtMs).toBe(rig.clock.now() + (7200 - 1800) * 1000);
      expect(Object.keys(key)).not.toContain('value');
    }
    const token = rig.refresher.getToken('wx_oa', 'access_token')!;
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it('filters by health, kind and machine, sorts and pages', async () => {
    const bad = (await server.inject('/api/clients?health=expired,stuck')).json();
    expect(bad.items.map((v: { appid: string }) => v.appid)).toEqual(['wx_bad']);
    const work = (await server.inject('/api/clients?kind=work')).json();
    expect(work.items.map((v: { appid: string }) => v.appid)).toEqual(['ww_corp']);
    const components = (await server.inject('/api/clients?machine=component')).json();
    expect(components.items[0]).toMatchObject({ appid: 'wx_comp', authorizers: ['wx_auth'] });
    const byAppid = (await server.inject('/api/clients?sort=appid&limit=2&offset=2')).json();
    expect(byAppid).toMatchObject({ total: 6, offset: 2, limit: 2 });
    expect(byAppid.items.map((v: { appid: string }) => v.appid)).toEqual(['wx_bad', 'wx_comp']);
  });

  it('answers 400 for a bad query', async () => {
    for (const q of ['health=bogus', 'sort=nope', 'limit=-1', 'offset=x', 'machine=robot']) {
      const res = await server.inject(`/api/clients?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error).toBe('bad_request');
    }
  });
});

describe('GET /api/clients/:appid', () => {
  it('shows one client with its options', async () => {
    const res = await server.inject('/api/clients/wx_auth');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.client).toMatchObject({ appid: 'wx_auth', componentAppid: 'wx_comp', health: 'ok' });
    expect(body.options.refreshOptions[0]).toEqual({
      storeId: 'wx_comp',
      storeKey: 'component_access_token',
    });
  });

  it('shows a component', async () => {
    const body = (await server.inject('/api/clients/wx_comp')).json();
    expect(body.client).toMatchObject({ machine: 'component', kind: 'component', state: 'idle' });
  });

  it("answers 404 'not_found' for an unknown appid", async () => {
    const res = await server.inject('/api/clients/wx_nobody');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', appid: 'wx_nobody' });
  });
});

describe('control routes', () => {
  const refreshesOf = (appid: string) => rig.refresher._runtime.clients.get(appid)!.stats.refreshes;

  it('refuses a missing or wrong token with 401 and does nothing', async () => {
    const before = rig.fake.callCount();
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-0000000000' },
      { authorization: TOKEN },
      { authorization: `Basic ${TOKEN}` },
    ]) {
      for (const url of ['/api/clients/wx_oa/refresh', '/api/clients/wx_oa/pause', '/api/start-monitor']) {
        const res = await server.inject({ method: 'POST', url, headers });
        expect(res.statusCode, url).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }
    }
    expect(rig.fake.callCount()).toBe(before);
    expect(refreshesOf('wx_oa')).toBe(3);
    expect(rig.refresher._runtime.clients.get('wx_oa')!.state).toBe('idle');
  });

  it('refresh: every key of the client, answered with its new view', async () => {
    const before = rig.refresher.getStoreMap('wx_oa', 'access_token')!;
    rig.clock.increment(60_000);
    const res = await server.inject({ method: 'POST', url: '/api/clients/wx_oa/refresh', headers: AUTH });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.result).toBe('ok');
    expect(body.client.refreshes).toBe(6);
    expect(body.client.keys[0].expiresAtSec).toBe(before.expired_time + 60);
    expect(refreshesOf('wx_oa')).toBe(6);
  });

  it('refresh: one key when storeId and storeKey are given', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/api/clients/wx_oa/refresh',
      headers: AUTH,
      payload: { storeId: 'wx_oa', storeKey: 'js_api_ticket' },
    });
    expect(res.json().result).toBe('ok');
    expect(refreshesOf('wx_oa')).toBe(4);
  });

  it('refresh of a component refreshes its component_access_token', async () => {
    const res = await server.inject({ method: 'POST', url: '/api/clients/wx_comp/refresh', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.json().client.refreshes).toBe(2);
  });

  it('pause and resume', async () => {
    const paused = await server.inject({ method: 'POST', url: '/api/clients/wx_mp/pause', headers: AUTH });
    expect(paused.statusCode).toBe(200);
    expect(paused.json().client).toMatchObject({ state: 'paused', health: 'paused' });
    expect(paused.json().client.keys[0].nextRefreshAtMs).toBeNull();
    const resumed = await server.inject({ method: 'POST', url: '/api/clients/wx_mp/resume', headers: AUTH });
    expect(resumed.json().client).toMatchObject({ state: 'idle', paused: false });
    expect(resumed.json().client.keys[0].nextRefreshAtMs).toBeGreaterThan(rig.clock.now());
  });

  it("answers 404 'not_found' for an unknown appid", async () => {
    for (const action of ['refresh', 'pause', 'resume']) {
      const res = await server.inject({
        method: 'POST',
        url: `/api/clients/wx_nobody/${action}`,
        headers: AUTH,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'not_found', appid: 'wx_nobody' });
    }
  });

  it('answers 503 once the refresher is stopped', async () => {
    await rig.refresher.stop();
    const res = await server.inject({ method: 'POST', url: '/api/clients/wx_oa/refresh', headers: AUTH });
    expect(res.statusCode).toBe(503);
  });
});

describe('POST /api/start-monitor', () => {
  it('starts a refresher created with waitForSignal', async () => {
    const waiting = await makeRig({ waitForSignal: true });
    const s = makeServer(waiting);
    try {
      const before = (await s.inject('/api/clients/wx_oa')).json();
      expect(before.client).toMatchObject({ state: 'waiting', health: 'waiting' });
      const res = await s.inject({ method: 'POST', url: '/api/start-monitor', headers: AUTH });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ result: 'ok' });
      expect((await s.inject('/api/clients/wx_oa')).json().client.state).toBe('idle');
    } finally {
      await s.close();
      await waiting.refresher.stop();
    }
  });
});

describe('GET /api/chart', () => {
  it('is the client machine laid out, every state a node', async () => {
    const chart = (await server.inject('/api/chart')).json();
    expect(chart.id).toBe('client');
    expect(chart.nodes.map((n: { key: string }) => n.key).sort()).toEqual(
      ['booting', 'deciding', 'idle', 'paused', 'refreshing', 'retrying', 'stopped', 'waiting'].sort(),
    );
  });
});

describe('the dashboard', () => {
  it('serves the page with a strict CSP and its assets, nothing from elsewhere', async () => {
    const page = await server.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page.body).not.toMatch(/https?:\/\//);
    for (const asset of ['app.js', 'chart.js', 'style.css']) {
      const res = await server.inject(`/dashboard/${asset}`);
      expect(res.statusCode, asset).toBe(200);
      expect(res.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    }
  });
});
