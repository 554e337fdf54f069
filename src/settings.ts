/**
 * Default refresh options per client kind: the seed's DefaultSettings (spec §3.2, API.md).
 * Each option's refresh function reads what it needs at call time (secret, fresh access token,
 * verify ticket) from its context, so tickets always use the token fetched just before them.
 */
import { MAX_TIMER_DELAY_MS } from './clock.js';
import { DependencyError } from './errors.js';
import type {
  ClientConfig,
  RefreshContext,
  RefreshOption,
  RefreshResult,
  WorkAgent,
  WorkClient,
} from './types.js';
import {
  getAccessToken,
  getAuthorizerAccessToken,
  getComponentAccessToken,
  getTicket,
  getWorkAccessToken,
  getWorkAgentTicket,
  getWorkJsApiTicket,
  type WeChatDeps,
} from './wechat/index.js';

/** Lifetime given to an authorizer refresh token we store: 30 days, as the seed (it does not expire). */
export const AUTHORIZER_REFRESH_TOKEN_TTL_SEC = 30 * 24 * 3600;
/** How long a pushed component_verify_ticket is kept: WeChat says 12 h (spec/wechat-api.md §3.1). */
export const VERIFY_TICKET_TTL_SEC = 12 * 3600;

/**
 * The refresher's fetch applies the request timeout once a call holds a concurrency slot; a timer
 * started here would also count the time spent queued and time out calls never sent.
 */
function deps(ctx: RefreshContext): WeChatDeps {
  return { fetch: ctx.fetch, endpoints: ctx.endpoints, signal: ctx.signal, timeoutMs: MAX_TIMER_DELAY_MS };
}

/** A fresh value this refresh depends on, or a DependencyError naming it. */
function need(ctx: RefreshContext, storeId: string, storeKey: string): string {
  const value = ctx.getToken(storeId, storeKey);
  if (value === undefined) {
    throw new DependencyError(`'${storeId}' has no valid ${storeKey} for its ${ctx.storeKey} refresh`);
  }
  return value;
}

/** hub_client: every key is read from the store the hub fills; an expired value is a miss (seed Q7 fixed). */
function readFromHub(ctx: RefreshContext): Promise<RefreshResult> {
  return ctx.readStore(ctx.storeId, ctx.storeKey).then((map) => {
    const expiresIn = map ? map.expired_time - ctx.nowSec() : 0;
    if (!map || expiresIn <= 0) {
      throw new DependencyError(`the hub has no valid ${ctx.storeKey} for '${ctx.storeId}'`);
    }
    return { value: map.value, expiresIn };
  });
}

function option(storeId: string, storeKey: string, refresh: RefreshOption['refresh']): RefreshOption {
  return { storeId, storeKey, refresh };
}

function accessTokenOption(client: ClientConfig & { secret?: string }): RefreshOption {
  return option(client.appid, 'access_token', async (ctx) => {
    const secret = (ctx.client as { secret?: string }).secret ?? client.secret ?? '';
    const r = await getAccessToken(deps(ctx), { appid: ctx.storeId, secret });
    return { value: r.accessToken, expiresIn: r.expiresIn };
  });
}

/** A value from the cache, else from the store while it is still valid. */
async function readValid(
  ctx: RefreshContext,
  storeId: string,
  storeKey: string,
): Promise<string | undefined> {
  const cached = ctx.getToken(storeId, storeKey);
  if (cached !== undefined) return cached;
  const stored = await ctx.readStore(storeId, storeKey);
  return stored && stored.expired_time > ctx.nowSec() ? stored.value : undefined;
}

function authorizerTokenOption(appid: string, componentAppid: string): RefreshOption {
  return option(appid, 'access_token', async (ctx) => {
    // The refresh token is read back from the store after a restart (seed Q6 fixed).
    const refreshToken = await readValid(ctx, appid, 'authorizer_refresh_token');
    if (!refreshToken) {
      throw new DependencyError(
        `authorizer '${appid}' has no authorizer_refresh_token: push one with refreshKey() after the authorization event`,
        'configuration',
      );
    }
    const componentAccessToken = await ctx.componentAccessToken(componentAppid);
    const r = await getAuthorizerAccessToken(deps(ctx), {
      componentAppid,
      componentAccessToken,
      authorizerAppid: appid,
      refreshToken,
    });
    return {
      expiresIn: r.expiresIn,
      values: [
        { storeKey: 'access_token', value: r.authorizerAccessToken, expiresIn: r.expiresIn },
        {
          storeKey: 'authorizer_refresh_token',
          value: r.refreshToken,
          expiresIn: AUTHORIZER_REFRESH_TOKEN_TTL_SEC,
        },
      ],
    };
  });
}

function ticketOption(appid: string, storeKey: string, type: 'jsapi' | 'wx_card'): RefreshOption {
  return option(appid, storeKey, async (ctx) => {
    const r = await getTicket(deps(ctx), { appid, accessToken: need(ctx, appid, 'access_token'), type });
    return { value: r.ticket, expiresIn: r.expiresIn };
  });
}

/** The agent's current config, looked up at call time so appendWorkAgent can update its secret. */
function currentAgent(ctx: RefreshContext, id: string): WorkAgent | undefined {
  return (ctx.client as WorkClient).agents?.find((a) => String(a.id) === id);
}

/** The store id of a WeCom agent's keys (seed Q8 fixed: never nil). */
export function agentCacheId(corpid: string, agent: WorkAgent): string {
  return agent.cacheId ?? `${corpid}_${agent.id}`;
}

/** The options of one WeCom agent, in the seed's order: token, then its refreshList tickets. */
export function workAgentOptions(corpid: string, agent: WorkAgent): RefreshOption[] {
  const cacheId = agentCacheId(corpid, agent);
  const id = String(agent.id);
  const options = [
    option(cacheId, 'access_token', async (ctx) => {
      const secret = currentAgent(ctx, id)?.secret ?? agent.secret ?? '';
      const r = await getWorkAccessToken(deps(ctx), { corpid, secret, agentId: id });
      return { value: r.accessToken, expiresIn: r.expiresIn };
    }),
  ];
  for (const item of agent.refreshList ?? []) {
    const fetchTicket = item === 'agent_js_api_ticket' ? getWorkAgentTicket : getWorkJsApiTicket;
    options.push(
      option(cacheId, item, async (ctx) => {
        const r = await fetchTicket(deps(ctx), { corpid, accessToken: need(ctx, cacheId, 'access_token') });
        return { value: r.ticket, expiresIn: r.expiresIn };
      }),
    );
  }
  return options;
}

/** Wraps options so a hub_client reads every key from its store instead of WeChat. */
function asHubClient(options: RefreshOption[]): RefreshOption[] {
  return options.map((o) => option(o.storeId, o.storeKey, readFromHub));
}

/**
 * The client's own default options, in order. For an authorizer the shared
 * `[componentAppid, component_access_token]` key belongs to the component machine, not listed here.
 */
export function defaultRefreshOptions(client: ClientConfig): RefreshOption[] {
  let options: RefreshOption[];
  if (client.kind === 'work') {
    options = client.agents.flatMap((agent) => workAgentOptions(client.appid, agent));
  } else {
    const token = client.component
      ? authorizerTokenOption(client.appid, client.component.appid)
      : accessTokenOption(client);
    options = [token];
    if (client.kind === 'official_account') {
      options.push(ticketOption(client.appid, 'js_api_ticket', 'jsapi'));
      options.push(ticketOption(client.appid, 'wx_card_ticket', 'wx_card'));
    }
  }
  return client.role === 'hub_client' ? asHubClient(options) : options;
}

/** A component's component_access_token option; `secret()` reads the component's current secret. */
export function componentTokenOption(
  componentAppid: string,
  secret: () => string | undefined,
  viaHub: boolean,
) {
  const refresh = async (ctx: RefreshContext): Promise<RefreshResult> => {
    const verifyTicket = await readValid(ctx, componentAppid, 'component_verify_ticket');
    if (!verifyTicket) {
      throw new DependencyError(
        `component '${componentAppid}' has no component_verify_ticket yet: it is pushed by WeChat every 10 minutes (putComponentVerifyTicket)`,
      );
    }
    const r = await getComponentAccessToken(deps(ctx), {
      componentAppid,
      componentSecret: secret() ?? '',
      verifyTicket,
    });
    return { value: r.componentAccessToken, expiresIn: r.expiresIn };
  };
  return option(componentAppid, 'component_access_token', viaHub ? readFromHub : refresh);
}
