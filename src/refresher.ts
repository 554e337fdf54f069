/**
 * The facade users hold (API.md "Refresher"): each method sends an event to the supervisor and
 * awaits the runtime's answer. Reads (getToken, clients, ...) go straight to the registry and cache.
 */
import { EventEmitter } from 'node:events';
import type { AnyActorRef } from 'xstate';
import { normalizeClientList, resolveRefresherOptions } from './config.js';
import { sanitizeInspector } from './inspect.js';
import { Runtime } from './runtime/index.js';
import { createMemoryStore, TokenStore } from './store/index.js';
import type {
  ClientConfig,
  ClientOptions,
  ClientSetting,
  RefresherEventName,
  RefresherEvents,
  RefresherOptions,
  StoreMap,
  WorkAgent,
} from './types.js';

export interface Refresher {
  /** Resolves once the start-up clients are restored or refreshed (at once with waitForSignal). */
  readonly ready: Promise<void>;
  /** The supervisor actor: send it the events of API.md directly. */
  readonly actor: AnyActorRef;
  add(client: ClientConfig, setting?: ClientSetting): Promise<'ok'>;
  remove(appid: string): Promise<'ok' | 'not_found'>;
  refresh(appid: string): Promise<'ok' | 'not_found'>;
  refresh(appid: string, storeId: string, storeKey: string): Promise<'ok' | 'not_found'>;
  refreshKey(
    appid: string,
    storeId: string,
    storeKey: string,
    value: string,
    expiresAt: number,
  ): Promise<'ok' | 'not_found'>;
  refreshComponent(componentAppid: string, storeKey: string): Promise<'ok' | 'not_found'>;
  appendWorkAgent(appid: string, agent: WorkAgent): Promise<'ok' | 'client_not_in'>;
  putComponentVerifyTicket(componentAppid: string, ticket: string): Promise<'ok'>;
  /** Pauses automatic refresh of a client or component (manual refresh still works). */
  pause(appid: string): Promise<'ok' | 'not_found'>;
  resume(appid: string): Promise<'ok' | 'not_found'>;
  /** Reports a token WeChat refused; it is refreshed unless already replaced. */
  tokenInvalid(storeId: string, storeKey: string, token: string): Promise<'ok' | 'not_found'>;
  startMonitor(): Promise<'ok'>;
  clientOptions(appid: string): ClientOptions | undefined;
  clients(): string[];
  components(): Record<string, { keys: string[]; clients: string[] }>;
  getToken(storeId: string, storeKey: string): string | undefined;
  getStoreMap(storeId: string, storeKey: string): StoreMap | undefined;
  on<E extends RefresherEventName>(event: E, listener: RefresherEvents[E]): () => void;
  stop(): Promise<void>;
  /** @internal the runtime, for the server and dashboard of this package. */
  readonly _runtime: Runtime;
}

/**
 * Creates a refresher: validates every client (throwing a ConfigError naming the client and field),
 * then restores tokens from the store and refreshes what is missing or due.
 *
 * @example
 * ```ts
 * const refresher = createRefresher({ clients: [{ kind: 'official_account', appid, secret }] });
 * await refresher.ready;
 * refresher.getToken(appid, 'access_token');
 * ```
 */
export function createRefresher(options: RefresherOptions = {}): Refresher {
  const resolved = resolveRefresherOptions(options);
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const runtime = new Runtime({
    ...resolved,
    store: new TokenStore(options.store ?? createMemoryStore()),
    hasExplicitStore: options.store !== undefined,
    inspect: sanitizeInspector(resolved.inspect),
    listening: (name) => emitter.listenerCount(name) > 0,
    emit: (name, payload) => {
      // 'error' without a listener would throw in EventEmitter; it is logged already.
      if (name === 'error' && emitter.listenerCount('error') === 0) return;
      try {
        emitter.emit(name, payload);
      } catch (error) {
        // A listener's bug must not stop a machine mid-transition or leave a caller hanging.
        resolved.logger.error({ event: name, err: (error as Error)?.message }, 'event listener threw');
      }
    },
  });
  // Not kept in a variable: the closures below would hold every start-up config for good.
  const ready = runtime.boot(runtime.validateAll(normalizeClientList(options.clients)));
  // Calls made before start-up registered the clients wait for it.
  const booted = ready.catch(() => undefined);
  const after = <T>(fn: () => Promise<T>): Promise<T> => booted.then(fn);

  const refresher: Refresher = {
    ready,
    actor: runtime.supervisor,
    _runtime: runtime,
    add: (client, setting) => after(() => runtime.request<'ok'>({ type: 'ADD', client, setting })),
    remove: (appid) => after(() => runtime.request({ type: 'REMOVE', appid })),
    refresh: ((appid: string, storeId?: string, storeKey?: string) =>
      after(() => runtime.request({ type: 'REFRESH', appid, storeId, storeKey }))) as Refresher['refresh'],
    refreshKey: (appid, storeId, storeKey, value, expiresAt) =>
      after(() => runtime.request({ type: 'REFRESH_KEY', appid, storeId, storeKey, value, expiresAt })),
    refreshComponent: (componentAppid, storeKey) =>
      after(() => runtime.request({ type: 'REFRESH_COMPONENT', componentAppid, storeKey })),
    appendWorkAgent: (appid, agent) =>
      after(() => runtime.request({ type: 'APPEND_WORK_AGENT', appid, agent })),
    putComponentVerifyTicket: (componentAppid, ticket) =>
      after(() => runtime.request<'ok'>({ type: 'PUT_COMPONENT_VERIFY_TICKET', componentAppid, ticket })),
    pause: (appid) => after(() => runtime.request({ type: 'PAUSE', appid })),
    resume: (appid) => after(() => runtime.request({ type: 'RESUME', appid })),
    tokenInvalid: (storeId, storeKey, token) =>
      after(() => runtime.request({ type: 'TOKEN_INVALID', storeId, storeKey, token })),
    startMonitor: () => after(() => runtime.request<'ok'>({ type: 'START_MONITOR' })),
    clientOptions: (appid) => {
      const entry = runtime.clients.get(appid);
      if (!entry) return undefined;
      const shared = entry.componentAppid
        ? [{ storeId: entry.componentAppid, storeKey: 'component_access_token' }]
        : [];
      return {
        refreshBeforeExpired: entry.refreshBeforeExpiredSec,
        refreshRetryInterval: entry.refreshRetryIntervalSec,
        refreshOptions: [
          ...shared,
          ...entry.options.map((o) => ({ storeId: o.storeId, storeKey: o.storeKey })),
        ],
      };
    },
    clients: () => [...runtime.clients.keys()].reverse(),
    components: () => {
      const out: Record<string, { keys: string[]; clients: string[] }> = {};
      for (const id of [...runtime.components.keys()].sort()) {
        const c = runtime.components.get(id)!;
        out[id] = {
          keys: [...new Set(c.options.map((o) => o.storeKey))].sort(),
          clients: [...c.authorizers!].sort(),
        };
      }
      return out;
    },
    getToken: (storeId, storeKey) => runtime.cache.get(storeId, storeKey),
    getStoreMap: (storeId, storeKey) => runtime.cache.getStoreMap(storeId, storeKey),
    on: (event, listener) => {
      emitter.on(event, listener as (...args: unknown[]) => void);
      return () => emitter.off(event, listener as (...args: unknown[]) => void);
    },
    stop: async () => {
      runtime.stop();
      await ready.catch(() => undefined);
    },
  };
  return refresher;
}
