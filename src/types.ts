/**
 * Public types of the refresher (../shared/API.md). Names, argument order and units here are fixed by
 * the contract; JSDoc says each unit where the name cannot.
 */
import type Keyv from 'keyv';
import type { Clock } from './clock.js';

/** Who calls WeChat: `client` and `hub` refresh from WeChat; `hub_client` only reads its store. */
export type Role = 'client' | 'hub' | 'hub_client';

/** Present on an official account or mini program that is an authorizer of a third-party platform. */
export interface ComponentRef {
  /** The component (third-party platform) appid. */
  appid: string;
  /** The component appsecret; needed by at least one authorizer of each component. */
  secret?: string;
}

/** The key names the default refresh options use. Custom options may use any string. */
export type StoreKey =
  | 'access_token'
  | 'js_api_ticket'
  | 'wx_card_ticket'
  | 'agent_js_api_ticket'
  | 'component_access_token'
  | 'component_verify_ticket'
  | 'authorizer_refresh_token';

/** A WeCom (企业微信) application inside a corp. */
export interface WorkAgent {
  id: number | string;
  name?: string;
  /** The agent's own secret (each agent's token works only for that agent). */
  secret?: string;
  /** Store id of the agent's keys. @default `${corpid}_${id}` */
  cacheId?: string;
  /** Tickets to keep fresh besides the agent's access token, in this order. */
  refreshList?: Array<'js_api_ticket' | 'agent_js_api_ticket'>;
}

interface BaseClient {
  appid: string;
  /** @default 'client' */
  role?: Role;
  /** This client's store; `null` means no persistence. @default the refresher's store */
  store?: Keyv | null;
}

export interface OfficialAccountClient extends BaseClient {
  kind: 'official_account';
  secret?: string;
  component?: ComponentRef;
}

export interface MiniProgramClient extends BaseClient {
  kind: 'mini_program';
  secret?: string;
  component?: ComponentRef;
}

export interface WorkClient extends BaseClient {
  kind: 'work';
  /** The corpid. */
  appid: string;
  agents: WorkAgent[];
}

export type ClientConfig = OfficialAccountClient | MiniProgramClient | WorkClient;

/** A value a refresh function obtained. `expiresIn` is in seconds from now. */
export type RefreshResult =
  | { value: string; expiresIn: number }
  | { values: Array<{ storeKey: string; value: string; expiresIn: number }>; expiresIn: number };

/** What a refresh function is handed. */
export interface RefreshContext {
  client: ClientConfig;
  storeId: string;
  storeKey: string;
  /** The refresher's fetch, limited in concurrency; use it for every upstream call. */
  fetch: typeof globalThis.fetch;
  endpoints: { api: string; work: string };
  /** A fresh value of another key, e.g. the access token a ticket call needs. */
  getToken(storeId: string, storeKey: string): string | undefined;
  /** Reads a value from this client's store (the hub_client path and authorizer refresh tokens). */
  readStore(storeId: string, storeKey: string): Promise<StoreMap | undefined>;
  /** The component's access token, waiting for a refresh in flight (authorizers only). */
  componentAccessToken(componentAppid: string): Promise<string>;
  /** Aborted when the client is removed or the refresher stops. */
  signal: AbortSignal;
  /** Unix seconds on the refresher's clock. */
  nowSec(): number;
}

export interface RefreshOption {
  storeId: string;
  storeKey: string;
  refresh: (ctx: RefreshContext) => Promise<RefreshResult>;
}

/** One of the kind's default keys, by name. */
export interface DefaultKeyRef {
  storeId: string;
  storeKey: string;
  refresh?: undefined;
}

export interface ClientSetting {
  /** Seconds before expiry at which a key is refreshed. @default 1800 (hub_client: 1830) */
  refreshBeforeExpired?: number;
  /** Seconds between attempts after a failure. @default 60 */
  refreshRetryInterval?: number;
  /**
   * The keys to keep fresh. An entry without `refresh` picks the kind's default function for that
   * key, so `clientOptions()` output can be fed back. @default the kind's defaults (API.md)
   */
  refreshOptions?:
    | Array<RefreshOption | DefaultKeyRef>
    | ((client: ClientConfig) => Array<RefreshOption | DefaultKeyRef>);
}

/** The persisted form of a token, portable with the seed's store_map. */
export interface StoreMap {
  value: string;
  /** Unix seconds. */
  expired_time: number;
}

/** `client_options/1`: the resolved settings, both intervals in SECONDS. */
export interface ClientOptions {
  refreshBeforeExpired: number;
  refreshRetryInterval: number;
  refreshOptions: Array<{ storeId: string; storeKey: string }>;
}

/** A minimal structured logger (pino's shape); nothing secret is ever passed to it. */
export interface RefresherLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RefresherOptions {
  /** Clients to manage from the start, each a config or `[config, setting]`. @default [] */
  clients?: Array<ClientConfig | [ClientConfig, ClientSetting]>;
  /** Where tokens persist; keys `<storeId>:<storeKey>`, values StoreMap. @default an in-memory Keyv */
  store?: Keyv;
  /** Register clients without refreshing until startMonitor(). @default false */
  waitForSignal?: boolean;
  /** Time source for every timer and "now". @default the system clock */
  clock?: Clock;
  /** Every WeChat HTTP call goes through it. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** Base URLs of the WeChat hosts. @default https://api.weixin.qq.com and https://qyapi.weixin.qq.com */
  endpoints?: { api?: string; work?: string };
  /** Passed to xstate's createActor, after the secret/token sanitizer. */
  inspect?: unknown;
  /** Upstream calls in flight at once, over all clients. @default 16 */
  maxConcurrentCalls?: number;
  /** Timeout of one upstream call in ms. @default 10000 */
  requestTimeoutMs?: number;
  /** Structured logger. @default silent */
  logger?: RefresherLogger;
  /**
   * Start-up clients whose tokens are all fresh begin without an actor (their machine context and
   * timers only); the actor is created when a key comes due, an event reaches the client, or the
   * dashboard opens it. Halves start-up time and memory at 100,000 clients. Dormant clients are not
   * in `actor.system` until then. `'auto'`: on for start-ups of 1,000 clients or more, unless an
   * inspector is attached. @default 'auto'
   */
  lazyActors?: boolean | 'auto';
}

/** What a failure looks like outside: no secret, no token value. */
export interface FailureInfo {
  code: string;
  kind: 'transient' | 'token_invalid' | 'quota' | 'configuration';
  errcode?: number;
  message: string;
}

/** The typed events of `refresher.on(name, listener)`. No payload carries a secret or token value. */
export interface RefresherEvents {
  refreshed: (e: {
    appid: string;
    storeId: string;
    storeKey: string;
    expiresAtSec: number;
    source: 'fetch' | 'push' | 'restore';
  }) => void;
  refresh_failed: (e: {
    appid: string;
    storeId: string;
    storeKey: string;
    error: FailureInfo;
    failures: number;
    retryInSec: number;
  }) => void;
  state: (e: { appid: string; machine: 'client' | 'component'; state: string }) => void;
  client_added: (e: { appid: string }) => void;
  client_removed: (e: { appid: string }) => void;
  store_error: (e: {
    storeId: string;
    storeKey: string;
    operation: 'read' | 'write';
    message: string;
  }) => void;
  error: (e: { message: string; code?: string }) => void;
}

export type RefresherEventName = keyof RefresherEvents;
