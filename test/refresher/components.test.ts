/**
 * Third-party platform (component) apps and their authorizers (spec §8 scenarios 25-33; seed Q1,
 * Q3, Q6 fixed): one component machine owns the component token for all authorizers.
 */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createRefresher } from '../../src/index.js';
import { harness, T0_SEC } from './setup.js';

const COMPONENT_TOKEN = '/cgi-bin/component/api_component_token';
const AUTHORIZER_TOKEN = '/cgi-bin/component/api_authorizer_token';
const TICKET = '/cgi-bin/ticket/getticket';

const A = {
  kind: 'official_account' as const,
  appid: 'auth1',
  component: { appid: 'comp1', secret: 'comp1-secret' },
};
const B = { kind: 'mini_program' as const, appid: 'auth2', component: { appid: 'comp1' } };
/** B on its own must bring the component secret. */
const B1 = { ...B, component: { appid: 'comp1', secret: 'comp1-secret' } };
const fakeComponent = {
  appid: 'comp1',
  secret: 'comp1-secret',
  verifyTicket: 'ticket@@@1',
  authorizers: [
    { appid: 'auth1', refreshToken: 'refreshtoken@@@auth1' },
    { appid: 'auth2', refreshToken: 'refreshtoken@@@auth2' },
  ],
};

/** A refresher whose store already holds the verify ticket and both refresh tokens. */
async function seeded(clients: unknown[], extra: object = {}) {
  const store = new Keyv();
  const far = T0_SEC + 30 * 86400;
  await store.set('comp1:component_verify_ticket', { value: 'ticket@@@1', expired_time: T0_SEC + 43200 });
  await store.set('auth1:authorizer_refresh_token', { value: 'refreshtoken@@@auth1', expired_time: far });
  await store.set('auth2:authorizer_refresh_token', { value: 'refreshtoken@@@auth2', expired_time: far });
  return harness({
    clients: clients as never,
    store,
    fake: { apps: [], components: [fakeComponent] },
    ...extra,
  });
}

describe('components and authorizers', () => {
  it('shares one component token between authorizers; components() lists them (scenario 25)', async () => {
    const h = await seeded([A, B]);
    await h.refresher.ready;
    expect(h.calls(COMPONENT_TOKEN)).toBe(1);
    expect(h.calls(AUTHORIZER_TOKEN)).toBe(2);
    expect(h.refresher.components()).toEqual({
      comp1: { keys: ['component_access_token'], clients: ['auth1', 'auth2'] },
    });
    expect(h.refresher.clientOptions('auth1')?.refreshOptions).toEqual([
      { storeId: 'comp1', storeKey: 'component_access_token' },
      { storeId: 'auth1', storeKey: 'access_token' },
      { storeId: 'auth1', storeKey: 'js_api_ticket' },
      { storeId: 'auth1', storeKey: 'wx_card_ticket' },
    ]);
    expect(h.refresher.clientOptions('auth2')?.refreshOptions).toEqual([
      { storeId: 'comp1', storeKey: 'component_access_token' },
      { storeId: 'auth2', storeKey: 'access_token' },
    ]);
    const componentToken = h.refresher.getToken('comp1', 'component_access_token')!;
    expect(h.fake.isValid(componentToken)).toBe(true);
    // The authorizer's tickets were fetched with its own fresh authorizer token.
    const tickets = h.fake.calls.filter((c) => c.path === TICKET);
    expect(tickets.map((c) => c.query.access_token)).toEqual([
      h.refresher.getToken('auth1', 'access_token'),
      h.refresher.getToken('auth1', 'access_token'),
    ]);
    await h.refresher.stop();
  });

  it('without a verify ticket makes no component call and retries; a pushed ticket unblocks it (scenario 26)', async () => {
    const h = harness({
      clients: [B1],
      fake: { apps: [], components: [{ ...fakeComponent, verifyTicket: undefined }] },
    });
    await h.refresher.ready;
    expect(h.calls(COMPONENT_TOKEN)).toBe(0);
    expect(h.refresher._runtime.components.get('comp1')!.state).toBe('retrying');
    const pushed = h.fake.pushVerifyTicket('comp1');
    await h.refresher.putComponentVerifyTicket('comp1', pushed);
    await h.refresher.refreshKey(
      'auth2',
      'auth2',
      'authorizer_refresh_token',
      'refreshtoken@@@auth2',
      T0_SEC + 86400,
    );
    await h.advance(0);
    expect(h.calls(COMPONENT_TOKEN)).toBe(1);
    expect(h.fake.calls.find((c) => c.path === COMPONENT_TOKEN)?.body).toMatchObject({
      component_verify_ticket: pushed,
    });
    expect(h.refresher.getToken('auth2', 'access_token')).toBeDefined();
    // The pushed ticket is kept 12 h, in the store too.
    expect(await h.store.get('comp1:component_verify_ticket')).toEqual({
      value: pushed,
      expired_time: T0_SEC + 43200,
    });
    await h.refresher.stop();
  });

  it('uses a valid ticket from the store, and refuses an expired one (scenario 27)', async () => {
    const h = await seeded([B1]);
    await h.refresher.ready;
    expect(h.fake.calls.find((c) => c.path === COMPONENT_TOKEN)?.body).toMatchObject({
      component_verify_ticket: 'ticket@@@1',
    });
    await h.refresher.stop();

    const store = new Keyv();
    await store.set('comp1:component_verify_ticket', { value: 'ticket@@@1', expired_time: T0_SEC - 1 });
    const h2 = harness({ clients: [B1], store, fake: { apps: [], components: [fakeComponent] } });
    await h2.refresher.ready;
    expect(h2.calls(COMPONENT_TOKEN)).toBe(0);
    expect(h2.refresher.getToken('comp1', 'component_access_token')).toBeUndefined();
    await h2.refresher.stop();
  });

  it('stores the authorizer token and its refresh token with 30 days (scenario 28)', async () => {
    const h = await seeded([B1]);
    await h.refresher.ready;
    expect(await h.store.get('auth2:access_token')).toEqual({
      value: expect.any(String),
      expired_time: T0_SEC + 7200,
    });
    expect(await h.store.get('auth2:authorizer_refresh_token')).toEqual({
      value: 'refreshtoken@@@auth2',
      expired_time: T0_SEC + 30 * 86400,
    });
    // The timer follows the access token: 5400 s.
    h.fake.clearCalls();
    await h.advance(5400_000);
    expect(h.calls(AUTHORIZER_TOKEN)).toBe(1);
    await h.refresher.stop();
  });

  it('reads the authorizer refresh token back from the store after a restart (scenario 29, seed Q6 fixed)', async () => {
    const h = await seeded([B1]);
    await h.refresher.ready;
    expect(h.refresher.getToken('auth2', 'access_token')).toBeDefined();
    expect(h.refresher._runtime.clients.get('auth2')!.state).toBe('idle');
    await h.refresher.stop();
  });

  it('says what is missing when an authorizer has no refresh token anywhere', async () => {
    const h = harness({ clients: [B1], fake: { apps: [], components: [fakeComponent] } });
    const failures: Array<{ error: { message: string; kind: string } }> = [];
    h.refresher.on('refresh_failed', (e) => failures.push(e));
    await h.refresher.ready;
    const auth = failures.find((f) => f.error.message.includes('authorizer_refresh_token'));
    expect(auth?.error.kind).toBe('configuration');
    await h.refresher.stop();
  });

  it('refreshComponent refetches through the component; unknown key or component is not_found (scenario 30)', async () => {
    const h = await seeded([A, B]);
    await h.refresher.ready;
    const before = h.refresher.getToken('comp1', 'component_access_token');
    expect(await h.refresher.refreshComponent('comp1', 'component_access_token')).toBe('ok');
    expect(h.calls(COMPONENT_TOKEN)).toBe(2);
    expect(h.refresher.getToken('comp1', 'component_access_token')).not.toBe(before);
    expect(await h.refresher.refreshComponent('comp1', 'nope')).toBe('not_found');
    expect(await h.refresher.refreshComponent('compX', 'component_access_token')).toBe('not_found');
    // Through an authorizer, the shared key routes to the component too.
    expect(await h.refresher.refresh('auth2', 'comp1', 'component_access_token')).toBe('ok');
    expect(h.calls(COMPONENT_TOKEN)).toBe(3);
    await h.refresher.stop();
  });

  it('re-adding the first authorizer keeps the component token refreshed (scenario 31, seed Q3 fixed)', async () => {
    const h = await seeded([A, B]);
    await h.refresher.ready;
    await h.refresher.add(A);
    expect(h.refresher.components()).toEqual({
      comp1: { keys: ['component_access_token'], clients: ['auth1', 'auth2'] },
    });
    expect(h.refresher.getToken('comp1', 'component_access_token')).toBeDefined();
    h.fake.clearCalls();
    await h.advance(5400_000);
    expect(h.calls(COMPONENT_TOKEN)).toBe(1);
    await h.refresher.stop();
  });

  it('removing authorizers cleans the component registry without crashing (scenario 32, seed Q3 fixed)', async () => {
    const h = await seeded([A, B]);
    await h.refresher.ready;
    expect(await h.refresher.remove('auth1')).toBe('ok');
    expect(h.refresher.components()).toEqual({
      comp1: { keys: ['component_access_token'], clients: ['auth2'] },
    });
    expect(await h.refresher.refreshComponent('comp1', 'component_access_token')).toBe('ok');
    expect(h.refresher.getToken('comp1', 'component_access_token')).toBeDefined();
    expect(await h.refresher.remove('auth2')).toBe('ok');
    expect(h.refresher.components()).toEqual({});
    expect(h.refresher.getToken('comp1', 'component_access_token')).toBeUndefined();
    expect(await h.refresher.refreshComponent('comp1', 'component_access_token')).toBe('not_found');
    h.fake.clearCalls();
    await h.advance(86_400_000);
    expect(h.fake.calls).toHaveLength(0);
    await h.refresher.stop();
  });

  it('refreshKey writes a pushed token and keeps running (scenario 33, seed Q1 fixed)', async () => {
    const h = await seeded([A]);
    await h.refresher.ready;
    expect(await h.refresher.refreshKey('auth1', 'auth1', 'access_token', 'PUSHED', T0_SEC + 100)).toBe('ok');
    expect(h.refresher.getStoreMap('auth1', 'access_token')).toEqual({
      value: 'PUSHED',
      expired_time: T0_SEC + 100,
    });
    expect(await h.store.get('auth1:access_token')).toEqual({ value: 'PUSHED', expired_time: T0_SEC + 100 });
    expect(await h.refresher.refreshKey('nobody', 'x', 'access_token', 'V', T0_SEC + 100)).toBe('not_found');
    expect(await h.refresher.refreshKey('auth1', 'elsewhere', 'access_token', 'V', T0_SEC + 100)).toBe(
      'not_found',
    );
    await expect(h.refresher.refreshKey('auth1', 'auth1', 'access_token', '', T0_SEC + 100)).rejects.toThrow(
      /value/,
    );
    // 100 s left is below refreshBeforeExpired: the next refresh comes after the retry interval.
    h.fake.clearCalls();
    await h.advance(60_000);
    expect(h.calls(AUTHORIZER_TOKEN)).toBe(1);
    expect(h.refresher.getToken('auth1', 'access_token')).not.toBe('PUSHED');
    await h.refresher.stop();
  });

  it('asks the component to refresh when an authorizer call finds the component token dead', async () => {
    const h = await seeded([B1]);
    await h.refresher.ready;
    h.fake.expireToken(h.refresher.getToken('comp1', 'component_access_token')!);
    h.fake.clearCalls();
    await h.refresher.refresh('auth2');
    await h.advance(0);
    expect(h.paths()).toEqual([AUTHORIZER_TOKEN, COMPONENT_TOKEN, AUTHORIZER_TOKEN]);
    expect(h.refresher._runtime.clients.get('auth2')!.state).toBe('idle');
    await h.refresher.stop();
  });

  it('refuses two different secrets for one component', () => {
    const other = { ...B, component: { appid: 'comp1', secret: 'different' } };
    expect(() => createRefresher({ clients: [A, other] })).toThrow(/component.secret differs/);
  });
});
