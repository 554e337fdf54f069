/**
 * Calls that overlap: control events arriving while a client restores, refreshes or starts, and
 * listeners that throw. Each case is a defect found in review; none may leave a client unmonitored,
 * a caller hanging, or a removed client's token served.
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { harness, MP, OA, T0_SEC } from './setup.js';

const TOKEN = '/cgi-bin/token';

describe('overlapping calls', () => {
  it('a refresh sent while add() restores leaves the client monitored', async () => {
    const h = harness();
    const added = h.refresher.add(OA);
    const refreshed = h.refresher.refresh('oa1');
    expect(await added).toBe('ok');
    expect(await refreshed).toBe('ok');
    const entry = h.refresher._runtime.clients.get('oa1')!;
    expect(entry.actor.getSnapshot().context.monitoring).toBe(true);
    h.fake.clearCalls();
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(1);
    expect(h.refresher.getToken('oa1', 'access_token')).toBeDefined();
    await h.refresher.stop();
  });

  it('startMonitor while a manual refresh is in flight still monitors that client', async () => {
    const h = harness({ clients: [MP], waitForSignal: true });
    const refreshed = h.refresher.refresh('mp1');
    await h.refresher.startMonitor();
    await refreshed;
    expect(h.refresher._runtime.clients.get('mp1')!.actor.getSnapshot().context.monitoring).toBe(true);
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });

  it('a client removed while its tokens are read from the store gets nothing back into the cache', async () => {
    const store = new Keyv();
    await store.set('oa1:access_token', { value: 'STORED', expired_time: T0_SEC + 6000 });
    const h = harness({ store });
    const restored: string[] = [];
    h.refresher.on('refreshed', (e) => restored.push(`${e.appid}/${e.source}`));
    const added = h.refresher.add(OA);
    const removed = h.refresher.remove('oa1');
    await Promise.all([added, removed]);
    expect(h.refresher.clients()).toEqual([]);
    expect(h.refresher.getToken('oa1', 'access_token')).toBeUndefined();
    expect(restored).toEqual([]);
    await h.refresher.stop();
  });

  it('events sent by hand during start-up wait for it instead of failing', async () => {
    const h = harness({ clients: [MP, OA] });
    const errors: unknown[] = [];
    h.refresher.on('error', (e) => errors.push(e));
    h.refresher.actor.send({ type: 'REMOVE', appid: 'oa1' });
    h.refresher.actor.send({ type: 'PAUSE', appid: 'mp1' });
    await h.refresher.ready;
    await h.advance(0);
    expect(errors).toEqual([]);
    expect(h.refresher.clients()).toEqual(['mp1']);
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('paused');
    await h.refresher.stop();
  });

  it('re-adding an authorizer under another component, then removing it, leaves no component running', async () => {
    const h = harness({
      fake: {
        components: [
          {
            appid: 'cA',
            secret: 'sA',
            verifyTicket: 't',
            authorizers: [{ appid: 'auth1', refreshToken: 'r' }],
          },
          {
            appid: 'cB',
            secret: 'sB',
            verifyTicket: 't',
            authorizers: [{ appid: 'auth1', refreshToken: 'r' }],
          },
        ],
      },
    });
    await h.refresher.add({ kind: 'mini_program', appid: 'auth1', component: { appid: 'cA', secret: 'sA' } });
    await h.refresher.add({ kind: 'mini_program', appid: 'auth1', component: { appid: 'cB', secret: 'sB' } });
    expect(Object.keys(h.refresher.components())).toEqual(['cB']);
    await h.refresher.add({ kind: 'mini_program', appid: 'auth1', secret: 'x' });
    expect(h.refresher.components()).toEqual({});
    await h.refresher.remove('auth1');
    h.fake.clearCalls();
    await h.advance(10 * 3600_000);
    expect(h.fake.calls).toHaveLength(0);
    await h.refresher.stop();
  });
});

describe('quota blocks and listeners', () => {
  it('ignores token-invalid reports while the key waits out a quota block', async () => {
    const h = harness({ clients: [MP], fake: { quotas: { tokenDaily: 1 } } });
    await h.refresher.ready;
    const token = h.refresher.getToken('mp1', 'access_token')!;
    await h.refresher.refresh('mp1');
    expect(h.calls(TOKEN)).toBe(2);
    for (let i = 0; i < 5; i++) await h.refresher.tokenInvalid('mp1', 'access_token', token);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });

  it('a listener that throws neither stops the machine nor leaves a caller hanging', async () => {
    const h = harness();
    h.refresher.on('state', () => {
      throw new Error('listener bug');
    });
    h.refresher.on('refreshed', () => {
      throw new Error('listener bug');
    });
    expect(await h.refresher.add(MP)).toBe('ok');
    expect(await h.refresher.refresh('mp1')).toBe('ok');
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('idle');
    await h.refresher.stop();
  });

  it('a key appended while paused keeps what the store held; resume does not refetch it', async () => {
    const store = new Keyv();
    const h = harness({
      store,
      clients: [{ kind: 'work', appid: 'ww1', agents: [{ id: 1, secret: 's1' }] }],
      fake: {
        corps: [
          {
            corpid: 'ww1',
            agents: [
              { id: 1, secret: 's1' },
              { id: 2, secret: 's2' },
            ],
          },
        ],
      },
    });
    await h.refresher.ready;
    await h.refresher.pause('ww1');
    const stored = await h.fake.fetch(
      'https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=s2',
    );
    const value = ((await stored.json()) as { access_token: string }).access_token;
    await store.set('ww1_2:access_token', { value, expired_time: T0_SEC + 7000 });
    h.fake.clearCalls();
    await h.refresher.appendWorkAgent('ww1', { id: 2, secret: 's2' });
    await h.refresher.resume('ww1');
    await h.advance(0);
    expect(h.fake.calls).toHaveLength(0);
    expect(h.refresher.getToken('ww1_2', 'access_token')).toBe(value);
    await h.refresher.stop();
  });

  it('plans the next refresh from the exact instant, not the whole second', async () => {
    const h = harness({ clients: [MP], clockAt: Date.UTC(2026, 10, 25, 2, 0, 0) + 900 });
    await h.refresher.ready;
    await h.advance(5400_000 - 1);
    expect(h.calls(TOKEN)).toBe(1);
    await h.advance(1);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });
});
