/**
 * Dormant clients (lazyActors): started from fresh tokens without an actor, woken when a key comes
 * due, an event reaches them, or someone looks; indistinguishable through the public API.
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { contextOf } from '../../src/runtime/index.js';
import { harness, mintToken, T0_SEC } from './setup.js';

const N = 1200;
const apps = Array.from({ length: N }, (_, i) => ({ appid: `lz${i}`, secret: `s${i}` }));
const clients = apps.map((a) => ({ kind: 'mini_program' as const, ...a }));

/** A store holding a real, fresh token for every app (as after a restart). */
async function warmStore(fake: Parameters<typeof mintToken>[0]): Promise<Keyv> {
  const store = new Keyv();
  for (const a of apps) {
    await store.set(`${a.appid}:access_token`, {
      value: await mintToken(fake, a.appid, a.secret),
      expired_time: T0_SEC + 5000,
    });
  }
  return store;
}

describe('lazy actors', () => {
  it('a large start-up keeps fresh clients dormant, serves their tokens, and wakes each when due', async () => {
    const seed = harness({ fake: { apps } });
    const store = await warmStore(seed.fake);
    const h = harness({ clients, store, fake: { apps } });
    await h.refresher.ready;
    const runtime = h.refresher._runtime;
    const entry = runtime.clients.get('lz7')!;
    expect(entry._actor).toBeUndefined();
    expect(entry.state).toBe('idle');
    expect(Object.keys(runtime.supervisor.system.getAll())).toEqual(['supervisor']);
    expect(h.fake.calls).toHaveLength(0);
    for (const a of apps) expect(h.refresher.getToken(a.appid, 'access_token')).toBeDefined();
    expect(contextOf(entry)?.keys[0].expiresAtSec).toBe(T0_SEC + 5000);

    // Due at 5000 - 1800 s: each client wakes, refreshes once, and is live from then on.
    await h.advance(3200_000);
    expect(h.calls('/cgi-bin/token')).toBe(N);
    expect(entry._actor?.getSnapshot().value).toBe('idle');
    expect(h.fake.isValid(h.refresher.getToken('lz7', 'access_token')!)).toBe(true);
    await h.refresher.stop();
  });

  it('an event or a look wakes a dormant client; removing one needs no actor at all', async () => {
    const seed = harness({ fake: { apps } });
    const store = await warmStore(seed.fake);
    const h = harness({ clients, store, fake: { apps } });
    await h.refresher.ready;
    const runtime = h.refresher._runtime;
    expect(await h.refresher.refresh('lz1')).toBe('ok');
    expect(runtime.clients.get('lz1')!._actor).toBeDefined();
    expect(h.calls('/cgi-bin/token')).toBe(1);
    await h.refresher.pause('lz2');
    expect(runtime.clients.get('lz2')!.state).toBe('paused');
    expect(runtime.supervisor.system.get('client:lz2')).toBeDefined();
    expect(await h.refresher.remove('lz3')).toBe('ok');
    expect(runtime.supervisor.system.get('client:lz3')).toBeUndefined();
    expect(h.refresher.getToken('lz3', 'access_token')).toBeUndefined();
    h.fake.clearCalls();
    await h.advance(3200_000);
    // lz1 was refreshed at start (next due later), lz2 is paused, lz3 gone: the rest refresh once.
    expect(h.calls('/cgi-bin/token')).toBe(N - 3);
    await h.refresher.stop();
  });

  it('lazyActors: false starts every actor, and an inspector turns the auto mode off', async () => {
    const seed = harness({ fake: { apps } });
    const store = await warmStore(seed.fake);
    const eager = harness({ clients, store, fake: { apps }, lazyActors: false });
    await eager.refresher.ready;
    expect(Object.keys(eager.refresher._runtime.supervisor.system.getAll())).toHaveLength(N + 1);
    await eager.refresher.stop();
    const inspected = harness({ clients, store, fake: { apps }, inspect: () => {} });
    await inspected.refresher.ready;
    expect(inspected.refresher._runtime.clients.get('lz0')!._actor).toBeDefined();
    await inspected.refresher.stop();
  });
});
