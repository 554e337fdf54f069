import { describe, expect, it } from 'vitest';
import type { SimulatedClock } from 'xstate';
import { ConfigError } from '../../src/errors.js';
import { API, APP, call, getStableToken, getTicket, getToken, RID, setup } from './helpers.js';

const TOKEN_URL = `${API}/cgi-bin/token?grant_type=client_credential&appid=${APP.appid}&secret=${APP.secret}`;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let done = false;
  const tracked = promise.finally(() => {
    done = true;
  });
  tracked.catch(() => {});
  return { settled: () => done, promise: tracked };
}

/** Advances the clock in steps until the promise settles (calls waiting on latency). */
async function drive<T>(clock: SimulatedClock, promise: Promise<T>, stepMs = 1000): Promise<T> {
  const t = track(promise);
  for (let i = 0; i < 10_000 && !t.settled(); i++) {
    await tick();
    if (!t.settled()) clock.increment(stepMs);
  }
  return t.promise;
}

describe('fault injection', () => {
  it('busy answers HTTP 200 errcode -1 with a rid, and the call is not served', async () => {
    const { fake } = setup();
    fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'busy' } });
    const res = await getToken(fake);
    expect(res.status).toBe(200);
    expect(res.json.errcode).toBe(-1);
    expect(res.json.errmsg).toMatch(/^system error rid: /);
    expect(fake.quotaUsed(APP.appid, '/cgi-bin/token')).toBe(0);
    expect(fake.calls.at(-1)).toMatchObject({ fault: 'busy', errcode: -1 });
    expect((await getToken(fake)).json.access_token).toBeDefined();
  });

  it('errcode answers any errcode, with WeChat text or the given errmsg, as a number or a string', async () => {
    const { fake } = setup();
    fake.inject({ times: 1, effect: { type: 'errcode', errcode: 45011 } });
    fake.inject({ times: 1, effect: { type: 'errcode', errcode: 89503, errmsg: 'pending approval' } });
    fake.inject({ times: 1, effect: { type: 'errcode', errcode: 40001, asString: true } });
    expect((await getToken(fake)).json.errcode).toBe(45011);
    const custom = await getToken(fake);
    expect(custom.json.errcode).toBe(89503);
    expect(custom.json.errmsg).toMatch(/^pending approval rid: /);
    const quirky = await getToken(fake);
    expect(quirky.text).toMatch(/^\{"errcode":"40001","errmsg":"invalid credential/);
  });

  it('http answers the status with an HTML page, not JSON', async () => {
    const { fake } = setup();
    fake.inject({ times: 1, effect: { type: 'http', status: 502 } });
    const res = await getToken(fake);
    expect(res.status).toBe(502);
    expect(res.contentType).toBe('text/html');
    expect(res.text).toContain('<title>502 Bad Gateway</title>');
    expect(res.json).toBeUndefined();
  });

  it('malformed variants corrupt a call that was served', async () => {
    const { fake } = setup();
    const variants = ['truncated', 'empty', 'html', 'text', 'bom'] as const;
    for (const variant of variants) fake.inject({ times: 1, effect: { type: 'malformed', variant } });
    const truncated = await getToken(fake);
    expect(truncated.text).toMatch(/^\{"access_token":"/);
    expect(truncated.json).toBeUndefined();
    expect((await getToken(fake)).text).toBe('');
    const html = await getToken(fake);
    expect(html.contentType).toMatch(/^text\/html/);
    expect(html.json).toBeUndefined();
    const text = await getToken(fake);
    expect(text.contentType).toBe('text/plain');
    expect(text.json.access_token).toBeDefined();
    const bom = await fake.fetch(TOKEN_URL);
    const bytes = new Uint8Array(await bom.arrayBuffer());
    expect([...bytes.slice(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x7b]);
    expect(fake.quotaUsed(APP.appid, '/cgi-bin/token')).toBe(5);
  });

  it('reset makes fetch reject with TypeError("fetch failed") and an ECONNRESET cause', async () => {
    const { fake } = setup();
    fake.inject({ times: 1, effect: { type: 'reset' } });
    const error = await fake.fetch(TOKEN_URL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as { code: string }).code).toBe('ECONNRESET');
    expect(fake.calls.at(-1)?.fault).toBe('reset');
  });

  it('hang never answers; aborting the signal rejects with its AbortError', async () => {
    const { fake, clock } = setup();
    fake.inject({ times: 1, effect: { type: 'hang' } });
    const controller = new AbortController();
    const pending = track(fake.fetch(TOKEN_URL, { signal: controller.signal }));
    await tick();
    clock.increment(24 * 3_600_000);
    await tick();
    expect(pending.settled()).toBe(false);
    controller.abort();
    const error = await pending.promise.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });

  it('an already aborted signal rejects at once with its reason', async () => {
    const { fake } = setup();
    const reason = new Error('gave up');
    await expect(fake.fetch(TOKEN_URL, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fake.calls).toHaveLength(0);
  });

  it('hang with ms answers late, after ms on the clock, with a token minted at answer time', async () => {
    const { fake, clock } = setup();
    fake.inject({ times: 1, effect: { type: 'hang', ms: 30_000 } });
    const pending = track(call(fake, TOKEN_URL));
    await tick();
    clock.increment(29_999);
    await tick();
    expect(pending.settled()).toBe(false);
    clock.increment(1);
    const res = await pending.promise;
    expect(res.json.expires_in).toBe(7200);
    clock.increment(7200 * 1000 - 1);
    expect(fake.isValid(res.json.access_token)).toBe(true);
  });

  it('latency waits through the injected clock and adds to another fault', async () => {
    const { fake, clock } = setup();
    fake.inject({ times: 1, effect: { type: 'latency', ms: 200 } });
    fake.inject({ times: 1, effect: { type: 'busy' } });
    const pending = track(getToken(fake));
    await tick();
    clock.increment(199);
    await tick();
    expect(pending.settled()).toBe(false);
    clock.increment(1);
    expect((await pending.promise).json.errcode).toBe(-1);
    expect(fake.calls.at(-1)).toMatchObject({ latencyMs: 200, fault: 'busy' });
  });

  it('times: N hits the next N matching calls only', async () => {
    const { fake } = setup();
    const handle = fake.inject({ path: '/cgi-bin/token', times: 2, effect: { type: 'busy' } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await getToken(fake)).json.errcode ?? 0);
    expect(codes).toEqual([-1, -1, 0, 0]);
    expect(handle.fired).toBe(2);
    expect(handle.active).toBe(false);
  });

  it('scopes by path, host and appid (including the owner of a token in the query)', async () => {
    const { fake } = setup({ apps: [APP, { appid: 'wx_other', secret: 'o' }] });
    fake.inject({ path: '/cgi-bin/stable_token', effect: { type: 'busy' } });
    fake.inject({ appid: 'wx_other', effect: { type: 'errcode', errcode: 40164 } });
    fake.inject({ host: 'work', effect: { type: 'http', status: 503 } });
    const token = (await getToken(fake)).json.access_token;
    expect(token).toBeDefined();
    expect((await getStableToken(fake)).json.errcode).toBe(-1);
    expect((await getToken(fake, 'wx_other', 'o')).json.errcode).toBe(40164);
    expect((await getTicket(fake, token)).json.errcode).toBe(0);

    fake.clearFaults();
    const otherToken = (await getToken(fake, 'wx_other', 'o')).json.access_token;
    fake.inject({ appid: 'wx_other', path: '/cgi-bin/ticket/getticket', effect: { type: 'busy' } });
    expect((await getTicket(fake, otherToken)).json.errcode).toBe(-1);
    expect((await getTicket(fake, token)).json.errcode).toBe(0);
  });

  it('remove() and clearFaults() stop a rule', async () => {
    const { fake } = setup();
    const handle = fake.inject({ effect: { type: 'busy' } });
    expect((await getToken(fake)).json.errcode).toBe(-1);
    handle.remove();
    expect((await getToken(fake)).json.errcode).toBeUndefined();
    fake.inject({ effect: { type: 'busy' } });
    fake.clearFaults();
    expect((await getToken(fake)).json.errcode).toBeUndefined();
  });

  it('rejects malformed rules with a ConfigError', () => {
    const { fake } = setup();
    expect(() => fake.inject({ times: 0, effect: { type: 'busy' } })).toThrow(ConfigError);
    expect(() => fake.inject({ probability: 2, effect: { type: 'busy' } })).toThrow(/probability/);
    expect(() => fake.inject({ effect: { type: 'http', status: 200 } })).toThrow(/status/);
  });
});

describe('fault injection under a seed', () => {
  async function run(seed: number, withFaults = true): Promise<{ bodies: string[]; latencies: unknown[] }> {
    const { fake, clock } = setup({ seed });
    if (withFaults) {
      fake.inject({ probability: 0.3, effect: { type: 'busy' } });
      fake.inject({ probability: 0.2, effect: { type: 'errcode', errcode: 45011 } });
      fake.inject({ probability: 0.5, effect: { type: 'latency', ms: 80, jitter: 'lognormal' } });
    }
    const bodies: string[] = [];
    for (let i = 0; i < 40; i++) bodies.push((await drive(clock, call(fake, TOKEN_URL), 50)).text);
    return { bodies, latencies: fake.calls.map((c) => c.latencyMs) };
  }

  it('replays byte-identical answers and latencies for the same seed', async () => {
    const a = await run(7);
    const b = await run(7);
    expect(b).toEqual(a);
    const busy = a.bodies.filter((body) => body.includes('"errcode":-1')).length;
    expect(busy).toBeGreaterThan(3);
    expect(busy).toBeLessThan(25);
    expect(a.latencies.filter((ms) => ms !== undefined).length).toBeGreaterThan(5);
  });

  it('gives a different sequence for another seed', async () => {
    const a = await run(7);
    const c = await run(8);
    expect(c.bodies.map((b) => b.slice(0, 20))).not.toEqual(a.bodies.map((b) => b.slice(0, 20)));
  });

  it('latency-only faults do not change the tokens minted (separate RNG streams)', async () => {
    const plain = async (latency: boolean): Promise<string[]> => {
      const { fake, clock } = setup({ seed: 11 });
      if (latency) fake.inject({ probability: 0.5, effect: { type: 'latency', ms: 10, jitter: 'uniform' } });
      const tokens: string[] = [];
      for (let i = 0; i < 5; i++)
        tokens.push((await drive(clock, call(fake, TOKEN_URL), 20)).json.access_token);
      return tokens;
    };
    expect(await plain(true)).toEqual(await plain(false));
  });
});

describe('the error envelope', () => {
  it('each error carries its own rid', async () => {
    const { fake } = setup();
    const a = (await getToken(fake, APP.appid, 'x')).json.errmsg;
    const b = (await getToken(fake, APP.appid, 'x')).json.errmsg;
    expect(a).toMatch(RID);
    expect(a).not.toBe(b);
    // The first part is the unix time in hex, like real rids.
    const sec = Math.floor(Date.UTC(2025, 2, 10, 2, 0, 0) / 1000);
    expect(a).toContain(`rid: ${sec.toString(16)}-`);
  });
});
