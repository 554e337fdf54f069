import { describe, expect, it } from 'vitest';
import { API, APP, CORP, call, getToken, START_MS, setup, WORK } from './helpers.js';

describe('fake.fetch (in-process)', () => {
  it('answers the backup api hosts like api.weixin.qq.com', async () => {
    const { fake } = setup();
    for (const host of ['api2.weixin.qq.com', 'sh.api.weixin.qq.com', 'hk.api.weixin.qq.com']) {
      const res = await call(
        fake,
        `https://${host}/cgi-bin/token?grant_type=client_credential&appid=${APP.appid}&secret=${APP.secret}`,
      );
      expect(res.json.access_token).toBeDefined();
    }
  });

  it('routes by host: /cgi-bin/gettoken exists on qyapi only, /cgi-bin/token on api only', async () => {
    const { fake } = setup();
    const q = `corpid=${CORP.corpid}&corpsecret=${CORP.agents[0].secret}`;
    expect((await call(fake, `${WORK}/cgi-bin/gettoken?${q}`)).json.errcode).toBe(0);
    const wrongHost = await call(fake, `${API}/cgi-bin/gettoken?${q}`);
    expect(wrongHost.status).toBe(404);
    expect((await call(fake, `${WORK}/cgi-bin/token`)).status).toBe(404);
  });

  it('rejects other hosts like undici does when DNS fails', async () => {
    const { fake } = setup();
    const error = await fake.fetch('https://example.invalid/cgi-bin/token').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code: string }).code).toBe('ENOTFOUND');
  });

  it('accepts a URL object and a Request object, and sets response.url and content-length', async () => {
    const { fake } = setup();
    const url = new URL(`${API}/cgi-bin/token`);
    url.search = new URLSearchParams({ grant_type: 'client_credential', ...APP }).toString();
    const res = await fake.fetch(url);
    expect(res.url).toBe(url.toString());
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const body = JSON.stringify({ grant_type: 'client_credential', ...APP });
    const req = new Request(`${API}/cgi-bin/stable_token`, { method: 'POST', body });
    expect((await (await fake.fetch(req)).json()).access_token).toBeDefined();
  });

  it('records each call with host, path, query, parsed body, clock time and the appids it names', async () => {
    const { fake, clock } = setup();
    await getToken(fake);
    clock.increment(1234);
    await fake.fetch(`${API}/cgi-bin/stable_token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'client_credential', ...APP }),
    });
    await fake.fetch(`${API}/cgi-bin/stable_token`, { method: 'POST', body: 'not json' });
    const [first, second, third] = fake.calls;
    expect(first).toMatchObject({
      host: 'api',
      method: 'GET',
      path: '/cgi-bin/token',
      query: { grant_type: 'client_credential', appid: APP.appid, secret: APP.secret },
      body: undefined,
      at: START_MS,
      appids: [APP.appid],
      status: 200,
      errcode: 0,
    });
    expect(second).toMatchObject({ body: { appid: APP.appid }, at: START_MS + 1234, errcode: 0 });
    expect(third).toMatchObject({ body: 'not json', errcode: 41002 });
    expect(fake.callCount('/cgi-bin/stable_token')).toBe(2);
    expect(fake.callCount('/cgi-bin/stable_token', APP.appid)).toBe(1);
    expect(fake.callCount()).toBe(3);
    const log = fake.calls;
    fake.clearCalls();
    expect(log).toHaveLength(0);
    await getToken(fake);
    expect(log).toHaveLength(1);
  });

  it('callLogLimit keeps the log bounded, dropping the oldest calls', async () => {
    const { fake } = setup({ callLogLimit: 10 });
    for (let i = 0; i < 35; i++) await getToken(fake);
    expect(fake.calls.length).toBeLessThanOrEqual(10);
    expect(fake.calls.length).toBeGreaterThan(0);
  });

  it('isValid() knows tickets and verify tickets as well as tokens', async () => {
    const { fake, clock } = setup();
    expect(fake.isValid('ticket@@@initial')).toBe(true);
    expect(fake.isValid('never_issued')).toBe(false);
    expect(fake.tokenStatus('never_issued')).toBe('unknown');
    clock.increment(12 * 3_600_000);
    expect(fake.isValid('ticket@@@initial')).toBe(false);
  });

  it('forgetAfterSec drops long-dead tokens (40014 afterwards) and keeps live ones', async () => {
    const { fake, clock } = setup({ forgetAfterSec: 3600 });
    const old = (await getToken(fake)).json.access_token;
    clock.increment(7200 * 1000 + 3600 * 1000);
    expect(fake.tokenStatus(old)).toBe('expired');
    let latest = '';
    for (let i = 0; i < 1100; i++) latest = (await getToken(fake)).json.access_token;
    expect(fake.tokenStatus(old)).toBe('unknown');
    expect(fake.isValid(latest)).toBe(true);
    const res = await call(fake, `${API}/cgi-bin/getcallbackip?access_token=${old}`);
    expect(res.json.errcode).toBe(40014);
  });

  it('serves /cgi-bin/getcallbackip as a probe of a token', async () => {
    const { fake } = setup();
    const token = (await getToken(fake)).json.access_token;
    const ok = await call(fake, `${API}/cgi-bin/getcallbackip?access_token=${token}`);
    expect(Array.isArray(ok.json.ip_list)).toBe(true);
    expect((await call(fake, `${API}/cgi-bin/getcallbackip?access_token=bad`)).json.errcode).toBe(40014);
  });
});
