/**
 * Shared setup for the server tests: the in-process fake WeChat and a refresher on one
 * SimulatedClock, with one client of each kind (an authorizer of a component included) and one
 * app whose secret is wrong, and a server with a known token.
 */
import { SimulatedClock } from 'xstate';
import type { FakeWeChat } from '../../src/fake/index.js';
import { createFakeWeChat } from '../../src/fake/index.js';
import type { ClientConfig, Refresher, RefresherOptions } from '../../src/index.js';
import { createRefresher } from '../../src/index.js';
import type { RefresherServer, RefresherServerOptions } from '../../src/server/index.js';
import { createRefresherServer } from '../../src/server/index.js';

/** 2025-03-10 10:00 in Asia/Shanghai. */
export const START_MS = Date.UTC(2025, 2, 10, 2, 0, 0);
export const TOKEN = 'test-token-0123456789abcdef';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Every secret and pushed credential the fixture uses: none may ever leave the refresher. */
export const SECRETS = [
  'oa-secret-1f3a9',
  'mp-secret-77c2e',
  'bad-secret-0b1d',
  'good-secret-9e8f',
  'component-secret-5a5a',
  'agent-secret-c0ffee',
  'authorizer-refresh-4d4d',
  'verify-ticket-e1e1',
];

export const CLIENTS: ClientConfig[] = [
  { kind: 'official_account', appid: 'wx_oa', secret: 'oa-secret-1f3a9' },
  { kind: 'mini_program', appid: 'wx_mp', secret: 'mp-secret-77c2e' },
  { kind: 'mini_program', appid: 'wx_bad', secret: 'bad-secret-0b1d' },
  {
    kind: 'official_account',
    appid: 'wx_auth',
    component: { appid: 'wx_comp', secret: 'component-secret-5a5a' },
  },
  {
    kind: 'work',
    appid: 'ww_corp',
    agents: [{ id: 1000002, secret: 'agent-secret-c0ffee', refreshList: ['js_api_ticket'] }],
  },
];

export interface Rig {
  clock: SimulatedClock;
  fake: FakeWeChat;
  refresher: Refresher;
}

/** The fake and a refresher with {@link CLIENTS}; the component's ticket and refresh token are pushed. */
export async function makeRig(options: Partial<RefresherOptions> = {}, clients = CLIENTS): Promise<Rig> {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  const fake = createFakeWeChat({
    clock,
    seed: 11,
    apps: [
      { appid: 'wx_oa', secret: 'oa-secret-1f3a9' },
      { appid: 'wx_mp', secret: 'mp-secret-77c2e' },
      { appid: 'wx_bad', secret: 'good-secret-9e8f' },
    ],
    components: [
      {
        appid: 'wx_comp',
        secret: 'component-secret-5a5a',
        verifyTicket: 'verify-ticket-e1e1',
        authorizers: [{ appid: 'wx_auth', refreshToken: 'authorizer-refresh-4d4d' }],
      },
    ],
    corps: [{ corpid: 'ww_corp', agents: [{ id: 1000002, secret: 'agent-secret-c0ffee' }] }],
  });
  const refresher = createRefresher({ fetch: fake.fetch, clock, clients, waitForSignal: true, ...options });
  await refresher.ready;
  if (clients.some((c) => c.appid === 'wx_auth')) {
    await refresher.putComponentVerifyTicket('wx_comp', 'verify-ticket-e1e1');
    await refresher.refreshKey(
      'wx_auth',
      'wx_auth',
      'authorizer_refresh_token',
      'authorizer-refresh-4d4d',
      Math.floor(START_MS / 1000) + 30 * 86_400,
    );
  }
  if (!(options.waitForSignal ?? false)) await refresher.startMonitor();
  return { clock, fake, refresher };
}

/** A server over the rig's refresher with {@link TOKEN}. */
export function makeServer(rig: Rig, options: RefresherServerOptions = {}): RefresherServer {
  return createRefresherServer(rig.refresher, { token: TOKEN, feedIntervalMs: 20, ...options });
}

/** Lets promise chains (refresh answers) settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}
