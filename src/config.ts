/**
 * Validation and defaults of clients, settings and refresher options. Every problem is a ConfigError
 * naming the client (appid) and the field, thrown before anything runs (DESIGN.md "Errors");
 * values are never echoed, since a wrong one may be a secret.
 */
import { type Clock, systemClock } from './clock.js';
import { ConfigError } from './errors.js';
import { agentCacheId, defaultRefreshOptions } from './settings.js';
import type {
  ClientConfig,
  ClientSetting,
  RefresherLogger,
  RefresherOptions,
  RefreshOption,
  Role,
  WorkAgent,
} from './types.js';
import { DEFAULT_ENDPOINTS } from './wechat/index.js';

/** Defaults of a client setting, in seconds (seed §4). */
export const DEFAULT_CLIENT_SETTING = Object.freeze({ refreshBeforeExpired: 1800, refreshRetryInterval: 60 });
/** A hub_client refreshes 30 s before its hub, so it reads the hub's new token on its next poll (seed §4 rule 7). */
export const HUB_CLIENT_REFRESH_BEFORE_EXPIRED = 1830;

const KINDS = ['official_account', 'mini_program', 'work'] as const;
const ROLES: readonly Role[] = ['client', 'hub', 'hub_client'];
const WORK_TICKETS = ['js_api_ticket', 'agent_js_api_ticket'];

export interface ResolvedClient {
  config: ClientConfig;
  role: Role;
  refreshBeforeExpiredSec: number;
  refreshRetryIntervalSec: number;
  /** The client's own keys, in order. */
  options: RefreshOption[];
  /** Whether the options are the kind's defaults (then secrets are required). */
  usesDefaults: boolean;
}

const silentLogger: RefresherLogger = { debug() {}, info() {}, warn() {}, error() {} };

export const DEFAULT_REFRESHER_OPTIONS = Object.freeze({
  waitForSignal: false,
  maxConcurrentCalls: 16,
  requestTimeoutMs: 10_000,
  lazyActors: 'auto' as boolean | 'auto',
});

export interface ResolvedRefresherOptions {
  waitForSignal: boolean;
  clock: Clock;
  fetch: typeof globalThis.fetch;
  endpoints: { api: string; work: string };
  maxConcurrentCalls: number;
  requestTimeoutMs: number;
  logger: RefresherLogger;
  inspect: unknown;
  lazyActors: boolean | 'auto';
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function checkInterval(appid: string, field: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(appid, field, 'must be a finite number of seconds');
  }
  if (value < min) throw new ConfigError(appid, field, `must be at least ${min} (seconds)`);
  return value;
}

function checkStore(appid: string, store: unknown): void {
  if (store === undefined || store === null) return;
  const s = store as { get?: unknown; set?: unknown };
  if (typeof s.get !== 'function' || typeof s.set !== 'function') {
    throw new ConfigError(appid, 'store', 'must be a Keyv instance or null');
  }
}

function checkAgents(appid: string, agents: unknown, needSecret: boolean): void {
  if (!Array.isArray(agents)) throw new ConfigError(appid, 'agents', 'must be an array of WeCom agents');
  const seen = new Set<string>();
  agents.forEach((agent, i) => {
    checkAgent(appid, agent, needSecret, `agents[${i}]`, seen);
  });
}

/** Validates one WeCom agent; `seen` holds the cache ids already taken in this corp. */
export function checkAgent(
  appid: string,
  agent: unknown,
  needSecret: boolean,
  field: string,
  seen: Set<string>,
): void {
  const a = agent as Partial<WorkAgent> | null;
  if (typeof a !== 'object' || a === null) throw new ConfigError(appid, field, 'must be an object');
  if (!(typeof a.id === 'number' && Number.isFinite(a.id)) && !isNonEmptyString(a.id)) {
    throw new ConfigError(appid, `${field}.id`, 'is required (a number or non-empty string)');
  }
  if (needSecret && !isNonEmptyString(a.secret))
    throw new ConfigError(appid, `${field}.secret`, 'is required');
  if (a.cacheId !== undefined && !isNonEmptyString(a.cacheId)) {
    throw new ConfigError(appid, `${field}.cacheId`, 'must be a non-empty string');
  }
  if (a.refreshList !== undefined) {
    if (!Array.isArray(a.refreshList))
      throw new ConfigError(appid, `${field}.refreshList`, 'must be an array');
    for (const item of a.refreshList) {
      if (!WORK_TICKETS.includes(item as string)) {
        throw new ConfigError(appid, `${field}.refreshList`, `may hold only ${WORK_TICKETS.join(', ')}`);
      }
    }
  }
  const cacheId = agentCacheId(appid, a as WorkAgent);
  if (seen.has(cacheId))
    throw new ConfigError(appid, `${field}.id`, `duplicates another agent (cache id '${cacheId}')`);
  seen.add(cacheId);
}

function resolveOptions(
  client: ClientConfig,
  setting: ClientSetting,
): { options: RefreshOption[]; usesDefaults: boolean } {
  const given = setting.refreshOptions;
  if (given === undefined) return { options: defaultRefreshOptions(client), usesDefaults: true };
  const listed = typeof given === 'function' ? given(client) : given;
  const field = 'setting.refreshOptions';
  if (!Array.isArray(listed))
    throw new ConfigError(client.appid, field, 'must be an array or a function returning one');
  const defaults = defaultRefreshOptions(client);
  const componentAppid = client.kind !== 'work' ? client.component?.appid : undefined;
  const seen = new Set<string>();
  const options: RefreshOption[] = [];
  let usesDefaults = false;
  listed.forEach((o: Partial<RefreshOption> | null, i) => {
    if (!isNonEmptyString(o?.storeId))
      throw new ConfigError(client.appid, `${field}[${i}].storeId`, 'is required');
    if (!isNonEmptyString(o.storeKey))
      throw new ConfigError(client.appid, `${field}[${i}].storeKey`, 'is required');
    // The shared component key (as clientOptions() lists it) belongs to the component machine.
    if (o.storeId === componentAppid && o.storeKey === 'component_access_token' && o.refresh === undefined)
      return;
    let refresh = o.refresh;
    if (refresh === undefined) {
      // A key without a function picks the kind's default for it, so clientOptions() output round-trips.
      refresh = defaults.find((d) => d.storeId === o.storeId && d.storeKey === o.storeKey)?.refresh;
      if (!refresh) {
        throw new ConfigError(
          client.appid,
          `${field}[${i}].refresh`,
          'is required for a key that is not a default one',
        );
      }
      usesDefaults = true;
    }
    if (typeof refresh !== 'function')
      throw new ConfigError(client.appid, `${field}[${i}].refresh`, 'must be a function');
    const id = `${o.storeId}\u0000${o.storeKey}`;
    if (seen.has(id))
      throw new ConfigError(client.appid, `${field}[${i}]`, `repeats key ${o.storeId}:${o.storeKey}`);
    seen.add(id);
    options.push({ storeId: o.storeId, storeKey: o.storeKey, refresh });
  });
  return { options, usesDefaults };
}

function usesDefaultKeys(given: ClientSetting['refreshOptions']): boolean {
  return Array.isArray(given) && given.some((o) => o && (o as Partial<RefreshOption>).refresh === undefined);
}

/**
 * Validates a client and its setting and resolves the defaults.
 * @param hasExplicitStore whether the refresher was given a store (a hub_client needs one to read).
 */
export function resolveClient(client: unknown, setting: unknown, hasExplicitStore: boolean): ResolvedClient {
  if (typeof client !== 'object' || client === null)
    throw new ConfigError(undefined, 'client', 'must be an object');
  const c = client as Partial<ClientConfig> & {
    secret?: unknown;
    component?: { appid?: unknown; secret?: unknown };
  };
  if (!isNonEmptyString(c.appid))
    throw new ConfigError(undefined, 'appid', 'is required (a non-empty string)');
  const appid = c.appid;
  if (!KINDS.includes(c.kind as (typeof KINDS)[number])) {
    throw new ConfigError(appid, 'kind', `must be one of ${KINDS.join(', ')}`);
  }
  const role = c.role ?? 'client';
  if (!ROLES.includes(role)) throw new ConfigError(appid, 'role', `must be one of ${ROLES.join(', ')}`);
  checkStore(appid, c.store);
  if (role === 'hub_client' && (c.store === null || (c.store === undefined && !hasExplicitStore))) {
    throw new ConfigError(
      appid,
      'store',
      'is required for a hub_client: it reads every token from its store',
    );
  }
  if (setting !== undefined && (typeof setting !== 'object' || setting === null || Array.isArray(setting))) {
    throw new ConfigError(appid, 'setting', 'must be an object');
  }
  const s = (setting ?? {}) as ClientSetting;
  const rbe = checkInterval(appid, 'setting.refreshBeforeExpired', s.refreshBeforeExpired, 0);
  // A zero retry interval would turn every failure into a tight loop that burns the daily quota.
  const retry = checkInterval(appid, 'setting.refreshRetryInterval', s.refreshRetryInterval, 1);

  // Only the kind's default refresh functions need a secret; custom ones bring their own.
  const needSecret =
    role !== 'hub_client' && (s.refreshOptions === undefined || usesDefaultKeys(s.refreshOptions));
  if (c.kind === 'work') {
    if ('component' in c && c.component !== undefined) {
      throw new ConfigError(appid, 'component', 'is not supported for work clients');
    }
    checkAgents(appid, c.agents, needSecret);
  } else if (c.component !== undefined) {
    if (typeof c.component !== 'object' || c.component === null || !isNonEmptyString(c.component.appid)) {
      throw new ConfigError(appid, 'component.appid', 'is required (a non-empty string)');
    }
    if (c.component.secret !== undefined && !isNonEmptyString(c.component.secret)) {
      throw new ConfigError(appid, 'component.secret', 'must be a non-empty string');
    }
  } else if (needSecret && !isNonEmptyString(c.secret)) {
    throw new ConfigError(appid, 'secret', 'is required (or set role hub_client, or give refreshOptions)');
  }

  const config = client as ClientConfig;
  const { options, usesDefaults } = resolveOptions(config, s);
  return {
    config,
    role,
    refreshBeforeExpiredSec:
      rbe ??
      (role === 'hub_client'
        ? HUB_CLIENT_REFRESH_BEFORE_EXPIRED
        : DEFAULT_CLIENT_SETTING.refreshBeforeExpired),
    refreshRetryIntervalSec: retry ?? DEFAULT_CLIENT_SETTING.refreshRetryInterval,
    options,
    usesDefaults,
  };
}

/** Splits the `clients` option into pairs and rejects duplicate appids. */
export function normalizeClientList(clients: unknown): Array<{ client: unknown; setting: unknown }> {
  if (clients === undefined) return [];
  if (!Array.isArray(clients)) throw new ConfigError(undefined, 'clients', 'must be an array');
  const seen = new Set<string>();
  return clients.map((item) => {
    const [client, setting] = Array.isArray(item) ? item : [item, undefined];
    const appid = (client as { appid?: unknown } | null)?.appid;
    if (typeof appid === 'string') {
      if (seen.has(appid)) throw new ConfigError(appid, 'appid', 'appears twice in clients');
      seen.add(appid);
    }
    return { client, setting };
  });
}

export function resolveRefresherOptions(options: RefresherOptions): ResolvedRefresherOptions {
  const o = options ?? {};
  if (o.fetch !== undefined && typeof o.fetch !== 'function')
    throw new ConfigError(undefined, 'fetch', 'must be a function');
  const clock = o.clock ?? systemClock;
  if (
    typeof clock.now !== 'function' ||
    typeof clock.setTimeout !== 'function' ||
    typeof clock.clearTimeout !== 'function'
  ) {
    throw new ConfigError(undefined, 'clock', 'must have now(), setTimeout() and clearTimeout()');
  }
  const endpoints = { ...DEFAULT_ENDPOINTS, ...o.endpoints };
  for (const key of ['api', 'work'] as const) {
    if (!isNonEmptyString(endpoints[key]) || !/^https?:\/\//.test(endpoints[key])) {
      throw new ConfigError(undefined, `endpoints.${key}`, 'must be an http(s) URL');
    }
  }
  if (o.lazyActors !== undefined && typeof o.lazyActors !== 'boolean' && o.lazyActors !== 'auto') {
    throw new ConfigError(undefined, 'lazyActors', "must be true, false or 'auto'");
  }
  if (o.waitForSignal !== undefined && typeof o.waitForSignal !== 'boolean') {
    throw new ConfigError(undefined, 'waitForSignal', 'must be a boolean');
  }
  if (
    o.logger !== undefined &&
    !['debug', 'info', 'warn', 'error'].every((m) => typeof (o.logger as any)?.[m] === 'function')
  ) {
    throw new ConfigError(undefined, 'logger', 'must have debug(), info(), warn() and error()');
  }
  const maxConcurrentCalls = o.maxConcurrentCalls ?? DEFAULT_REFRESHER_OPTIONS.maxConcurrentCalls;
  if (!Number.isInteger(maxConcurrentCalls) || maxConcurrentCalls < 1) {
    throw new ConfigError(undefined, 'maxConcurrentCalls', 'must be a positive integer');
  }
  const requestTimeoutMs = o.requestTimeoutMs ?? DEFAULT_REFRESHER_OPTIONS.requestTimeoutMs;
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new ConfigError(undefined, 'requestTimeoutMs', 'must be a positive number of ms');
  }
  return {
    waitForSignal: o.waitForSignal ?? DEFAULT_REFRESHER_OPTIONS.waitForSignal,
    clock,
    fetch: o.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    endpoints,
    maxConcurrentCalls,
    requestTimeoutMs,
    logger: o.logger ?? silentLogger,
    inspect: o.inspect,
    lazyActors: o.lazyActors ?? DEFAULT_REFRESHER_OPTIONS.lazyActors,
  };
}
