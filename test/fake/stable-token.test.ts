import { describe, expect, it } from 'vitest';
import { API, APP, call, getStableToken, getTicket, getToken, MIN, post, setup } from './helpers.js';

describe('POST /cgi-bin/stable_token', () => {
  it('answers {access_token, expires_in} with no errcode field', async () => {
    const { fake } = setup();
    const res = await getStableToken(fake);
    expect(Object.keys(res.json)).toEqual(['access_token', 'expires_in']);
    expect(res.json.expires_in).toBe(7200);
  });

  it('a form body answers 41002 appid missing, even with every field present', async () => {
    const { fake } = setup();
    const form = new URLSearchParams({
      grant_type: 'client_credential',
      appid: APP.appid,
      secret: APP.secret,
    });
    const res = await call(fake, `${API}/cgi-bin/stable_token`, { method: 'POST', body: form });
    expect(res.json.errcode).toBe(41002);
    expect(res.json.errmsg).toMatch(/^appid missing rid: /);
  });

  it('no body, or the fields in the query string, answers 41002', async () => {
    const { fake } = setup();
    expect((await call(fake, `${API}/cgi-bin/stable_token`, { method: 'POST' })).json.errcode).toBe(41002);
    const qs = new URLSearchParams({ grant_type: 'client_credential', appid: APP.appid, secret: APP.secret });
    expect((await call(fake, `${API}/cgi-bin/stable_token?${qs}`, { method: 'POST' })).json.errcode).toBe(
      41002,
    );
  });

  it.each([
    [{ grant_type: 'other', appid: APP.appid, secret: APP.secret }, 40002],
    [{ grant_type: 'client_credential', secret: APP.secret }, 41002],
    [{ grant_type: 'client_credential', appid: APP.appid }, 41004],
    [{ grant_type: 'client_credential', appid: APP.appid, secret: 'wrong' }, 40001],
    [{ grant_type: 'client_credential', appid: 'wx_nobody', secret: 'x' }, 40013],
  ])('JSON body %o answers %i', async (body, errcode) => {
    const { fake } = setup();
    expect((await post(fake, '/cgi-bin/stable_token', body)).json.errcode).toBe(errcode);
  });

  it('normal mode returns the same token with the remaining lifetime as expires_in', async () => {
    const { fake, clock } = setup();
    const first = await getStableToken(fake);
    clock.increment(1000 * 1000 + 500);
    const again = await getStableToken(fake, false);
    expect(again.json.access_token).toBe(first.json.access_token);
    expect(again.json.expires_in).toBe(6199);
  });

  it('rolls over in the last 5 minutes: a new token, the old one valid until its own expiry', async () => {
    const { fake, clock } = setup();
    const first = (await getStableToken(fake)).json.access_token;
    clock.increment(7200 * 1000 - 5 * MIN);
    const rolled = await getStableToken(fake);
    expect(rolled.json.access_token).not.toBe(first);
    expect(rolled.json.expires_in).toBe(7200);
    expect(fake.isValid(first)).toBe(true);
    clock.increment(5 * MIN - 1);
    expect(fake.isValid(first)).toBe(true);
    clock.increment(1);
    expect(fake.isValid(first)).toBe(false);
    expect((await getTicket(fake, first)).json.errcode).toBe(42001);
  });

  it('one second earlier there is no rollover, and expires_in is never below 300', async () => {
    const { fake, clock } = setup();
    const first = (await getStableToken(fake)).json.access_token;
    clock.increment(7200 * 1000 - 5 * MIN - 1000);
    const res = await getStableToken(fake);
    expect(res.json.access_token).toBe(first);
    expect(res.json.expires_in).toBe(301);
  });

  it('with a lifetime under the rollover margin (expiresIn 200) it rolls over at half the lifetime', async () => {
    const { fake, clock } = setup({ expiresIn: 200 });
    const first = await getStableToken(fake);
    expect(first.json.expires_in).toBe(200);
    clock.increment(99_000);
    expect((await getStableToken(fake)).json.access_token).toBe(first.json.access_token);
    clock.increment(1000);
    expect((await getStableToken(fake)).json.access_token).not.toBe(first.json.access_token);
  });

  it('is isolated from /cgi-bin/token: neither invalidates the other', async () => {
    const { fake, clock } = setup();
    const stable = (await getStableToken(fake)).json.access_token;
    const classic = (await getToken(fake)).json.access_token;
    expect(classic).not.toBe(stable);
    await getToken(fake);
    await getToken(fake);
    clock.increment(10 * MIN);
    expect(fake.isValid(stable)).toBe(true);
    expect((await getStableToken(fake)).json.access_token).toBe(stable);
    const fresh = (await getToken(fake)).json.access_token;
    await getStableToken(fake, true);
    expect(fake.isValid(fresh)).toBe(true);
  });

  it('force_refresh mints a new token and kills the old one at once (no grace)', async () => {
    const { fake } = setup();
    const first = (await getStableToken(fake)).json.access_token;
    const forced = (await getStableToken(fake, true)).json.access_token;
    expect(forced).not.toBe(first);
    expect(fake.isValid(first)).toBe(false);
    expect((await getTicket(fake, first)).json.errcode).toBe(40001);
    expect((await getStableToken(fake)).json.access_token).toBe(forced);
  });

  it('stableForceGrace keeps the force-replaced token for the grace window', async () => {
    const { fake, clock } = setup({ stableForceGrace: true });
    const first = (await getStableToken(fake)).json.access_token;
    await getStableToken(fake, true);
    expect(fake.isValid(first)).toBe(true);
    clock.increment(5 * MIN);
    expect(fake.isValid(first)).toBe(false);
  });

  it('a force_refresh within 30 s of the last one returns the current token unchanged', async () => {
    const { fake, clock } = setup();
    const forced = (await getStableToken(fake, true)).json.access_token;
    clock.increment(29_999);
    expect((await getStableToken(fake, true)).json.access_token).toBe(forced);
    expect(fake.isValid(forced)).toBe(true);
    clock.increment(1);
    const next = (await getStableToken(fake, true)).json.access_token;
    expect(next).not.toBe(forced);
  });

  it('allows 20 rotating force_refresh calls a day; the 21st answers 45009 until Shanghai midnight', async () => {
    const { fake, clock } = setup();
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) {
      tokens.add((await getStableToken(fake, true)).json.access_token);
      clock.increment(31_000);
    }
    expect(tokens.size).toBe(20);
    const refused = await getStableToken(fake, true);
    expect(refused.json.errcode).toBe(45009);
    // Normal mode still works and returns the last forced token.
    expect((await getStableToken(fake)).json.access_token).toBe([...tokens][19]);
    // Next day in Asia/Shanghai (16:00 UTC): force works again.
    clock.set(Date.UTC(2025, 2, 10, 16, 0, 0));
    expect((await getStableToken(fake, true)).json.access_token).toBeDefined();
  });

  it('the minute quota answers 45011 and frees up in the next minute', async () => {
    const { fake, clock } = setup({ quotas: { stableTokenPerMinute: 3 } });
    clock.set(Date.UTC(2025, 2, 10, 3, 0, 0));
    for (let i = 0; i < 3; i++) expect((await getStableToken(fake)).json.access_token).toBeDefined();
    const refused = await getStableToken(fake);
    expect(refused.json.errcode).toBe(45011);
    expect(refused.json.errmsg).toMatch(/^api minute-quota reach limit/);
    clock.increment(MIN);
    expect((await getStableToken(fake)).json.access_token).toBeDefined();
  });

  it('a component appid answers 61024: third-party platforms cannot call it', async () => {
    const { fake } = setup();
    const res = await post(fake, '/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: 'wx_component',
      secret: 'component_secret',
    });
    expect(res.json.errcode).toBe(61024);
  });
});
