/**
 * `createFakeWeChat`: wires state, routes, faults, the call log and both adapters into one fake,
 * and gives tests their control surface (registry changes, early expiry, faults, counters).
 */

import type { FakeCall } from './call-log.js';
import { CallLog } from './call-log.js';
import type { FakeState } from './fake-state.js';
import type { FaultHandle, FaultRule } from './faults.js';
import { FaultSet } from './faults.js';
import { createFakeFetch, createUrlRouter } from './fetch-adapter.js';
import { createHandler } from './handler.js';
import type { FakeListenOptions, FakeServer } from './http-adapter.js';
import { listenFake } from './http-adapter.js';
import type {
  FakeAppConfig,
  FakeAuthorizerConfig,
  FakeComponentConfig,
  FakeCorpConfig,
  FakeExpiresIn,
  FakeWeChatOptions,
} from './options.js';
import { checkExpiresIn, resolveFakeWeChatOptions } from './options.js';
import { QuotaCounters } from './quota.js';
import type { SecretTarget } from './registry.js';
import { FakeRegistry } from './registry.js';
import { createRng, deriveSeed } from './rng.js';
import type { TokenStatus } from './token-book.js';
import { TokenBook } from './token-book.js';

/** A fake WeChat and WeCom API. */
export interface FakeWeChat {
  /** In-process fetch (no sockets) for the real hosts and for the base URLs `listen()` returned. */
  readonly fetch: typeof globalThis.fetch;
  /** Serves the same handler over HTTP on 127.0.0.1; api and work hosts on two ports. */
  listen(options?: FakeListenOptions): Promise<FakeServer>;

  /** Whether WeChat would accept this token, ticket or verify ticket right now. */
  isValid(token: string): boolean;
  /** Why a value is (not) accepted: valid, superseded (40001), expired (42001) or unknown (40014). */
  tokenStatus(token: string): TokenStatus;
  /** The call log (a live array, oldest first). */
  readonly calls: readonly FakeCall[];
  /** Calls to `path` (any when omitted or '*'), optionally only those naming `appid`. */
  callCount(path?: string, appid?: string): number;
  /** Empties the call log. */
  clearCalls(): void;
  /** Today's quota count of an owner (appid, authorizer appid or corpid) on a cgi path. */
  quotaUsed(appid: string, cgiPath: string): number;

  /** Adds an app, or replaces a known app's secret and flags. */
  addApp(app: FakeAppConfig): void;
  /** Adds or updates a component; a `verifyTicket` counts as pushed now. */
  addComponent(component: FakeComponentConfig): void;
  /** Authorizes (or re-authorizes) an app to a component. */
  authorize(componentAppid: string, authorizer: FakeAuthorizerConfig): void;
  /** Adds a corp, or adds and updates its agents. */
  addCorp(corp: FakeCorpConfig): void;
  /** Replaces a secret; the old one is refused from now on (issued tokens live on). */
  rotateSecret(target: SecretTarget, newSecret: string): void;
  /** Freezes (40243) or unfreezes an app's or component's secret. */
  freezeSecret(appid: string, frozen?: boolean): void;
  /** Revokes an authorization: api_authorizer_token answers 61023, its live tokens 40001. */
  revokeAuthorization(componentAppid: string, authorizerAppid: string): void;
  /** Expires a token or ticket now (42001 afterwards); false if the fake never issued it. */
  expireToken(token: string): boolean;
  /** Pushes a component_verify_ticket (a new one unless given) and returns it; valid 12 h. */
  pushVerifyTicket(componentAppid: string, ticket?: string): string;
  /** Changes the lifetime override for tokens minted from now on. */
  setExpiresIn(expiresIn: FakeExpiresIn | undefined): void;

  /** Adds a fault rule. */
  inject(rule: FaultRule): FaultHandle;
  /** Removes every fault rule. */
  clearFaults(): void;
}

/**
 * Creates a fake WeChat API with its own registry, clock, seed and state.
 *
 * @example
 * ```ts
 * import { createFakeWeChat } from 'wechat-refresher/fake';
 * import { SimulatedClock } from 'xstate';
 *
 * const clock = new SimulatedClock();
 * const fake = createFakeWeChat({ apps: [{ appid: 'wx1', secret: 's1' }], clock, seed: 7 });
 * const res = await fake.fetch(
 *   'https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=s1',
 * );
 * const { access_token } = await res.json();
 * fake.isValid(access_token); // true
 * clock.increment(7200_000);
 * fake.isValid(access_token); // false: 42001 from now on
 * ```
 */
export function createFakeWeChat(options: FakeWeChatOptions = {}): FakeWeChat {
  const resolved = resolveFakeWeChatOptions(options);
  const { clock } = resolved;
  const state: FakeState = {
    options: resolved,
    clock,
    registry: new FakeRegistry(),
    tokens: new TokenBook(clock, createRng(resolved.seed), resolved.forgetAfterSec * 1000),
    quota: new QuotaCounters(clock, resolved.utcOffsetMinutes),
    ids: createRng(deriveSeed(resolved.seed, 1)),
    lastForceAtMs: new Map(),
    expiresIn: resolved.expiresIn,
  };
  const faults = new FaultSet(createRng(deriveSeed(resolved.seed, 2)));
  const log = new CallLog(resolved.callLogLimit);
  const handle = createHandler(state, faults, log);
  const listened = new Map<string, 'api' | 'work'>();
  const fetch = createFakeFetch(handle, createUrlRouter(listened), resolved.clientIp);

  const pushVerifyTicket = (componentAppid: string, ticket?: string): string => {
    state.registry.component(componentAppid);
    const value = ticket ?? state.tokens.newValue('verify_ticket');
    state.tokens.put(value, {
      kind: 'verify_ticket',
      owner: componentAppid,
      lifetimeMs: resolved.verifyTicketLifetimeSec * 1000,
    });
    return value;
  };
  const addComponent = (component: FakeComponentConfig): void => {
    state.registry.addComponent(component);
    if (component.verifyTicket !== undefined) pushVerifyTicket(component.appid, component.verifyTicket);
  };

  for (const app of resolved.apps) state.registry.addApp(app);
  for (const component of resolved.components) addComponent(component);
  for (const corp of resolved.corps) state.registry.addCorp(corp);

  return {
    fetch,
    listen: (listenOptions = {}) =>
      listenFake(handle, listenOptions, (origin, family, open) => {
        if (open) listened.set(origin, family);
        else listened.delete(origin);
      }),
    isValid: (token) => state.tokens.status(token) === 'valid',
    tokenStatus: (token) => state.tokens.status(token),
    get calls() {
      return log.entries;
    },
    callCount: (path, appid) => log.count(path, appid),
    clearCalls: () => log.clear(),
    quotaUsed: (appid, cgiPath) => state.quota.used(appid, cgiPath, 'day'),
    addApp: (app) => {
      state.registry.addApp(app);
    },
    addComponent,
    authorize: (componentAppid, authorizer) => state.registry.authorize(componentAppid, authorizer),
    addCorp: (corp) => {
      state.registry.addCorp(corp);
    },
    rotateSecret: (target, newSecret) => state.registry.rotateSecret(target, newSecret),
    freezeSecret: (appid, frozen = true) => {
      state.registry.holder(appid).frozen = frozen;
    },
    revokeAuthorization: (componentAppid, authorizerAppid) => {
      const authorization = state.registry.component(componentAppid).authorizations.get(authorizerAppid);
      if (authorization !== undefined) authorization.revoked = true;
      state.tokens.invalidateSlot(`authorizer:${componentAppid}:${authorizerAppid}`);
    },
    expireToken: (token) => state.tokens.expire(token),
    pushVerifyTicket,
    setExpiresIn: (expiresIn) => {
      checkExpiresIn(expiresIn);
      state.expiresIn = expiresIn;
    },
    inject: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
  };
}
