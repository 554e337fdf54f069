/**
 * WeCom corps and agents (spec §8 scenarios 38-39; seed Q8 fixed) and hub_client reads (34-36;
 * seed Q7 fixed).
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { harness, MP, T0_SEC } from './setup.js';

const corp = {
  kind: 'work' as const,
  appid: 'corp1',
  agents: [
    { id: 10000, secret: 's1', refreshList: ['js_api_ticket' as const, 'agent_js_api_ticket' as const] },
    { id: 'contacts', secret: 's2' },
  ],
};
const fakeCorp = {
  corpid: 'corp1',
  agents: [
    { id: 10000, secret: 's1' },
    { id: 'contacts', secret: 's2' },
    { id: 3, secret: 's3' },
  ],
};

describe('WeCom clients', () => {
  it('keeps per-agent keys in order, each agent with its own secret (scenario 38)', async () => {
    const h = harness({ clients: [corp], fake: { corps: [fakeCorp] } });
    await h.refresher.ready;
    expect(h.refresher.clientOptions('corp1')?.refreshOptions).toEqual([
      { storeId: 'corp1_10000', storeKey: 'access_token' },
      { storeId: 'corp1_10000', storeKey: 'js_api_ticket' },
      { storeId: 'corp1_10000', storeKey: 'agent_js_api_ticket' },
      { storeId: 'corp1_contacts', storeKey: 'access_token' },
    ]);
    expect(h.fake.calls.map((c) => [c.path, c.query.corpsecret ?? c.query.type ?? ''])).toEqual([
      ['/cgi-bin/gettoken', 's1'],
      ['/cgi-bin/get_jsapi_ticket', ''],
      ['/cgi-bin/ticket/get', 'agent_config'],
      ['/cgi-bin/gettoken', 's2'],
    ]);
    const agentToken = h.refresher.getToken('corp1_10000', 'access_token')!;
    expect(h.fake.calls[1].query.access_token).toBe(agentToken);
    expect(h.refresher.getToken('corp1_contacts', 'access_token')).not.toBe(agentToken);
    expect(h.refresher.getToken('corp1_10000', 'js_api_ticket')).not.toBe(
      h.refresher.getToken('corp1_10000', 'agent_js_api_ticket'),
    );
    await h.refresher.stop();
  });

  it('appendWorkAgent adds an agent once; unknown clients are client_not_in (scenario 39, seed Q8 fixed)', async () => {
    const h = harness({ clients: [corp, MP], fake: { corps: [fakeCorp] } });
    await h.refresher.ready;
    h.fake.clearCalls();
    const agent = { id: 3, secret: 's3', refreshList: ['agent_js_api_ticket' as const] };
    expect(await h.refresher.appendWorkAgent('corp1', agent)).toBe('ok');
    expect(h.refresher.getToken('corp1_3', 'access_token')).toBeDefined();
    expect(h.refresher.getToken('corp1_3', 'agent_js_api_ticket')).toBeDefined();
    expect(await h.refresher.appendWorkAgent('corp1', { ...agent })).toBe('ok');
    expect(h.refresher.clientOptions('corp1')?.refreshOptions).toHaveLength(6);
    expect(h.fake.calls).toHaveLength(2);
    expect(await h.refresher.appendWorkAgent('nobody', agent)).toBe('client_not_in');
    expect(await h.refresher.appendWorkAgent('mp1', agent)).toBe('client_not_in');
    // One chain per key: the next cycle fetches each of the 6 corp keys once.
    h.fake.clearCalls();
    await h.advance(5400_000);
    expect(h.fake.calls.filter((c) => c.host === 'work')).toHaveLength(6);
    await h.refresher.stop();
  });

  it('refuses an agent without a secret or an id, and keeps running', async () => {
    const h = harness({ clients: [corp], fake: { corps: [fakeCorp] } });
    await h.refresher.ready;
    await expect(h.refresher.appendWorkAgent('corp1', { id: 7 })).rejects.toThrow(
      /client 'corp1': agent.secret is required/,
    );
    await expect(h.refresher.appendWorkAgent('corp1', { secret: 'x' } as never)).rejects.toBeInstanceOf(
      ConfigError,
    );
    expect(h.refresher.clientOptions('corp1')?.refreshOptions).toHaveLength(4);
    expect(await h.refresher.refresh('corp1')).toBe('ok');
    await h.refresher.stop();
  });

  it('gives every agent its own store id, never a shared or missing one (seed Q8 fixed)', async () => {
    const h = harness({
      clients: [{ kind: 'work' as const, appid: 'corp1', agents: [{ id: 3, secret: 's3' }] }],
      fake: { corps: [fakeCorp] },
      waitForSignal: true,
    });
    await h.refresher.appendWorkAgent('corp1', { id: 'contacts', secret: 's2' });
    expect(h.refresher.clientOptions('corp1')?.refreshOptions.map((o) => o.storeId)).toEqual([
      'corp1_3',
      'corp1_contacts',
    ]);
    await h.refresher.startMonitor();
    expect(h.refresher.getToken('corp1_3', 'access_token')).not.toBe(
      h.refresher.getToken('corp1_contacts', 'access_token'),
    );
    await h.refresher.stop();
  });
});

describe('hub_client', () => {
  const HC = { kind: 'mini_program' as const, appid: 'oa5', role: 'hub_client' as const };

  it('reads from its store, never writes it, and re-reads near expiry; default rbe 1830 (scenario 34)', async () => {
    const hubStore = new Keyv();
    await hubStore.set('oa5:access_token', { value: 'HUB-TOKEN', expired_time: T0_SEC + 1000 });
    const writes: string[] = [];
    const h = harness({ clients: [{ ...HC, store: hubStore }] });
    hubStore.hooks.addHandler('preSet' as never, ((d: { key: string }) => writes.push(d.key)) as never);
    await h.refresher.ready;
    expect(h.refresher.clientOptions('oa5')?.refreshBeforeExpired).toBe(1830);
    expect(h.refresher.getStoreMap('oa5', 'access_token')).toEqual({
      value: 'HUB-TOKEN',
      expired_time: T0_SEC + 1000,
    });
    expect(writes).toEqual([]);
    expect(h.fake.calls).toHaveLength(0);
    // 1000 s left is below 1830: the store is polled each retry interval until the hub refreshes.
    await hubStore.set('oa5:access_token', { value: 'HUB-NEW', expired_time: T0_SEC + 7260 });
    await h.advance(60_000);
    expect(h.refresher.getToken('oa5', 'access_token')).toBe('HUB-NEW');
    await h.refresher.stop();
  });

  it('does not serve an expired hub value (scenario 35, seed Q7 fixed) and retries after the interval (36)', async () => {
    const hubStore = new Keyv();
    await hubStore.set('oa5:access_token', { value: 'STALE', expired_time: T0_SEC - 100 });
    const h = harness({ clients: [{ ...HC, store: hubStore }] });
    await h.refresher.ready;
    expect(h.refresher.getToken('oa5', 'access_token')).toBeUndefined();
    expect(h.refresher._runtime.clients.get('oa5')!.state).toBe('retrying');
    await hubStore.set('oa5:access_token', { value: 'FRESH', expired_time: T0_SEC + 7200 });
    await h.advance(60_000);
    expect(h.refresher.getToken('oa5', 'access_token')).toBe('FRESH');
    await h.refresher.stop();
  });
});
