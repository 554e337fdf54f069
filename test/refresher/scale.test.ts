/**
 * Ten thousand clients through the public API: each gets its token, and removing them all leaves
 * the registry, the scheduler, the token cache and the actor system empty.
 */
import { describe, expect, it } from 'vitest';
import { harness } from './setup.js';

const N = 10_000;

describe('a refresher with 10,000 clients', () => {
  it('gives every client its token, then removes them all and is empty afterwards', async () => {
    const apps = Array.from({ length: N }, (_, i) => ({ appid: `wx${i}`, secret: `secret-${i}` }));
    const h = harness({ fake: { apps, callLogLimit: 100 }, maxConcurrentCalls: 64 });
    const clients = apps.map((a) => ({ kind: 'mini_program' as const, ...a }));
    await Promise.all(clients.map((c) => h.refresher.add(c)));
    expect(h.refresher.clients()).toHaveLength(N);
    for (const { appid } of apps) {
      const token = h.refresher.getToken(appid, 'access_token');
      expect(token).toBeDefined();
      expect(h.fake.isValid(token!)).toBe(true);
    }
    const runtime = h.refresher._runtime;
    expect(runtime.credentials.scheduler.size).toBe(N);
    expect(Object.keys(runtime.supervisor.system.getAll())).toHaveLength(N + 1);

    const results = await Promise.all(apps.map((a) => h.refresher.remove(a.appid)));
    expect(results.every((r) => r === 'ok')).toBe(true);
    expect(h.refresher.clients()).toEqual([]);
    expect(runtime.clients.size).toBe(0);
    expect(runtime.credentials.scheduler.size).toBe(0);
    expect(runtime.cache.size).toBe(0);
    expect(Object.keys(runtime.supervisor.system.getAll())).toEqual(['supervisor']);
    expect(h.refresher.getToken('wx0', 'access_token')).toBeUndefined();
    await h.refresher.stop();
  }, 120_000);
});
