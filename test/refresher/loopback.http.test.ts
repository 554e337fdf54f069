/**
 * The refresher over real HTTP: Node's fetch against the fake WeChat listening on 127.0.0.1, with
 * the endpoints option pointing at it. The same flows as the in-process suites, through sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeWeChat, type FakeServer } from '../../src/fake/index.js';
import { createRefresher } from '../../src/index.js';

const fake = createFakeWeChat({
  apps: [{ appid: 'oa1', secret: 'oa1-secret' }],
  components: [
    {
      appid: 'comp1',
      secret: 'comp1-secret',
      verifyTicket: 'vt',
      authorizers: [{ appid: 'auth1', refreshToken: 'rt1' }],
    },
  ],
  corps: [{ corpid: 'corp1', agents: [{ id: 1, secret: 'agent-secret' }] }],
  seed: 3,
});
let server: FakeServer;

beforeAll(async () => {
  server = await fake.listen();
});
afterAll(async () => {
  await server.close();
});

describe('the refresher over loopback HTTP', () => {
  it('refreshes an official account, an authorizer and a WeCom agent through real sockets', async () => {
    const refresher = createRefresher({
      endpoints: { api: server.api, work: server.work },
      waitForSignal: true,
      clients: [
        { kind: 'official_account', appid: 'oa1', secret: 'oa1-secret' },
        { kind: 'mini_program', appid: 'auth1', component: { appid: 'comp1', secret: 'comp1-secret' } },
        {
          kind: 'work',
          appid: 'corp1',
          agents: [{ id: 1, secret: 'agent-secret', refreshList: ['agent_js_api_ticket'] }],
        },
      ],
    });
    await refresher.putComponentVerifyTicket('comp1', 'vt');
    await refresher.refreshKey(
      'auth1',
      'auth1',
      'authorizer_refresh_token',
      'rt1',
      Math.floor(Date.now() / 1000) + 86400,
    );
    await refresher.startMonitor();
    for (const [id, key] of [
      ['oa1', 'access_token'],
      ['oa1', 'js_api_ticket'],
      ['oa1', 'wx_card_ticket'],
      ['comp1', 'component_access_token'],
      ['auth1', 'access_token'],
      ['corp1_1', 'access_token'],
      ['corp1_1', 'agent_js_api_ticket'],
    ]) {
      const token = refresher.getToken(id, key);
      expect(token, `${id}:${key}`).toBeDefined();
      expect(fake.isValid(token!)).toBe(true);
    }
    await refresher.stop();
  });

  it('turns a 502 HTML answer and a reset connection into retries, not crashes', async () => {
    const failures: Array<{ error: { code: string; kind: string } }> = [];
    const refresher = createRefresher({
      endpoints: { api: server.api, work: server.work },
      clients: [[{ kind: 'mini_program', appid: 'oa1', secret: 'oa1-secret' }, { refreshRetryInterval: 1 }]],
      waitForSignal: true,
    });
    refresher.on('refresh_failed', (e) => failures.push(e));
    fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'http', status: 502 } });
    fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'reset' } });
    await refresher.startMonitor();
    await refresher.refresh('oa1');
    expect(failures.map((f) => [f.error.code, f.error.kind])).toEqual([
      ['WR_ERR_WECHAT_HTTP', 'transient'],
      ['WR_ERR_WECHAT_NETWORK', 'transient'],
    ]);
    await refresher.refresh('oa1');
    expect(fake.isValid(refresher.getToken('oa1', 'access_token')!)).toBe(true);
    await refresher.stop();
  });
});
