/**
 * createRefresherMetrics and instrumentFetch: counters from the refresher's events, the expiry gauge
 * on scrape, the upstream latency histogram, and a registry of their own.
 */
import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createFakeWeChat } from '../../src/fake/index.js';
import { createRefresher } from '../../src/index.js';
import { createRefresherMetrics, instrumentFetch } from '../../src/observability/index.js';
import { parseExposition } from './prom-format.js';

describe('createRefresherMetrics', () => {
  it('counts start-up refreshes and failures by kind and errcode when observing from the start', async () => {
    const clock = new SimulatedClock();
    clock.set(Date.UTC(2025, 2, 10, 2));
    const fake = createFakeWeChat({
      clock,
      apps: [
        { appid: 'wx_oa', secret: 'm-secret-1' },
        { appid: 'wx_bad', secret: 'm-secret-2' },
      ],
      corps: [{ corpid: 'ww', agents: [{ id: 1, secret: 'm-secret-3' }] }],
    });
    const metrics = createRefresherMetrics();
    let t = 0;
    const refresher = createRefresher({
      clock,
      fetch: instrumentFetch(fake.fetch, metrics.upstreamLatency, () => (t += 5)),
      clients: [
        { kind: 'official_account', appid: 'wx_oa', secret: 'm-secret-1' },
        { kind: 'mini_program', appid: 'wx_bad', secret: 'wrong' },
        { kind: 'work', appid: 'ww', agents: [{ id: 1, secret: 'm-secret-3' }] },
      ],
    });
    metrics.observe(refresher);
    await refresher.ready;
    const families = parseExposition(await metrics.metrics());
    const value = (name: string, labels: Record<string, string>) =>
      families
        .get(name.replace(/_(count|sum)$/, ''))!
        .samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        .reduce((sum, s) => sum + s.value, 0);
    expect(value('wechat_refresher_refreshes_total', { kind: 'official_account' })).toBe(3);
    expect(value('wechat_refresher_refreshes_total', { kind: 'work', store_key: 'access_token' })).toBe(1);
    expect(value('wechat_refresher_refresh_failures_total', { kind: 'mini_program', errcode: '40001' })).toBe(
      1,
    );
    expect(value('wechat_refresher_seconds_to_expiry', { store_id: 'ww_1', store_key: 'access_token' })).toBe(
      7200,
    );
    // 5 upstream calls, timed on the injected monotonic clock; an errcode answer is HTTP ok.
    expect(value('wechat_refresher_upstream_request_duration_seconds_count', {})).toBe(5);
    expect(
      value('wechat_refresher_upstream_request_duration_seconds_count', {
        path: '/cgi-bin/token',
        outcome: 'ok',
      }),
    ).toBe(2);
    expect(value('wechat_refresher_upstream_request_duration_seconds_sum', {})).toBeGreaterThan(0);
    const text = await metrics.metrics();
    expect(text).not.toMatch(/m-secret|secret=/);
    expect(await globalRegistry.metrics()).not.toContain('wechat_refresher');
    await refresher.stop();
  });

  it('labels network failures and HTTP errors apart', async () => {
    const metrics = createRefresherMetrics();
    const failing = instrumentFetch(async () => {
      throw new TypeError('fetch failed');
    }, metrics.upstreamLatency);
    await expect(failing('https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpsecret=zzz')).rejects.toThrow();
    const http = instrumentFetch(async () => new Response('no', { status: 502 }), metrics.upstreamLatency);
    await http('https://api.weixin.qq.com/cgi-bin/token?secret=yyy');
    const samples = parseExposition(await metrics.metrics())
      .get('wechat_refresher_upstream_request_duration_seconds')!
      .samples.filter((s) => s.name.endsWith('_count'));
    expect(samples.map((s) => s.labels)).toEqual(
      expect.arrayContaining([
        { host: 'work', path: '/cgi-bin/gettoken', outcome: 'network_error' },
        { host: 'api', path: '/cgi-bin/token', outcome: 'http_error' },
      ]),
    );
    expect(await metrics.metrics()).not.toMatch(/zzz|yyy/);
  });

  it('stops counting after unobserve', async () => {
    const metrics = createRefresherMetrics();
    const refresher = createRefresher({
      clients: [
        [
          { kind: 'mini_program', appid: 'wx_c' },
          {
            refreshOptions: [
              { storeId: 'wx_c', storeKey: 'k', refresh: async () => ({ value: 'v-0001', expiresIn: 600 }) },
            ],
          },
        ],
      ],
      waitForSignal: true,
    });
    const off = metrics.observe(refresher);
    await refresher.refresh('wx_c');
    off();
    await refresher.refresh('wx_c');
    const total = parseExposition(await metrics.metrics()).get('wechat_refresher_refreshes_total')!.samples;
    expect(total.reduce((s, x) => s + x.value, 0)).toBe(1);
    await refresher.stop();
  });
});
