/**
 * Start-up and restore (spec/refresher-semantics.md §8, scenarios 1-10): what is fetched, what is
 * reused from the store, and when the first refresh comes.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, createRefresher } from '../../src/index.js';
import { harness, MP, mintToken, OA, T0_SEC } from './setup.js';

const TICKET = '/cgi-bin/ticket/getticket';
const TOKEN = '/cgi-bin/token';

describe('start-up with an empty store', () => {
  it('fetches token, jsapi ticket (with the new token) and wx_card ticket, in order (scenario 1)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    expect(h.paths()).toEqual([TOKEN, TICKET, TICKET]);
    const token = h.refresher.getToken('oa1', 'access_token')!;
    expect(h.fake.calls[1].query).toMatchObject({ type: 'jsapi', access_token: token });
    expect(h.fake.calls[2].query).toMatchObject({ type: 'wx_card', access_token: token });
    for (const key of ['access_token', 'js_api_ticket', 'wx_card_ticket']) {
      const cached = h.refresher.getStoreMap('oa1', key);
      expect(cached).toEqual({ value: expect.any(String), expired_time: T0_SEC + 7200 });
      expect(h.fake.isValid(cached!.value)).toBe(true);
      expect(await h.store.get(`oa1:${key}`)).toEqual(cached);
    }
    expect(h.refresher.clientOptions('oa1')).toMatchObject({
      refreshBeforeExpired: 1800,
      refreshRetryInterval: 60,
    });
    await h.refresher.stop();
  });

  it('refreshes each key 5400 s later, not a millisecond before', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    await h.advance(5400_000 - 1);
    expect(h.fake.calls).toHaveLength(3);
    await h.advance(1);
    expect(h.paths()).toEqual([TOKEN, TICKET, TICKET, TOKEN, TICKET, TICKET]);
    await h.refresher.stop();
  });
});

describe('start-up from a warm store', () => {
  it('reuses a stored access token without a call; its refresh comes at L - 1800 s (scenario 2)', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.stop();
    const token = await mintToken(h.fake, 'mp1', 'mp1-secret');
    await h.store.set('mp1:access_token', { value: token, expired_time: T0_SEC + 3000 });
    h.fake.clearCalls();
    const again = createRefresher({ clients: [MP], store: h.store, clock: h.clock, fetch: h.fake.fetch });
    await again.ready;
    expect(h.fake.calls).toHaveLength(0);
    expect(again.getToken('mp1', 'access_token')).toBe(token);
    await h.advance(1200_000 - 1);
    expect(h.fake.calls).toHaveLength(0);
    await h.advance(1);
    expect(h.calls(TOKEN)).toBe(1);
    expect(again.getToken('mp1', 'access_token')).not.toBe(token);
    await again.stop();
  });

  it('serves a ticket with 100 s left at once and re-fetches it during ready (scenario 3)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    const oldTicket = h.refresher.getToken('oa1', 'js_api_ticket')!;
    await h.store.set('oa1:js_api_ticket', { value: oldTicket, expired_time: T0_SEC + 100 });
    await h.refresher.stop();
    h.fake.clearCalls();
    const again = createRefresher({ clients: [OA], store: h.store, clock: h.clock, fetch: h.fake.fetch });
    await again.ready;
    // Only the due ticket was fetched, without advancing the clock.
    expect(h.paths()).toEqual([TICKET]);
    expect(h.fake.calls[0].query.type).toBe('jsapi');
    expect(again.getStoreMap('oa1', 'js_api_ticket')?.expired_time).toBe(T0_SEC + 7200);
    await h.advance(5400_000);
    expect(h.paths()).toEqual([TICKET, TOKEN, TICKET, TICKET]);
    await again.stop();
  });

  it('fetches an expired stored ticket during monitor (scenario 4)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    await h.store.set('oa1:wx_card_ticket', { value: 'OLD', expired_time: T0_SEC - 5 });
    await h.refresher.stop();
    h.fake.clearCalls();
    const again = createRefresher({ clients: [OA], store: h.store, clock: h.clock, fetch: h.fake.fetch });
    await again.ready;
    expect(h.paths()).toEqual([TICKET]);
    expect(h.fake.calls[0].query.type).toBe('wx_card');
    expect(again.getToken('oa1', 'wx_card_ticket')).not.toBe('OLD');
    await again.stop();
  });

  it.each([
    ['a map without expired_time', { value: 'X' }],
    ['a string', 'garbage'],
    ['an empty value', { value: '', expired_time: T0_SEC + 5000 }],
  ])('treats %s in the store as missing and fetches (scenario 5)', async (_, stored) => {
    const h = harness({ clients: [MP], waitForSignal: true });
    await h.store.set('mp1:access_token', stored);
    await h.refresher.startMonitor();
    expect(h.calls(TOKEN)).toBe(1);
    expect(h.fake.isValid(h.refresher.getToken('mp1', 'access_token')!)).toBe(true);
    await h.refresher.stop();
  });

  it('with store: null neither reads nor writes a store, and still serves the token (scenario 6)', async () => {
    const h = harness({ clients: [{ ...MP, store: null }] });
    await h.refresher.ready;
    expect(h.refresher.getToken('mp1', 'access_token')).toBeDefined();
    expect(await h.store.get('mp1:access_token')).toBeUndefined();
    await h.refresher.stop();
  });

  it('takes settings in seconds and keeps them in seconds (scenario 7, seed Q5 fixed)', async () => {
    const h = harness({ clients: [[MP, { refreshBeforeExpired: 100, refreshRetryInterval: 5 }]] });
    await h.refresher.ready;
    const options = h.refresher.clientOptions('mp1')!;
    expect(options).toEqual({
      refreshBeforeExpired: 100,
      refreshRetryInterval: 5,
      refreshOptions: [{ storeId: 'mp1', storeKey: 'access_token' }],
    });
    // Fed back into add, the options mean the same thing (no x1000).
    await h.refresher.add(MP, options);
    expect(h.refresher.clientOptions('mp1')).toEqual(options);
    h.fake.clearCalls();
    await h.advance(7100_000 - 1);
    expect(h.calls(TOKEN)).toBe(0);
    await h.advance(1);
    expect(h.calls(TOKEN)).toBe(1);
    await h.refresher.stop();
  });
});

describe('configuration errors at start-up (scenarios 8-10)', () => {
  it('rejects a setting that is not an object, naming the client', () => {
    expect(() => createRefresher({ clients: [[MP, [['refreshBeforeExpired', 10]] as never]] })).toThrow(
      /client 'mp1': setting must be an object/,
    );
  });

  it('accepts a partial setting in add()', async () => {
    const h = harness();
    await h.refresher.add(MP, { refreshBeforeExpired: 10 });
    expect(h.refresher.clientOptions('mp1')?.refreshBeforeExpired).toBe(10);
    await h.refresher.stop();
  });

  it('refuses an official account without a secret; add() rejects and leaves running clients alone', async () => {
    expect(() => createRefresher({ clients: [{ kind: 'official_account', appid: 'nosecret' }] })).toThrow(
      ConfigError,
    );
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    const token = h.refresher.getToken('mp1', 'access_token');
    await expect(h.refresher.add({ kind: 'official_account', appid: 'nosecret' })).rejects.toThrow(
      /client 'nosecret': secret is required/,
    );
    // A bad replacement of a running client disturbs nothing either.
    await expect(h.refresher.add({ ...MP, secret: '' })).rejects.toBeInstanceOf(ConfigError);
    expect(h.refresher.clients()).toEqual(['mp1']);
    expect(h.refresher.getToken('mp1', 'access_token')).toBe(token);
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });

  it('refuses a hub_client without a store', () => {
    expect(() => createRefresher({ clients: [{ ...MP, role: 'hub_client', store: null }] })).toThrow(
      /client 'mp1': store is required for a hub_client/,
    );
  });
});
