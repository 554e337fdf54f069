/**
 * The stand-alone server on a real loopback port: it binds 127.0.0.1, serves every route family
 * (page, API, control with and without the token, live feed, metrics, health) over real sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listenRefresherServer, type RefresherServer } from '../../src/server/index.js';
import { AUTH, makeRig, makeServer, type Rig } from './helpers.js';

let rig: Rig;
let server: RefresherServer;
let url: string;

beforeAll(async () => {
  rig = await makeRig();
  server = makeServer(rig, { port: 0 });
  url = await listenRefresherServer(server);
});

afterAll(async () => {
  await server.close();
  await rig.refresher.stop();
});

describe('server on loopback', () => {
  it('binds 127.0.0.1 by default', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((server.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('serves the page, the API, health and metrics', async () => {
    expect((await fetch(`${url}/`)).headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect((await (await fetch(`${url}/api/clients?limit=1`)).json()).total).toBe(6);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('wechat_refresher_seconds_to_expiry');
  });

  it('refuses control without the token, and does it with', async () => {
    const refused = await fetch(`${url}/api/clients/wx_oa/refresh`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const done = await fetch(`${url}/api/clients/wx_oa/refresh`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(done.status).toBe(200);
    expect((await done.json()).client.refreshes).toBe(6);
  });

  it('streams updates over a real WebSocket', async () => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/live`);
    const messages: Array<{ type: string; clients?: Array<{ appid: string }> }> = [];
    ws.on('message', (d: Buffer) => messages.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'watch', appids: ['wx_mp'] }));
    await expect.poll(() => messages.some((m) => m.type === 'hello')).toBe(true);
    await fetch(`${url}/api/clients/wx_mp/refresh`, { method: 'POST', headers: AUTH });
    await expect
      .poll(() => messages.some((m) => m.type === 'update' && m.clients?.some((c) => c.appid === 'wx_mp')))
      .toBe(true);
    ws.close();
  });
});
