/**
 * Timers and errors (spec §8 scenarios 11-16, DESIGN.md "Errors"): one timer per key, retries per
 * error class, manual refreshes.
 */
import { describe, expect, it } from 'vitest';
import { createFakeWeChat } from '../../src/fake/index.js';
import { createRefresher } from '../../src/index.js';
import { harness, MP, OA, settle, T0_SEC } from './setup.js';

const TOKEN = '/cgi-bin/token';
const TICKET = '/cgi-bin/ticket/getticket';

describe('failures and retries', () => {
  it('caches nothing on an errcode answer and retries after the interval (scenario 11)', async () => {
    const h = harness({ clients: [MP], fake: { apps: [] } });
    const failures: unknown[] = [];
    h.refresher.on('refresh_failed', (e) => failures.push(e));
    await h.refresher.ready;
    expect(h.refresher.getToken('mp1', 'access_token')).toBeUndefined();
    expect(failures).toEqual([
      expect.objectContaining({
        appid: 'mp1',
        storeKey: 'access_token',
        error: expect.objectContaining({ errcode: 40013, kind: 'configuration' }),
        retryInSec: 60,
      }),
    ]);
    await h.advance(60_000);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });

  it('backs off a configuration error, doubling up to an hour', async () => {
    const h = harness({ clients: [MP], fake: { apps: [{ appid: 'mp1', secret: 'other' }] } });
    const delays: number[] = [];
    h.refresher.on('refresh_failed', (e) => delays.push(e.retryInSec));
    await h.refresher.ready;
    for (let i = 0; i < 8; i++) await h.advance(delays.at(-1)! * 1000);
    expect(delays).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    await h.refresher.stop();
  });

  it('retries a transient failure every interval and keeps the last good ticket (scenario 12)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    const ticket = h.refresher.getToken('oa1', 'js_api_ticket');
    h.fake.inject({ path: TICKET, times: 2, effect: { type: 'reset' } });
    await h.refresher.refresh('oa1', 'oa1', 'js_api_ticket');
    expect(h.refresher.getToken('oa1', 'js_api_ticket')).toBe(ticket);
    expect(h.refresher._runtime.clients.get('oa1')!.state).toBe('retrying');
    await h.advance(60_000);
    expect(h.refresher._runtime.clients.get('oa1')!.state).toBe('retrying');
    await h.advance(60_000);
    expect(h.refresher._runtime.clients.get('oa1')!.state).toBe('idle');
    expect(h.calls(TICKET)).toBe(5);
    await h.refresher.stop();
  });

  it('waits for the daily reset (00:00 Asia/Shanghai) after 45009, not one call a minute', async () => {
    const h = harness({ clients: [MP], waitForSignal: true });
    h.fake.inject({ path: TOKEN, times: 1, effect: { type: 'errcode', errcode: 45009 } });
    const failures: Array<{ retryInSec: number }> = [];
    h.refresher.on('refresh_failed', (e) => failures.push(e));
    await h.refresher.startMonitor();
    // T0 is 10:00 in Shanghai: 14 hours to midnight.
    expect(failures[0].retryInSec).toBe(14 * 3600);
    await h.advance(14 * 3600_000 - 1000);
    expect(h.calls(TOKEN)).toBe(1);
    await h.advance(1000);
    expect(h.calls(TOKEN)).toBe(2);
    expect(h.refresher.getToken('mp1', 'access_token')).toBeDefined();
    await h.refresher.stop();
  });

  it('refreshes the access token, then the ticket, when a ticket call finds the token dead', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    const token = h.refresher.getToken('oa1', 'access_token')!;
    h.fake.expireToken(token);
    h.fake.clearCalls();
    await h.refresher.refresh('oa1', 'oa1', 'js_api_ticket');
    expect(h.paths()).toEqual([TICKET, TOKEN, TICKET]);
    expect(h.refresher.getToken('oa1', 'access_token')).not.toBe(token);
    expect(h.fake.isValid(h.refresher.getToken('oa1', 'js_api_ticket')!)).toBe(true);
    expect(h.refresher._runtime.clients.get('oa1')!.state).toBe('idle');
    await h.refresher.stop();
  });

  it('does not loop when the fresh token is refused too: one token refresh, then plain retries', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    h.fake.clearCalls();
    h.fake.inject({ path: TICKET, times: 5, effect: { type: 'errcode', errcode: 40001 } });
    await h.refresher.refresh('oa1', 'oa1', 'wx_card_ticket');
    expect(h.paths()).toEqual([TICKET, TOKEN, TICKET]);
    await h.advance(60_000);
    expect(h.paths()).toEqual([TICKET, TOKEN, TICKET, TICKET]);
    await h.refresher.stop();
  });
});

describe('timing of successes', () => {
  it('refreshes after the retry interval when expires_in is below refreshBeforeExpired (scenario 13)', async () => {
    const h = harness({ clients: [MP], fake: { expiresIn: 1000 } });
    await h.refresher.ready;
    expect(h.refresher.getStoreMap('mp1', 'access_token')?.expired_time).toBe(T0_SEC + 1000);
    await h.advance(59_999);
    expect(h.calls(TOKEN)).toBe(1);
    await h.advance(1);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });

  it('a key coming due refreshes only that key; the others keep their timers (scenario 14)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    await h.advance(1000_000);
    await h.refresher.refresh('oa1', 'oa1', 'wx_card_ticket');
    h.fake.clearCalls();
    // The token and jsapi ticket come due at 5400 s, the wx_card ticket 1000 s later.
    await h.advance(4400_000);
    expect(h.paths()).toEqual([TOKEN, TICKET]);
    expect(h.fake.calls[1].query.type).toBe('jsapi');
    await h.advance(1000_000);
    expect(h.paths()).toEqual([TOKEN, TICKET, TICKET]);
    expect(h.fake.calls[2].query.type).toBe('wx_card');
    await h.refresher.stop();
  });
});

describe('manual refresh', () => {
  it('refresh(appid) refetches every key in order and resolves ok even if all fail (scenario 15)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    h.fake.clearCalls();
    expect(await h.refresher.refresh('oa1')).toBe('ok');
    expect(h.paths()).toEqual([TOKEN, TICKET, TICKET]);
    h.fake.inject({ path: '*', effect: { type: 'busy' } });
    expect(await h.refresher.refresh('oa1')).toBe('ok');
    expect(h.paths()).toHaveLength(6);
    h.fake.clearFaults();
    // The manual refresh replaced the timers: one chain per key, not two.
    h.fake.clearCalls();
    await h.advance(5400_000);
    expect(h.paths()).toEqual([TOKEN, TICKET, TICKET]);
    await h.refresher.stop();
  });

  it('refresh/3 fetches one key; an unknown key or appid is not_found (scenario 16, seed Q17 fixed)', async () => {
    const h = harness({ clients: [OA] });
    await h.refresher.ready;
    h.fake.clearCalls();
    expect(await h.refresher.refresh('oa1', 'oa1', 'access_token')).toBe('ok');
    expect(h.paths()).toEqual([TOKEN]);
    expect(await h.refresher.refresh('oa1', 'x', 'y')).toBe('not_found');
    expect(await h.refresher.refresh('nobody')).toBe('not_found');
    expect(await h.refresher.refresh('nobody', 'oa1', 'access_token')).toBe('not_found');
    expect(h.paths()).toEqual([TOKEN]);
    await h.refresher.stop();
  });
});

describe('token invalid reports', () => {
  it('refreshes a key reported dead, but ignores a report about a token already replaced', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    const first = h.refresher.getToken('mp1', 'access_token')!;
    expect(await h.refresher.tokenInvalid('mp1', 'access_token', first)).toBe('ok');
    const second = h.refresher.getToken('mp1', 'access_token')!;
    expect(second).not.toBe(first);
    await h.refresher.tokenInvalid('mp1', 'access_token', first);
    await h.refresher.tokenInvalid('mp1', 'access_token', first);
    expect(h.calls(TOKEN)).toBe(2);
    expect(h.refresher.getToken('mp1', 'access_token')).toBe(second);
    expect(await h.refresher.tokenInvalid('nope', 'access_token', first)).toBe('not_found');
    await h.refresher.stop();
  });
});

describe('request timeout', () => {
  it('times out a hung call after requestTimeoutMs and retries it as a transient failure', async () => {
    const h = harness({ clients: [MP], waitForSignal: true, requestTimeoutMs: 50 });
    const failures: Array<{ error: { code: string; kind: string } }> = [];
    h.refresher.on('refresh_failed', (e) => failures.push(e));
    h.fake.inject({ path: TOKEN, times: 1, effect: { type: 'hang' } });
    const started = h.refresher.startMonitor();
    await settle();
    // The timeout runs on the injected clock: nothing fails until it passes.
    expect(failures).toEqual([]);
    await h.advance(50);
    await started;
    expect(failures.map((f) => [f.error.code, f.error.kind])).toEqual([
      ['WR_ERR_WECHAT_NETWORK', 'transient'],
    ]);
    await h.advance(60_000);
    expect(h.refresher.getToken('mp1', 'access_token')).toBeDefined();
    await h.refresher.stop();
  });

  it('does not count time queued behind the concurrency limit against a call', async () => {
    // Real time here: the fake's latency waits on its clock, and the timeout is a real timer.
    const apps = Array.from({ length: 6 }, (_, i) => ({ appid: `q${i}`, secret: 's' }));
    const fake = createFakeWeChat({ apps });
    // Each call takes ~80 ms; the last waits ~400 ms in the queue, past the 200 ms timeout.
    fake.inject({ path: TOKEN, effect: { type: 'latency', ms: 80 } });
    const refresher = createRefresher({
      clients: apps.map((a) => ({ kind: 'mini_program' as const, ...a })),
      fetch: fake.fetch,
      maxConcurrentCalls: 1,
      requestTimeoutMs: 200,
    });
    const failures: unknown[] = [];
    refresher.on('refresh_failed', (e) => failures.push(e));
    await refresher.ready;
    expect(failures).toEqual([]);
    for (const a of apps) expect(fake.isValid(refresher.getToken(a.appid, 'access_token')!)).toBe(true);
    await refresher.stop();
  });
});
