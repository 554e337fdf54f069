/**
 * The Redis store, against real redis-server processes. Why a *.redis test: it needs a server;
 * scripts/test.sh starts one on 6379 when missing. The outage test starts its own server on a
 * free port so it can stop it without disturbing anyone.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createRedisStore, createRefresher } from '../../src/index.js';
import { harness, MP, settle, T0_SEC } from '../refresher/setup.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const opened: Array<{ disconnect(): Promise<void> }> = [];

function store(namespace: string, url = REDIS_URL) {
  const keyv = createRedisStore(url, { namespace });
  opened.push(keyv);
  return keyv;
}

afterEach(async () => {
  for (const keyv of opened.splice(0)) {
    try {
      await (keyv as unknown as { clear(): Promise<void> }).clear();
    } catch {
      // the outage test's server is gone already
    }
    await keyv.disconnect().catch(() => {});
  }
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) s.kill('SIGKILL');
});

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'pipe',
    },
  );
  servers.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('Ready to accept connections')) resolve();
    });
    child.on('error', reject);
  });
  return child;
}

describe('createRedisStore', () => {
  it('persists tokens as `<storeId>:<storeKey>` → {value, expired_time}; a restart spends no quota', async () => {
    const namespace = `test-${randomUUID()}`;
    const h = harness({ clients: [MP], store: store(namespace) });
    await h.refresher.ready;
    const token = h.refresher.getToken('mp1', 'access_token');
    expect(await h.store.get('mp1:access_token')).toEqual({ value: token, expired_time: T0_SEC + 7200 });
    await h.refresher.stop();

    // A second process: a new Keyv over the same Redis keys.
    h.fake.clearCalls();
    const again = createRefresher({
      clients: [MP],
      store: store(namespace),
      clock: h.clock,
      fetch: h.fake.fetch,
    });
    await again.ready;
    expect(h.fake.calls).toHaveLength(0);
    expect(again.getToken('mp1', 'access_token')).toBe(token);
    await again.stop();
  });

  it('while Redis is down keeps serving cached tokens, reports store errors, and writes again once it is back', async () => {
    const port = await freePort();
    const server = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    const h = harness({ clients: [MP], store: store('outage', url) });
    const storeErrors: unknown[] = [];
    h.refresher.on('store_error', (e) => storeErrors.push(e));
    await h.refresher.ready;
    const token = h.refresher.getToken('mp1', 'access_token');

    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    expect(await h.refresher.refresh('mp1')).toBe('ok');
    const fresh = h.refresher.getToken('mp1', 'access_token');
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(token);
    expect(storeErrors).toEqual([
      expect.objectContaining({ storeId: 'mp1', storeKey: 'access_token', operation: 'write' }),
    ]);
    // No refresh storm: the failed write does not trigger another fetch.
    expect(h.calls('/cgi-bin/token')).toBe(2);
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('idle');

    await startRedis(port);
    // Let the client's reconnect loop (≤ 2 s between attempts) find the server again.
    for (let i = 0; i < 60; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (
        await h.store.set('probe', 1).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await h.refresher.refresh('mp1');
    await settle();
    expect(await h.store.get('mp1:access_token')).toEqual(h.refresher.getStoreMap('mp1', 'access_token'));
    await h.refresher.stop();
  }, 20_000);
});
