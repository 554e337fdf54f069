/**
 * wait_for_signal, start_monitor, add, remove and clients (spec §8 scenarios 17-24; seed Q4, Q10 fixed).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { harness, MP, OA, T0_SEC } from './setup.js';

const TOKEN = '/cgi-bin/token';
const OA2 = { kind: 'official_account' as const, appid: 'oa2', secret: 'oa2-secret' };
const OA3 = { kind: 'official_account' as const, appid: 'oa3', secret: 'oa3-secret' };
const apps = [OA, OA2, OA3, MP].map(({ appid, secret }) => ({ appid, secret }));

describe('waitForSignal and startMonitor', () => {
  it('makes no call before startMonitor, even for clients added meanwhile (scenarios 17-18)', async () => {
    const h = harness({ clients: [OA], waitForSignal: true, fake: { apps } });
    await h.refresher.ready;
    await h.refresher.add(OA2);
    await h.advance(86_400_000);
    expect(h.fake.calls).toHaveLength(0);
    expect(h.refresher.clients()).toEqual(['oa2', 'oa1']);
    expect(h.refresher._runtime.clients.get('oa1')!.state).toBe('waiting');
    await h.refresher.stop();
  });

  it('startMonitor restores or fetches every client; a later add is monitored at once (scenario 19)', async () => {
    const h = harness({ clients: [OA], waitForSignal: true, fake: { apps } });
    await h.refresher.add(OA2);
    expect(await h.refresher.startMonitor()).toBe('ok');
    expect(h.calls(TOKEN)).toBe(2);
    expect(h.refresher.getToken('oa1', 'js_api_ticket')).toBeDefined();
    expect(h.refresher.getToken('oa2', 'wx_card_ticket')).toBeDefined();
    await h.refresher.add(OA3);
    expect(h.refresher.getToken('oa3', 'access_token')).toBeDefined();
    await h.refresher.stop();
  });

  it('startMonitor twice keeps one refresh chain per key (scenario 20, seed Q4 fixed)', async () => {
    const h = harness({ clients: [OA], waitForSignal: true });
    await Promise.all([h.refresher.startMonitor(), h.refresher.startMonitor()]);
    await h.refresher.startMonitor();
    h.fake.clearCalls();
    for (let cycle = 0; cycle < 3; cycle++) await h.advance(5400_000);
    expect(h.paths().filter((p) => p === TOKEN)).toHaveLength(3);
    expect(h.fake.calls).toHaveLength(9);
    await h.refresher.stop();
  });

  it('a manual refresh while waiting arms no timer; startMonitor then reuses its result (seed Q4 fixed)', async () => {
    const h = harness({ clients: [MP], waitForSignal: true, store: undefined });
    expect(await h.refresher.refresh('mp1')).toBe('ok');
    expect(h.calls(TOKEN)).toBe(1);
    await h.refresher.startMonitor();
    expect(h.calls(TOKEN)).toBe(1);
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(2);
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(3);
    await h.refresher.stop();
  });
});

describe('add, remove and clients', () => {
  it('lists clients most recently added first (scenario 21)', async () => {
    const h = harness({ fake: { apps } });
    await h.refresher.add(OA);
    await h.refresher.add(MP);
    await h.refresher.add(OA2);
    expect(h.refresher.clients()).toEqual(['oa2', 'mp1', 'oa1']);
    await h.refresher.stop();
  });

  it('re-adding a client moves it to the head, reuses its tokens and keeps one chain (scenario 22)', async () => {
    const h = harness({ clients: [OA, MP] });
    await h.refresher.ready;
    const token = h.refresher.getToken('oa1', 'access_token');
    h.fake.clearCalls();
    await h.refresher.add(OA, { refreshRetryInterval: 30 });
    expect(h.refresher.clients()).toEqual(['oa1', 'mp1']);
    expect(h.fake.calls).toHaveLength(0);
    expect(h.refresher.getToken('oa1', 'access_token')).toBe(token);
    expect(h.refresher.clientOptions('oa1')?.refreshRetryInterval).toBe(30);
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(2);
    expect(h.fake.calls).toHaveLength(4);
    await h.refresher.stop();
  });

  it('remove() stops the timers, drops cached tokens, keeps the store; again is not_found (scenario 23)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    const stored = await h.store.get('oa1:access_token');
    expect(await h.refresher.remove('oa1')).toBe('ok');
    expect(h.refresher.getToken('oa1', 'access_token')).toBeUndefined();
    expect(h.refresher.getStoreMap('oa1', 'js_api_ticket')).toBeUndefined();
    expect(h.refresher.clientOptions('oa1')).toBeUndefined();
    expect(h.refresher.clients()).toEqual([]);
    expect(await h.store.get('oa1:access_token')).toEqual(stored);
    h.fake.clearCalls();
    await h.advance(86_400_000);
    expect(h.fake.calls).toHaveLength(0);
    expect(await h.refresher.remove('oa1')).toBe('not_found');
    expect(h.refresher._runtime.supervisor.system.get('client:oa1')).toBeUndefined();
    await h.refresher.stop();
  });

  it('refuses two clients over one store id, so no removal can drop another client’s token (scenario 24)', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    const corp = {
      kind: 'work' as const,
      appid: 'corp1',
      agents: [{ id: 1, secret: 's', cacheId: 'mp1' }],
    };
    await expect(h.refresher.add(corp)).rejects.toThrow(/storeId 'mp1' is already used by client 'mp1'/);
    expect(h.refresher.getToken('mp1', 'access_token')).toBeDefined();
    await h.refresher.stop();
  });

  it('an ADD event sent by hand with a bad client is reported as an error event, not a crash', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    const errors: unknown[] = [];
    h.refresher.on('error', (e) => errors.push(e));
    h.refresher.actor.send({ type: 'ADD', client: { kind: 'nope', appid: 'x' } });
    h.refresher.actor.send({ type: 'NOT_AN_EVENT' } as never);
    h.refresher.actor.send({ type: 'REFRESH', appid: 'ghost' });
    await h.advance(0);
    expect(errors).toEqual([expect.objectContaining({ code: 'WR_ERR_CONFIG_INVALID' })]);
    expect(h.refresher._runtime.supervisor.getSnapshot().status).toBe('active');
    expect(await h.refresher.refresh('mp1')).toBe('ok');
    expect(h.refresher.getStoreMap('mp1', 'access_token')?.expired_time).toBe(T0_SEC + 7200);
    await h.refresher.stop();
  });

  it('rejects duplicate appids in the clients list, naming the appid', () => {
    expect(() => harness({ clients: [MP, { ...MP }] })).toThrow(ConfigError);
    expect(() => harness({ clients: [MP, { ...MP }] })).toThrow(/client 'mp1': appid appears twice/);
  });

  it('answers calls after stop() with a StoppedError', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    await h.refresher.stop();
    await expect(h.refresher.refresh('mp1')).rejects.toMatchObject({ code: 'WR_ERR_REFRESHER_STOPPED' });
    h.fake.clearCalls();
    await h.advance(86_400_000);
    expect(h.fake.calls).toHaveLength(0);
  });
});
