/**
 * `wechat-refresher demo`: the fake WeChat on loopback and a mixed set of apps (official accounts,
 * mini programs, a third-party platform with authorizers, a WeCom corp with agents, one app with a
 * wrong secret), short token lifetimes so refreshes happen every minute or so, and faults now and
 * then so retrying shows. No network needed.
 */
import { createFakeWeChat, type FakeServer, type FakeWeChatOptions } from '../fake/index.js';
import type { Refresher } from '../refresher.js';
import type { ClientConfig, ClientSetting } from '../types.js';

/** Options of the demo. */
export interface DemoOptions {
  /** Total clients; beyond the built-in mix, generated mini programs and official accounts. @default 10 */
  clients?: number;
  /** Lifetime of tokens and tickets the fake hands out, in seconds. @default 150 */
  lifetimeSec?: number;
  /** Share of upstream calls failing with a busy answer (some more with HTTP 502). @default 0.08 */
  faultRate?: number;
  /** Seed of the fake (tokens and faults). @default 7 */
  seed?: number;
}

export const DEFAULT_DEMO_OPTIONS = Object.freeze({
  clients: 10,
  lifetimeSec: 150,
  faultRate: 0.08,
  seed: 7,
});

/** Everything the demo runs: the fake's registry, the refresher's clients and what to push. */
export interface DemoFixture {
  fake: Pick<FakeWeChatOptions, 'apps' | 'components' | 'corps'>;
  clients: Array<[ClientConfig, ClientSetting]>;
  verifyTickets: Array<{ componentAppid: string; ticket: string }>;
  refreshTokens: Array<{ appid: string; token: string }>;
}

const COMPONENT = 'wxdemo_platform';
const CORP = 'wwdemo_corp';

/** The demo's apps. Secrets are made-up strings the fake knows; nothing here is real. */
export function demoFixture(options: DemoOptions = {}): DemoFixture {
  const lifetimeSec = options.lifetimeSec ?? DEFAULT_DEMO_OPTIONS.lifetimeSec;
  // Refresh about a minute after each fetch, retry failures after 10 s.
  const setting: ClientSetting = {
    refreshBeforeExpired: Math.max(1, lifetimeSec - 60),
    refreshRetryInterval: 10,
  };
  const apps: Array<{ appid: string; secret: string; kind: 'official_account' | 'mini_program' }> = [
    { appid: 'wxdemo_oa_news', secret: 'demo-secret-news', kind: 'official_account' },
    { appid: 'wxdemo_oa_shop', secret: 'demo-secret-shop', kind: 'official_account' },
    { appid: 'wxdemo_oa_events', secret: 'demo-secret-events', kind: 'official_account' },
    { appid: 'wxdemo_mp_booking', secret: 'demo-secret-booking', kind: 'mini_program' },
    { appid: 'wxdemo_mp_coupons', secret: 'demo-secret-coupons', kind: 'mini_program' },
  ];
  const authorizers = [
    { appid: 'wxdemo_auth_cafe', refreshToken: 'demo-refresh-cafe', kind: 'official_account' as const },
    { appid: 'wxdemo_auth_gym', refreshToken: 'demo-refresh-gym', kind: 'official_account' as const },
    { appid: 'wxdemo_auth_store', refreshToken: 'demo-refresh-store', kind: 'mini_program' as const },
  ];
  const base = apps.length + authorizers.length + 2; // + the corp + the broken app
  const extra = Math.max(0, (options.clients ?? DEFAULT_DEMO_OPTIONS.clients) - base);
  for (let i = 1; i <= extra; i++) {
    const n = String(i).padStart(5, '0');
    apps.push({
      appid: `wxdemo_bulk_${n}`,
      secret: `demo-secret-${n}`,
      kind: i % 3 === 0 ? 'official_account' : 'mini_program',
    });
  }
  const verifyTicket = 'demo-verify-ticket';
  const clients: Array<[ClientConfig, ClientSetting]> = [
    ...apps.map((a): [ClientConfig, ClientSetting] => [
      { kind: a.kind, appid: a.appid, secret: a.secret },
      setting,
    ]),
    // Its secret was rotated in WeChat and nobody told us: stuck, with the reason in words.
    [{ kind: 'official_account', appid: 'wxdemo_oa_legacy', secret: 'demo-secret-outdated' }, setting],
    ...authorizers.map((a): [ClientConfig, ClientSetting] => [
      { kind: a.kind, appid: a.appid, component: { appid: COMPONENT, secret: 'demo-secret-platform' } },
      setting,
    ]),
    [
      {
        kind: 'work',
        appid: CORP,
        agents: [
          {
            id: 1000002,
            name: 'approvals',
            secret: 'demo-secret-agent2',
            refreshList: ['js_api_ticket', 'agent_js_api_ticket'],
          },
          { id: 1000003, name: 'attendance', secret: 'demo-secret-agent3' },
        ],
      },
      setting,
    ],
  ];
  return {
    fake: {
      apps: [
        ...apps.map(({ appid, secret }) => ({ appid, secret })),
        { appid: 'wxdemo_oa_legacy', secret: 'demo-secret-current' },
      ],
      components: [
        {
          appid: COMPONENT,
          secret: 'demo-secret-platform',
          verifyTicket,
          authorizers: authorizers.map(({ appid, refreshToken }) => ({ appid, refreshToken })),
        },
      ],
      corps: [
        {
          corpid: CORP,
          agents: [
            { id: 1000002, secret: 'demo-secret-agent2' },
            { id: 1000003, secret: 'demo-secret-agent3' },
          ],
        },
      ],
    },
    clients,
    verifyTickets: [{ componentAppid: COMPONENT, ticket: verifyTicket }],
    refreshTokens: authorizers.map(({ appid, refreshToken }) => ({ appid, token: refreshToken })),
  };
}

/** A running fake for the demo, with faults on. */
export interface DemoUpstream {
  fixture: DemoFixture;
  server: FakeServer;
  /** What the refresher must be told before monitoring: the verify ticket and refresh tokens. */
  seed(refresher: Refresher): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with the demo's registry, lifetimes and faults. */
export async function startDemoUpstream(options: DemoOptions = {}): Promise<DemoUpstream> {
  const fixture = demoFixture(options);
  const lifetimeSec = options.lifetimeSec ?? DEFAULT_DEMO_OPTIONS.lifetimeSec;
  const faultRate = options.faultRate ?? DEFAULT_DEMO_OPTIONS.faultRate;
  const fake = createFakeWeChat({
    ...fixture.fake,
    seed: options.seed ?? DEFAULT_DEMO_OPTIONS.seed,
    expiresIn: lifetimeSec,
    ticketLifetimeSec: lifetimeSec,
    callLogLimit: 1000,
  });
  if (faultRate > 0) {
    fake.inject({ probability: faultRate, effect: { type: 'busy' } });
    fake.inject({ probability: faultRate / 3, effect: { type: 'http', status: 502 } });
  }
  // A little latency makes the dashboard's refreshing state visible; thousands of clients skip it.
  if (fixture.clients.length <= 100) fake.inject({ effect: { type: 'latency', ms: 20, jitter: 'uniform' } });
  const server = await fake.listen();
  return {
    fixture,
    server,
    async seed(refresher) {
      const nowSec = Math.floor(Date.now() / 1000);
      for (const { componentAppid, ticket } of fixture.verifyTickets) {
        await refresher.putComponentVerifyTicket(componentAppid, ticket);
      }
      for (const { appid, token } of fixture.refreshTokens) {
        await refresher.refreshKey(appid, appid, 'authorizer_refresh_token', token, nowSec + 30 * 86_400);
      }
    },
  };
}
