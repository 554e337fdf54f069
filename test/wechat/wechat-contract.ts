/**
 * The WeChat boundary's contract against the fake (STYLE.md rule 17): every endpoint function, the real
 * wire shapes, and the failure classes the runtime branches on. Run in-process by `contract.test.ts`
 * and over loopback HTTP by `contract.http.test.ts`. Not a test file itself.
 */
import { SimulatedClock } from 'xstate';
import { WeChatApiError } from '../../src/errors.js';
import { createFakeWeChat, type FakeWeChat, type FakeWeChatOptions } from '../../src/fake/index.js';
import {
  getAccessToken,
  getApiQuota,
  getAuthorizerAccessToken,
  getComponentAccessToken,
  getStableAccessToken,
  getTicket,
  getWorkAccessToken,
  getWorkAgentTicket,
  getWorkJsApiTicket,
  type WeChatDeps,
} from '../../src/wechat/index.js';

/** What each contract test gets: a fresh fake on a SimulatedClock and deps pointing at it. */
export interface ContractWorld {
  fake: FakeWeChat;
  clock: SimulatedClock;
  deps: WeChatDeps;
}

/** Builds deps for a fake: in-process (`fake.fetch`) or over loopback. */
export type MakeDeps = (fake: FakeWeChat) => Promise<{ deps: WeChatDeps; close(): Promise<void> }>;

/** The subset of vitest the contract needs, so this file does not pick a runner. */
export interface ContractRunner {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void>): void;
  expect: typeof import('vitest').expect;
}

const APP = { appid: 'wxapp', secret: 'app-secret-1' };
const COMPONENT = { appid: 'wxcomp', secret: 'comp-secret-1', verifyTicket: 'ticket@@@initial' };
const AUTHORIZER = { appid: 'wxauth', refreshToken: 'refreshtoken@@@1' };
const CORP = { corpid: 'wwcorp', agents: [{ id: 1000002, secret: 'agent-secret-1' }] };
const SECRETS = [
  APP.secret,
  COMPONENT.secret,
  COMPONENT.verifyTicket,
  AUTHORIZER.refreshToken,
  CORP.agents[0].secret,
];

const OPTIONS: FakeWeChatOptions = {
  apps: [APP],
  components: [{ ...COMPONENT, authorizers: [AUTHORIZER] }],
  corps: [CORP],
  seed: 7,
};

/** Registers the contract's tests. */
export function wechatContract(
  name: string,
  { describe, it, expect }: ContractRunner,
  makeDeps: MakeDeps,
): void {
  /** Runs `fn` against a fresh fake and always releases it. */
  async function withWorld(fn: (world: ContractWorld) => Promise<void>): Promise<void> {
    const clock = new SimulatedClock();
    clock.set(Date.UTC(2025, 0, 1, 4, 0, 0));
    const fake = createFakeWeChat({ ...OPTIONS, clock });
    const { deps, close } = await makeDeps(fake);
    try {
      await fn({ fake, clock, deps });
    } finally {
      await close();
    }
  }

  /** The rejection of `promise`, checked to be a WeChatApiError free of every secret and token. */
  async function failure(promise: Promise<unknown>, tokens: string[] = []): Promise<WeChatApiError> {
    const error = await promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WeChatApiError);
    for (const value of [...SECRETS, ...tokens]) {
      expect(String(error)).not.toContain(value);
      expect((error as Error).message).not.toContain(value);
    }
    return error as WeChatApiError;
  }

  describe(`WeChat boundary contract (${name})`, () => {
    describe('official account / mini program', () => {
      it('getAccessToken mints a token the fake accepts, with expiresIn in seconds', () =>
        withWorld(async ({ fake, deps }) => {
          const result = await getAccessToken(deps, APP);
          expect(fake.isValid(result.accessToken)).toBe(true);
          expect(result.expiresIn).toBe(7200);
          expect(fake.callCount('/cgi-bin/token', APP.appid)).toBe(1);
        }));

      it('getAccessToken with a wrong secret fails 40001 configuration', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(getAccessToken(deps, { appid: APP.appid, secret: 'wrong-secret-9' }), [
            'wrong-secret-9',
          ]);
          expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_API', errcode: 40001, kind: 'configuration' });
          expect(error.message).toContain(`appid '${APP.appid}'`);
        }));

      it('getAccessToken for an unknown appid fails 40013 configuration', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(getAccessToken(deps, { appid: 'wxnobody', secret: APP.secret }));
          expect(error).toMatchObject({ errcode: 40013, kind: 'configuration' });
        }));

      it('getAccessToken with a component appid fails 61024 configuration', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(
            getAccessToken(deps, { appid: COMPONENT.appid, secret: COMPONENT.secret }),
          );
          expect(error).toMatchObject({ errcode: 61024, kind: 'configuration' });
        }));

      it('getStableAccessToken returns the same token until forceRefresh', () =>
        withWorld(async ({ fake, deps }) => {
          const first = await getStableAccessToken(deps, APP);
          const again = await getStableAccessToken(deps, APP);
          expect(again.accessToken).toBe(first.accessToken);
          const forced = await getStableAccessToken(deps, { ...APP, forceRefresh: true });
          expect(forced.accessToken).not.toBe(first.accessToken);
          expect(fake.isValid(forced.accessToken)).toBe(true);
          expect(forced.expiresIn).toBeGreaterThanOrEqual(300);
        }));

      it('getTicket returns jsapi and wx_card tickets for a live token', () =>
        withWorld(async ({ fake, deps }) => {
          const { accessToken } = await getAccessToken(deps, APP);
          const jsapi = await getTicket(deps, { appid: APP.appid, accessToken, type: 'jsapi' });
          const card = await getTicket(deps, { appid: APP.appid, accessToken, type: 'wx_card' });
          expect(jsapi.expiresIn).toBe(7200);
          expect(card.ticket).not.toBe(jsapi.ticket);
          expect(fake.isValid(jsapi.ticket)).toBe(true);
        }));

      it('getTicket with an expired token fails 42001 token_invalid', () =>
        withWorld(async ({ clock, deps }) => {
          const { accessToken } = await getAccessToken(deps, APP);
          clock.increment(7201_000);
          const error = await failure(getTicket(deps, { appid: APP.appid, accessToken, type: 'jsapi' }), [
            accessToken,
          ]);
          expect(error).toMatchObject({ errcode: 42001, kind: 'token_invalid' });
        }));

      it('getTicket with a token superseded past the grace window fails 40001 token_invalid', () =>
        withWorld(async ({ clock, deps }) => {
          const old = await getAccessToken(deps, APP);
          await getAccessToken(deps, APP);
          // Inside the 5-minute grace the old token still works (spec §1.1).
          await getTicket(deps, { appid: APP.appid, accessToken: old.accessToken, type: 'jsapi' });
          clock.increment(301_000);
          const error = await failure(
            getTicket(deps, { appid: APP.appid, accessToken: old.accessToken, type: 'jsapi' }),
            [old.accessToken],
          );
          expect(error).toMatchObject({ errcode: 40001, kind: 'token_invalid' });
        }));

      it('getTicket with a token the fake never issued fails token_invalid', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(
            getTicket(deps, { appid: APP.appid, accessToken: 'made-up-token', type: 'jsapi' }),
            ['made-up-token'],
          );
          expect(error.kind).toBe('token_invalid');
        }));

      it('getApiQuota reads the quota of /cgi-bin/token and probes liveness', () =>
        withWorld(async ({ fake, deps }) => {
          const { accessToken } = await getAccessToken(deps, APP);
          const quota = await getApiQuota(deps, { accessToken, cgiPath: '/cgi-bin/token', appid: APP.appid });
          expect(quota).toEqual({
            dailyLimit: 2000,
            used: fake.quotaUsed(APP.appid, '/cgi-bin/token'),
            remain: 2000 - fake.quotaUsed(APP.appid, '/cgi-bin/token'),
          });
          expect(quota.used).toBeGreaterThanOrEqual(1);
          fake.expireToken(accessToken);
          const error = await failure(getApiQuota(deps, { accessToken, cgiPath: '/cgi-bin/token' }), [
            accessToken,
          ]);
          expect(error.kind).toBe('token_invalid');
        }));
    });

    describe('third-party platform', () => {
      it('getComponentAccessToken then getAuthorizerAccessToken mint live tokens; the refresh token stays', () =>
        withWorld(async ({ fake, deps }) => {
          const component = await getComponentAccessToken(deps, {
            componentAppid: COMPONENT.appid,
            componentSecret: COMPONENT.secret,
            verifyTicket: COMPONENT.verifyTicket,
          });
          expect(fake.isValid(component.componentAccessToken)).toBe(true);
          expect(component.expiresIn).toBe(7200);
          const authorizer = await getAuthorizerAccessToken(deps, {
            componentAppid: COMPONENT.appid,
            componentAccessToken: component.componentAccessToken,
            authorizerAppid: AUTHORIZER.appid,
            refreshToken: AUTHORIZER.refreshToken,
          });
          expect(fake.isValid(authorizer.authorizerAccessToken)).toBe(true);
          expect(authorizer.refreshToken).toBe(AUTHORIZER.refreshToken);
          const ticket = await getTicket(deps, {
            appid: AUTHORIZER.appid,
            accessToken: authorizer.authorizerAccessToken,
            type: 'jsapi',
          });
          expect(fake.isValid(ticket.ticket)).toBe(true);
        }));

      it('getComponentAccessToken with an unknown verify ticket fails 61006 transient', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(
            getComponentAccessToken(deps, {
              componentAppid: COMPONENT.appid,
              componentSecret: COMPONENT.secret,
              verifyTicket: 'ticket@@@never-pushed',
            }),
            ['ticket@@@never-pushed'],
          );
          expect(error).toMatchObject({ errcode: 61006, kind: 'transient' });
          expect(error.message).toContain(`component appid '${COMPONENT.appid}'`);
        }));

      it('getComponentAccessToken with a 12 h old verify ticket fails 61005 transient', () =>
        withWorld(async ({ clock, deps }) => {
          clock.increment(12 * 3600_000 + 1000);
          const error = await failure(
            getComponentAccessToken(deps, {
              componentAppid: COMPONENT.appid,
              componentSecret: COMPONENT.secret,
              verifyTicket: COMPONENT.verifyTicket,
            }),
          );
          expect(error).toMatchObject({ errcode: 61005, kind: 'transient' });
        }));

      it('getComponentAccessToken with a wrong secret fails configuration', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(
            getComponentAccessToken(deps, {
              componentAppid: COMPONENT.appid,
              componentSecret: 'wrong-comp-secret',
              verifyTicket: COMPONENT.verifyTicket,
            }),
            ['wrong-comp-secret'],
          );
          expect(error.kind).toBe('configuration');
        }));

      it('getAuthorizerAccessToken with a dead component token fails token_invalid', () =>
        withWorld(async ({ fake, deps }) => {
          const { componentAccessToken } = await getComponentAccessToken(deps, {
            componentAppid: COMPONENT.appid,
            componentSecret: COMPONENT.secret,
            verifyTicket: COMPONENT.verifyTicket,
          });
          fake.expireToken(componentAccessToken);
          const error = await failure(
            getAuthorizerAccessToken(deps, {
              componentAppid: COMPONENT.appid,
              componentAccessToken,
              authorizerAppid: AUTHORIZER.appid,
              refreshToken: AUTHORIZER.refreshToken,
            }),
            [componentAccessToken],
          );
          expect(error).toMatchObject({ errcode: 42001, kind: 'token_invalid' });
        }));

      it('getAuthorizerAccessToken after revocation fails 61023 configuration', () =>
        withWorld(async ({ fake, deps }) => {
          const { componentAccessToken } = await getComponentAccessToken(deps, {
            componentAppid: COMPONENT.appid,
            componentSecret: COMPONENT.secret,
            verifyTicket: COMPONENT.verifyTicket,
          });
          fake.revokeAuthorization(COMPONENT.appid, AUTHORIZER.appid);
          const error = await failure(
            getAuthorizerAccessToken(deps, {
              componentAppid: COMPONENT.appid,
              componentAccessToken,
              authorizerAppid: AUTHORIZER.appid,
              refreshToken: AUTHORIZER.refreshToken,
            }),
            [componentAccessToken],
          );
          expect(error).toMatchObject({ errcode: 61023, kind: 'configuration' });
        }));
    });

    describe('WeCom', () => {
      it('getWorkAccessToken, getWorkJsApiTicket and getWorkAgentTicket return live, distinct values', () =>
        withWorld(async ({ fake, deps }) => {
          const agent = CORP.agents[0];
          const token = await getWorkAccessToken(deps, {
            corpid: CORP.corpid,
            secret: agent.secret,
            agentId: agent.id,
          });
          expect(fake.isValid(token.accessToken)).toBe(true);
          expect(token.expiresIn).toBe(7200);
          const params = { corpid: CORP.corpid, accessToken: token.accessToken };
          const corpTicket = await getWorkJsApiTicket(deps, params);
          const agentTicket = await getWorkAgentTicket(deps, params);
          expect(corpTicket.ticket).not.toBe(agentTicket.ticket);
          expect(fake.isValid(corpTicket.ticket)).toBe(true);
          expect(fake.isValid(agentTicket.ticket)).toBe(true);
          expect(agentTicket.expiresIn).toBe(7200);
        }));

      it('getWorkAccessToken with a wrong secret fails 40001 configuration naming the corp and agent', () =>
        withWorld(async ({ deps }) => {
          const error = await failure(
            getWorkAccessToken(deps, { corpid: CORP.corpid, secret: 'bad-agent-secret', agentId: 1000002 }),
            ['bad-agent-secret'],
          );
          expect(error).toMatchObject({ errcode: 40001, kind: 'configuration' });
          expect(error.message).toContain(`corpid '${CORP.corpid}' agent 1000002`);
        }));

      it('getWorkJsApiTicket with an expired token fails token_invalid', () =>
        withWorld(async ({ fake, deps }) => {
          const { accessToken } = await getWorkAccessToken(deps, {
            corpid: CORP.corpid,
            secret: CORP.agents[0].secret,
          });
          fake.expireToken(accessToken);
          const error = await failure(getWorkJsApiTicket(deps, { corpid: CORP.corpid, accessToken }), [
            accessToken,
          ]);
          expect(error).toMatchObject({ errcode: 42001, kind: 'token_invalid' });
        }));
    });

    describe('faults', () => {
      it('an errcode sent as a string is normalised', () =>
        withWorld(async ({ fake, deps }) => {
          fake.inject({
            path: '/cgi-bin/token',
            times: 1,
            effect: { type: 'errcode', errcode: 45009, asString: true },
          });
          const error = await failure(getAccessToken(deps, APP));
          expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_API', errcode: 45009, kind: 'quota' });
        }));

      it('system busy (-1) is transient', () =>
        withWorld(async ({ fake, deps }) => {
          fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'busy' } });
          const error = await failure(getAccessToken(deps, APP));
          expect(error).toMatchObject({ errcode: -1, kind: 'transient' });
        }));

      it('an HTML 502 is a transient HTTP error', () =>
        withWorld(async ({ fake, deps }) => {
          fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'http', status: 502 } });
          const error = await failure(getAccessToken(deps, APP));
          expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_HTTP', status: 502, kind: 'transient' });
        }));

      for (const variant of ['truncated', 'empty', 'html'] as const) {
        it(`a ${variant} body is a transient HTTP error`, () =>
          withWorld(async ({ fake, deps }) => {
            fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'malformed', variant } });
            const error = await failure(getAccessToken(deps, APP));
            expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_HTTP', kind: 'transient' });
          }));
      }

      it('WeChat JSON labelled text/plain parses (the body decides, not the label)', () =>
        withWorld(async ({ fake, deps }) => {
          // Deliberate: a mislabelled but complete answer is used, not retried; required fields are
          // still checked. Non-JSON text/plain bodies fail (request.test.ts).
          fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'malformed', variant: 'text' } });
          const result = await getAccessToken(deps, APP);
          expect(fake.isValid(result.accessToken)).toBe(true);
        }));

      it('a body with a BOM parses', () =>
        withWorld(async ({ fake, deps }) => {
          fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'malformed', variant: 'bom' } });
          const result = await getAccessToken(deps, APP);
          expect(fake.isValid(result.accessToken)).toBe(true);
        }));

      it('a connection reset is a transient network error', () =>
        withWorld(async ({ fake, deps }) => {
          fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'reset' } });
          const error = await failure(getAccessToken(deps, APP));
          expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'transient' });
        }));

      it('a hung call times out as a transient network error', () =>
        withWorld(async ({ fake, deps }) => {
          fake.inject({ path: '/cgi-bin/token', times: 1, effect: { type: 'hang' } });
          const error = await failure(getAccessToken({ ...deps, timeoutMs: 50 }, APP));
          expect(error).toMatchObject({ code: 'WR_ERR_WECHAT_NETWORK', kind: 'transient' });
          expect(error.message).toContain('timed out after 50 ms');
        }));
    });
  });
}
