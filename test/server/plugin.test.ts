/**
 * The plugin form: mounted in a user's own fastify app under a prefix, with the dashboard's
 * relative URLs working there.
 */
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createRefresherPlugin } from '../../src/server/index.js';
import { makeRig, type Rig } from './helpers.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.refresher.stop();
});

describe('createRefresherPlugin', () => {
  it('mounts under a prefix beside the app’s own routes', async () => {
    rig = await makeRig();
    const app = Fastify();
    // The user's own WebSocket support: the plugin uses it rather than registering its own.
    await app.register(websocket);
    app.get('/', async () => 'the user’s own home');
    const web = createRefresherPlugin(rig.refresher);
    expect(web.token).toMatch(/^[0-9a-f]{64}$/);
    await app.register(web.plugin, { prefix: '/refresher' });
    expect((await app.inject('/')).body).toBe('the user’s own home');
    const bare = await app.inject('/refresher');
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('/refresher/');
    expect((await app.inject('/refresher/')).headers['content-type']).toMatch(/text\/html/);
    expect((await app.inject('/refresher/api/clients')).json().total).toBe(6);
    expect((await app.inject('/refresher/healthz')).json().status).toBe('degraded');
    const refused = await app.inject({ method: 'POST', url: '/refresher/api/clients/wx_oa/refresh' });
    expect(refused.statusCode).toBe(401);
    const done = await app.inject({
      method: 'POST',
      url: '/refresher/api/clients/wx_oa/refresh',
      headers: { authorization: `Bearer ${web.token}` },
    });
    expect(done.json().result).toBe('ok');
    let hello = new Promise<string>(() => {});
    const ws = await app.injectWS(
      '/refresher/api/live',
      {},
      {
        onInit: (socket) => {
          hello = new Promise((r) => socket.once('message', (d: Buffer) => r(String(d))));
        },
      },
    );
    expect(JSON.parse(await hello).type).toBe('hello');
    ws.terminate();
    await app.close();
  });
});
