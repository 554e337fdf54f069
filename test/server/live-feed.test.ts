/**
 * The live feed over `injectWS`: a hello with the summary, then batched updates carrying fresh views
 * of the watched clients only, the list-changed flag and the notable events.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedMessage, RefresherServer } from '../../src/server/index.js';
import { AUTH, makeRig, makeServer, type Rig, SECRETS } from './helpers.js';

let rig: Rig;
let server: RefresherServer;

beforeEach(async () => {
  rig = await makeRig();
  server = makeServer(rig, { feedIntervalMs: 20 });
  await server.ready();
});

afterEach(async () => {
  await server.close();
  await rig.refresher.stop();
});

/** A socket whose messages queue up for `next()`. */
async function connect() {
  const queue: FeedMessage[] = [];
  const waiters: Array<(m: FeedMessage) => void> = [];
  // Listening from onInit: the hello is sent as soon as the socket opens.
  const ws = await server.injectWS(
    '/api/live',
    {},
    {
      onInit: (socket) =>
        socket.on('message', (data: Buffer) => {
          const msg = JSON.parse(String(data)) as FeedMessage;
          const w = waiters.shift();
          if (w) w(msg);
          else queue.push(msg);
        }),
    },
  );
  const next = (): Promise<FeedMessage> =>
    queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((r) => waiters.push(r));
  return { ws, next };
}

describe('live feed', () => {
  it('says hello with the summary', async () => {
    const { ws, next } = await connect();
    const hello = await next();
    expect(hello.type).toBe('hello');
    if (hello.type === 'hello') expect(hello.summary).toMatchObject({ clients: 5, components: 1 });
    ws.terminate();
  });

  it('sends fresh views of watched clients that changed, and the events, batched', async () => {
    const { ws, next } = await connect();
    await next();
    ws.send(JSON.stringify({ type: 'watch', appids: ['wx_oa'] }));
    await new Promise((r) => setTimeout(r, 30));
    await server.inject({ method: 'POST', url: '/api/clients/wx_oa/refresh', headers: AUTH });
    await server.inject({ method: 'POST', url: '/api/clients/wx_mp/refresh', headers: AUTH });
    let update = await next();
    while (update.type === 'update' && !update.clients.some((c) => c.appid === 'wx_oa'))
      update = await next();
    expect(update.type).toBe('update');
    if (update.type !== 'update') return;
    // wx_mp changed too, but is not watched: counted, not sent.
    expect(update.clients.map((c) => c.appid)).toEqual(['wx_oa']);
    expect(update.clients[0].refreshes).toBe(6);
    expect(update.changed).toBeGreaterThanOrEqual(2);
    expect(
      update.events.filter((e) => e.type === 'refreshed').map((e) => `${e.appid}:${e.storeKey}`),
    ).toEqual(expect.arrayContaining(['wx_oa:access_token', 'wx_oa:js_api_ticket', 'wx_mp:access_token']));
    const text = JSON.stringify(update);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain(rig.refresher.getToken('wx_oa', 'access_token'));
    ws.terminate();
  });

  it('flags a changed list when a client is added or removed', async () => {
    const { ws, next } = await connect();
    await next();
    ws.send(JSON.stringify({ type: 'watch', appids: ['wx_mp'] }));
    await new Promise((r) => setTimeout(r, 30));
    await rig.refresher.remove('wx_mp');
    let update = await next();
    while (update.type === 'update' && !update.listChanged) update = await next();
    expect(update).toMatchObject({ type: 'update', listChanged: true, removed: ['wx_mp'] });
    ws.terminate();
  });

  it('ignores malformed messages', async () => {
    const { ws, next } = await connect();
    await next();
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'watch', appids: 'nope' }));
    await server.inject({ method: 'POST', url: '/api/clients/wx_oa/refresh', headers: AUTH });
    const update = await next();
    expect(update).toMatchObject({ type: 'update', clients: [] });
    ws.terminate();
  });
});
