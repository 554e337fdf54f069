import { describe, expect, it } from 'vitest';
import type { FakeWeChat } from '../../src/fake/index.js';
import { APP, getStableToken, getToken, post, setup } from './helpers.js';

async function exhaust(fake: FakeWeChat, n: number): Promise<string> {
  let token = '';
  for (let i = 0; i < n; i++) token = (await getToken(fake)).json.access_token;
  return token;
}

function clearQuota(fake: FakeWeChat, token: string, appid = APP.appid) {
  return post(fake, '/cgi-bin/clear_quota', { appid }, { access_token: token });
}

function quotaGet(fake: FakeWeChat, token: string, cgiPath: string) {
  return post(fake, '/cgi-bin/openapi/quota/get', { cgi_path: cgiPath }, { access_token: token });
}

describe('daily quota of /cgi-bin/token', () => {
  it('the 2001st call of the day answers 45009, and the account stays blocked that day', async () => {
    const { fake, clock } = setup();
    const last = await exhaust(fake, 2000);
    expect(fake.isValid(last)).toBe(true);
    const refused = await getToken(fake);
    expect(refused.json.errcode).toBe(45009);
    expect(refused.json.errmsg).toMatch(/^reach max api daily quota limit rid: /);
    expect(refused.json.access_token).toBeUndefined();
    // 23:59:59 in Shanghai: still blocked.
    clock.set(Date.UTC(2025, 2, 10, 15, 59, 59));
    expect((await getToken(fake)).json.errcode).toBe(45009);
    expect(fake.quotaUsed(APP.appid, '/cgi-bin/token')).toBe(2002);
  });

  it('resets at 00:00 Asia/Shanghai (16:00 UTC), not at UTC midnight', async () => {
    const { fake, clock } = setup({ quotas: { tokenDaily: 3 } });
    clock.set(Date.UTC(2025, 2, 10, 15, 0, 0));
    await exhaust(fake, 3);
    expect((await getToken(fake)).json.errcode).toBe(45009);
    clock.set(Date.UTC(2025, 2, 10, 16, 0, 0));
    expect((await getToken(fake)).json.access_token).toBeDefined();
    // UTC midnight (08:00 in Shanghai) does not reset anything.
    await exhaust(fake, 2);
    clock.set(Date.UTC(2025, 2, 11, 0, 0, 0));
    expect((await getToken(fake)).json.errcode).toBe(45009);
  });

  it('utcOffsetMinutes moves the reset', async () => {
    const { fake, clock } = setup({ quotas: { tokenDaily: 1 }, utcOffsetMinutes: 0 });
    await exhaust(fake, 1);
    clock.set(Date.UTC(2025, 2, 10, 16, 0, 0));
    expect((await getToken(fake)).json.errcode).toBe(45009);
    clock.set(Date.UTC(2025, 2, 11, 0, 0, 0));
    expect((await getToken(fake)).json.access_token).toBeDefined();
  });

  it('test accounts get 200 a day', async () => {
    const { fake } = setup({ apps: [{ ...APP, testAccount: true }] });
    await exhaust(fake, 200);
    expect((await getToken(fake)).json.errcode).toBe(45009);
  });

  it('calls failing after the appid check count by default; countFailedCalls: false stops that', async () => {
    const counted = setup({ quotas: { tokenDaily: 2 } }).fake;
    await getToken(counted, APP.appid, 'wrong');
    await getToken(counted, APP.appid, 'wrong');
    expect((await getToken(counted)).json.errcode).toBe(45009);
    const lenient = setup({ quotas: { tokenDaily: 2 }, countFailedCalls: false }).fake;
    await getToken(lenient, APP.appid, 'wrong');
    await getToken(lenient, APP.appid, 'wrong');
    expect((await getToken(lenient)).json.access_token).toBeDefined();
    // Unknown appids never count: there is no account to count against.
    await getToken(lenient, 'wx_nobody', 'x');
    expect(lenient.quotaUsed('wx_nobody', '/cgi-bin/token')).toBe(0);
  });
});

describe('POST /cgi-bin/clear_quota', () => {
  it('zeroes the daily counters and answers {errcode: 0, errmsg: ok}', async () => {
    const { fake } = setup({ quotas: { tokenDaily: 2 } });
    const token = await exhaust(fake, 2);
    expect((await getToken(fake)).json.errcode).toBe(45009);
    const res = await clearQuota(fake, token);
    expect(res.text).toBe('{"errcode":0,"errmsg":"ok"}');
    expect((await getToken(fake)).json.access_token).toBeDefined();
  });

  it('allows 10 clears a month; the 11th answers 48006 until the next month (Shanghai)', async () => {
    const { fake, clock } = setup();
    const token = (await getStableToken(fake)).json.access_token;
    for (let i = 0; i < 10; i++) expect((await clearQuota(fake, token)).json.errcode).toBe(0);
    const refused = await clearQuota(fake, token);
    expect(refused.json.errcode).toBe(48006);
    expect(refused.json.errmsg).toMatch(/^forbid to clear quota because of reaching the limit rid: /);
    clock.set(Date.UTC(2025, 2, 31, 16, 0, 0)); // 2025-04-01 00:00 in Shanghai
    const fresh = (await getStableToken(fake)).json.access_token;
    expect((await clearQuota(fake, fresh)).json.errcode).toBe(0);
  });

  it("answers 40013 for another account's appid and 41002 without one", async () => {
    const { fake } = setup({ apps: [APP, { appid: 'wx_other', secret: 'o' }] });
    const token = (await getToken(fake)).json.access_token;
    expect((await clearQuota(fake, token, 'wx_other')).json.errcode).toBe(40013);
    expect((await post(fake, '/cgi-bin/clear_quota', {}, { access_token: token })).json.errcode).toBe(41002);
  });

  it('does not clear the stable_token daily counter unless clearQuotaClearsStable', async () => {
    for (const clearsStable of [false, true]) {
      const { fake } = setup({ quotas: { stableTokenDaily: 2 }, clearQuotaClearsStable: clearsStable });
      const token = (await getStableToken(fake)).json.access_token;
      await getStableToken(fake);
      await clearQuota(fake, token);
      const res = await getStableToken(fake);
      expect(res.json.errcode).toBe(clearsStable ? undefined : 45009);
    }
  });

  it('clear_quota/v2 clears with the AppSecret when the token quota itself is gone', async () => {
    const { fake } = setup({ quotas: { tokenDaily: 1 } });
    await exhaust(fake, 1);
    expect((await getToken(fake)).json.errcode).toBe(45009);
    expect(
      (await post(fake, '/cgi-bin/clear_quota/v2', { appid: APP.appid, appsecret: 'bad' })).json.errcode,
    ).toBe(40001);
    const res = await post(fake, '/cgi-bin/clear_quota/v2', { appid: APP.appid, appsecret: APP.secret });
    expect(res.json.errcode).toBe(0);
    expect((await getToken(fake)).json.access_token).toBeDefined();
  });
});

describe('POST /cgi-bin/openapi/quota/get', () => {
  it('reports daily_limit, used and remain for the token owner', async () => {
    const { fake } = setup();
    const token = await exhaust(fake, 3);
    const res = await quotaGet(fake, token, '/cgi-bin/token');
    expect(res.json).toEqual({
      errcode: 0,
      errmsg: 'ok',
      quota: { daily_limit: 2000, used: 3, remain: 1997 },
    });
  });

  it('adds rate_limit for stable_token and answers 76021 for an unknown cgi_path', async () => {
    const { fake } = setup();
    const token = (await getStableToken(fake)).json.access_token;
    const res = await quotaGet(fake, token, '/cgi-bin/stable_token');
    expect(res.json.quota).toEqual({ daily_limit: 500_000, used: 1, remain: 499_999 });
    expect(res.json.rate_limit).toEqual({ call_count: 10_000, refresh_second: 60 });
    expect((await quotaGet(fake, token, '/cgi-bin/nothing')).json.errcode).toBe(76021);
  });
});
