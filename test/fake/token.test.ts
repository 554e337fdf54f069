import { describe, expect, it } from 'vitest';
import { API, APP, COMPONENT, get, getTicket, getToken, MIN, RID, setup } from './helpers.js';

describe('GET /cgi-bin/token', () => {
  it('answers {access_token, expires_in} with no errcode field, as JSON with encoding=utf-8', async () => {
    const { fake } = setup();
    const res = await getToken(fake);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json; encoding=utf-8');
    expect(Object.keys(res.json)).toEqual(['access_token', 'expires_in']);
    expect(res.json.expires_in).toBe(7200);
    expect(res.text).toBe(`{"access_token":"${res.json.access_token}","expires_in":7200}`);
  });

  it('mints tokens shaped like real ones (seq, underscore, url-safe chars), 140 chars, never reused', async () => {
    const { fake } = setup();
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) tokens.add((await getToken(fake)).json.access_token);
    expect(tokens.size).toBe(50);
    for (const token of tokens) expect(token).toMatch(/^\d+_[A-Za-z0-9_-]+$/);
    expect([...tokens][0]).toHaveLength(140);
  });

  it.each([
    [{ appid: APP.appid, secret: APP.secret }, 40002],
    [{ grant_type: 'authorization_code', appid: APP.appid, secret: APP.secret }, 40002],
    [{ grant_type: 'client_credential', secret: APP.secret }, 41002],
    [{ grant_type: 'client_credential', appid: APP.appid }, 41004],
  ])('missing or bad parameters %o answer %i', async (query, errcode) => {
    const { fake } = setup();
    const res = await get(fake, API, '/cgi-bin/token', query as Record<string, string>);
    expect(res.status).toBe(200);
    expect(res.json.errcode).toBe(errcode);
    expect(res.json.errmsg).toMatch(RID);
  });

  it('a wrong secret answers 40001 with a rid suffix, and mints nothing', async () => {
    const { fake } = setup();
    const res = await getToken(fake, APP.appid, 'not_the_secret');
    expect(res.json.errcode).toBe(40001);
    expect(res.json.errmsg).toMatch(/^invalid credential, access_token is invalid or not latest.* rid: /);
    expect(res.json.access_token).toBeUndefined();
  });

  it('an unknown appid answers 40013; a component appid answers 61024', async () => {
    const { fake } = setup();
    expect((await getToken(fake, 'wx_nobody', 'x')).json.errcode).toBe(40013);
    expect((await getToken(fake, COMPONENT.appid, COMPONENT.secret)).json.errcode).toBe(61024);
  });

  it('a frozen secret answers 40243 and a caller outside the IP whitelist 40164', async () => {
    const { fake } = setup({ apps: [APP, { appid: 'wx_locked', secret: 's', ipWhitelist: ['10.0.0.1'] }] });
    fake.freezeSecret(APP.appid);
    expect((await getToken(fake)).json.errcode).toBe(40243);
    const locked = await getToken(fake, 'wx_locked', 's');
    expect(locked.json.errcode).toBe(40164);
    expect(locked.json.errmsg).toMatch(
      /^invalid ip 127\.0\.0\.1 ipv6 ::ffff:127\.0\.0\.1, not in whitelist rid: /,
    );
  });

  it('each call mints a new token; the previous one stays valid for 5 minutes, then answers 40001', async () => {
    const { fake, clock } = setup();
    const first = (await getToken(fake)).json.access_token;
    clock.increment(10 * MIN);
    const second = (await getToken(fake)).json.access_token;
    expect(second).not.toBe(first);
    expect(fake.isValid(first)).toBe(true);
    expect((await getTicket(fake, first)).json.errcode).toBe(0);

    clock.increment(5 * MIN - 1);
    expect(fake.isValid(first)).toBe(true);
    clock.increment(1);
    expect(fake.isValid(first)).toBe(false);
    expect(fake.tokenStatus(first)).toBe('superseded');
    const late = await getTicket(fake, first);
    expect(late.json.errcode).toBe(40001);
    expect(fake.isValid(second)).toBe(true);
  });

  it('only the latest predecessor keeps its grace: a third mint kills the first at once', async () => {
    const { fake, clock } = setup();
    const first = (await getToken(fake)).json.access_token;
    await getToken(fake);
    clock.increment(MIN);
    await getToken(fake);
    expect(fake.isValid(first)).toBe(false);
  });

  it('keepAllPredecessors lets every replaced token keep its own grace', async () => {
    const { fake, clock } = setup({ keepAllPredecessors: true });
    const first = (await getToken(fake)).json.access_token;
    await getToken(fake);
    clock.increment(MIN);
    await getToken(fake);
    expect(fake.isValid(first)).toBe(true);
    clock.increment(4 * MIN);
    expect(fake.isValid(first)).toBe(false);
  });

  it('a token past its 7200 s answers 42001 on business calls', async () => {
    const { fake, clock } = setup();
    const token = (await getToken(fake)).json.access_token;
    clock.increment(7200 * 1000 - 1);
    expect(fake.isValid(token)).toBe(true);
    clock.increment(1);
    expect(fake.tokenStatus(token)).toBe('expired');
    const res = await getTicket(fake, token);
    expect(res.json.errcode).toBe(42001);
    expect(res.json.errmsg).toMatch(/^access_token expired rid: /);
  });

  it('expireToken() kills a token early (42001) and reports unknown values', async () => {
    const { fake } = setup();
    const token = (await getToken(fake)).json.access_token;
    expect(fake.expireToken(token)).toBe(true);
    expect((await getTicket(fake, token)).json.errcode).toBe(42001);
    expect(fake.expireToken('never_issued')).toBe(false);
  });

  it('rotateSecret() refuses the old secret from then on and keeps issued tokens alive', async () => {
    const { fake } = setup();
    const token = (await getToken(fake)).json.access_token;
    fake.rotateSecret(APP.appid, 'new_secret');
    expect((await getToken(fake)).json.errcode).toBe(40001);
    expect(fake.isValid(token)).toBe(true);
    expect((await getToken(fake, APP.appid, 'new_secret')).json.access_token).toBeDefined();
  });

  it('expiresIn lowers the lifetime and the reported expires_in (spec §6.8)', async () => {
    const { fake, clock } = setup({ expiresIn: 3600 });
    const res = await getToken(fake);
    expect(res.json.expires_in).toBe(3600);
    clock.increment(3600 * 1000);
    expect(fake.isValid(res.json.access_token)).toBe(false);
    fake.setExpiresIn(({ appid }) => (appid === APP.appid ? 600 : undefined));
    expect((await getToken(fake)).json.expires_in).toBe(600);
  });

  it('addApp() registers an app later', async () => {
    const { fake } = setup();
    expect((await getToken(fake, 'wx_new', 'sec')).json.errcode).toBe(40013);
    fake.addApp({ appid: 'wx_new', secret: 'sec' });
    expect((await getToken(fake, 'wx_new', 'sec')).json.access_token).toBeDefined();
  });
});
