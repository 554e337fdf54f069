/**
 * Credential actors: creating, restoring, starting and stopping the client and component machines,
 * and running their refreshes. The machines decide; this file performs what they ask
 * (`startRefresh`, `schedule`, `notifyState`) and answers with events.
 */
import { type AnyActorRef, createActor } from 'xstate';
import {
  type ClientContext,
  type ClientInput,
  type ClientStateName,
  clientMachine,
  type KeyRef,
  planStart,
} from '../../machines/client.js';
import { componentMachine } from '../../machines/component.js';
import { resolveDueMs } from '../../machines/timing.js';
import { type Clock, nowSec } from '../clock.js';
import { DependencyError, StoreError } from '../errors.js';
import type { TokenCache, TokenStore } from '../store/index.js';
import type { RefreshContext, RefresherLogger, StoreMap } from '../types.js';
import { abortSignalOf, type CredentialEntry, flushSettled, whenSettled } from './entry.js';
import type { Limiter } from './limiter.js';
import { nextQuotaResetSec, summarize, valuesOf } from './refresh-outcome.js';
import { Scheduler } from './scheduler.js';

export interface CredentialHost {
  clock: Clock;
  cache: TokenCache;
  limiter: Limiter;
  logger: RefresherLogger;
  fetch: typeof globalThis.fetch;
  endpoints: { api: string; work: string };
  requestTimeoutMs: number;
  /** Typed event emission (refreshed, refresh_failed, state, store_error). */
  emit(name: string, payload: object): void;
  /** Whether anyone listens to an event; hot paths skip building payloads nobody reads. */
  listening(name: string): boolean;
  /** The client entry of an appid, if any. */
  client(appid: string): CredentialEntry | undefined;
  /** The component entry of an authorizer, if any. */
  component(componentAppid: string): CredentialEntry | undefined;
  /** The entries using a component, to wake them when its token changes. */
  authorizersOf(componentAppid: string): CredentialEntry[];
}

/** Keys read from the store per round trip at start-up. */
const RESTORE_BATCH = 2048;

/** Runs credential actors for one refresher. */
export class Credentials {
  readonly scheduler: Scheduler<CredentialEntry>;
  readonly #host: CredentialHost;
  readonly #clientLogic;
  readonly #componentLogic;
  readonly #fetch: typeof globalThis.fetch;

  constructor(host: CredentialHost) {
    this.#host = host;
    this.scheduler = new Scheduler<CredentialEntry>(host.clock, (entry, keyIndex) => {
      entry.timers[keyIndex] = undefined;
      if (!entry.removed) entry.actor.send({ type: 'DUE', keyIndex });
    });
    // The entry of an actor is found by its id in the registry (no Map per actor); an actor that
    // is no longer the registered one (removed, replaced) gets nothing done.
    this.#clientLogic = clientMachine.provide({ actions: this.#actions((id) => host.client(id)) });
    this.#componentLogic = componentMachine.provide({ actions: this.#actions((id) => host.component(id)) });
    // Every upstream call waits for a slot, then gets the request timeout on the injected clock
    // (one clock: a SimulatedClock times out a hung call when advanced).
    this.#fetch = (input, init) =>
      host.limiter.run(async () => {
        const timeout = new AbortController();
        const timer = host.clock.setTimeout(
          () =>
            timeout.abort(new DOMException(`timed out after ${host.requestTimeoutMs} ms`, 'TimeoutError')),
          host.requestTimeoutMs,
        );
        const signal = init?.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
        try {
          return await host.fetch(input, { ...init, signal });
        } finally {
          host.clock.clearTimeout(timer);
        }
      });
  }

  /** The effects the credential machine asks for. */
  #actions(find: (id: string) => CredentialEntry | undefined) {
    const host = this.#host;
    type Args = { self: AnyActorRef; context: { id: string } };
    const entryOf = ({ self, context }: Args) => {
      const entry = find(context.id);
      return entry?._actor === self && !entry.removed ? entry : undefined;
    };
    return {
      startRefresh: (args: Args, p: { keyIndex: number }) => {
        const entry = entryOf(args);
        if (entry) void this.#runRefresh(entry, p.keyIndex);
      },
      schedule: (args: Args, p: { keyIndex: number; atSec: number; minDelaySec: number }) => {
        const entry = entryOf(args);
        if (!entry) return;
        this.scheduler.cancel(entry.timers[p.keyIndex]);
        entry.timers[p.keyIndex] = this.scheduler.schedule(
          entry,
          resolveDueMs(p, host.clock.now()),
          p.keyIndex,
        );
      },
      unschedule: (args: Args, p: { keyIndex: number }) => {
        const entry = entryOf(args);
        if (!entry) return;
        this.scheduler.cancel(entry.timers[p.keyIndex]);
        entry.timers[p.keyIndex] = undefined;
      },
      unscheduleAll: (args: Args) => {
        const entry = entryOf(args);
        if (entry) this.#unscheduleAll(entry);
      },
      notifyState: (args: Args, p: { state: ClientStateName }) => {
        const entry = find(args.context.id);
        if (entry?._actor !== args.self) return;
        const changed = entry.state !== p.state;
        entry.state = p.state;
        flushSettled(entry);
        if (changed && host.listening('state')) {
          host.emit('state', { appid: entry.id, machine: entry.machine, state: p.state });
        }
      },
    };
  }

  /** Creates and starts the actor of an entry whose other fields are set. */
  start(
    entry: CredentialEntry,
    parent: AnyActorRef,
    input: Omit<ClientInput, 'keys' | 'id'>,
    lazy = false,
  ): void {
    // The options serve as the key list: they carry storeId and storeKey (no copy per client).
    const full: ClientInput = {
      ...input,
      id: entry.id,
      keys: entry.options as readonly KeyRef[] as KeyRef[],
    };
    const plan = input.waiting ? undefined : planStart(full);
    if (plan && plan.context.queue.length === 0 && !plan.context.keys.some((k) => k.expiresAtSec === 0)) {
      // Every key fresh: start straight in idle with the machine's own plan (DESIGN.md: start each
      // client in its resting state from restored data), then arm the timers it asks for. A lazy
      // start keeps only that context; the actor is made when the client is first needed.
      entry.parent = parent;
      if (lazy) {
        entry.dormant = plan.context;
        entry.wake = this.#wake;
      } else {
        this.#materialize(entry, plan.context);
      }
      entry.state = 'idle';
      if (this.#host.listening('state'))
        this.#host.emit('state', { appid: entry.id, machine: entry.machine, state: 'idle' });
      for (const s of plan.schedules) {
        entry.timers[s.keyIndex] = this.scheduler.schedule(
          entry,
          resolveDueMs(s, this.#host.clock.now()),
          s.keyIndex,
        );
      }
      return;
    }
    const logic = entry.machine === 'client' ? this.#clientLogic : this.#componentLogic;
    const systemId = `${entry.machine}:${entry.id}`;
    entry.actor = createActor(logic, {
      parent,
      systemId,
      id: systemId,
      input: full,
    }) as CredentialEntry['actor'];
    entry.actor.start();
  }

  /** Creates the actor of a dormant entry, in `idle` with its context (its timers are armed already). */
  #wake = (entry: CredentialEntry): void => {
    const context = entry.dormant;
    if (context === undefined || entry.removed) return;
    entry.dormant = undefined;
    this.#materialize(entry, context);
  };

  #materialize(entry: CredentialEntry, context: ClientContext): void {
    const logic = entry.machine === 'client' ? this.#clientLogic : this.#componentLogic;
    const systemId = `${entry.machine}:${entry.id}`;
    const snapshot = logic.resolveState({ value: 'idle', context });
    // A snapshot needs no input; passing one would keep it for the actor's life.
    const noInput = undefined as unknown as ClientInput;
    entry.actor = createActor(logic, {
      parent: entry.parent,
      systemId,
      id: systemId,
      snapshot,
      input: noInput,
    }) as CredentialEntry['actor'];
    entry.actor.start();
    // xstate keeps its options for the actor's life but reads `snapshot` only when constructing:
    // dropping it saves ~0.5 KB per client (measured by scripts/bench).
    (entry.actor as unknown as { options: { snapshot?: unknown } }).options.snapshot = undefined;
  }

  /** Stops an entry's actor, its timers and its in-flight refresh; drops its cached tokens. */
  stop(entry: CredentialEntry): void {
    this.#unscheduleAll(entry);
    // STOP reaches the final state, which stops the actor and frees its system id (a child
    // cannot be stopped directly).
    entry._actor?.send({ type: 'STOP' });
    entry.dormant = undefined;
    entry.removed = true;
    entry.abort?.abort();
    const storeIds = new Set(entry.options.map((o) => o.storeId));
    for (const storeId of storeIds) {
      for (const storeKey of this.#host.cache.keysOf(storeId, entry.owner)) {
        this.#host.cache.delete(storeId, storeKey, entry.owner);
      }
    }
    flushSettled(entry);
  }

  /**
   * Expiry (unix s, 0 = none) of each key, from the in-process cache or the store, whichever is
   * later; a valid stored value is loaded into the cache, so restarts spend no quota.
   */
  async restore(entries: CredentialEntry[]): Promise<Map<CredentialEntry, number[]>> {
    const byStore = new Map<TokenStore | null, Array<{ entry: CredentialEntry; keyIndex: number }>>();
    for (const entry of entries) {
      const refs = byStore.get(entry.store) ?? [];
      for (let keyIndex = 0; keyIndex < entry.options.length; keyIndex++) refs.push({ entry, keyIndex });
      byStore.set(entry.store, refs);
    }
    const result = new Map<CredentialEntry, number[]>();
    for (const entry of entries) result.set(entry, new Array(entry.options.length).fill(0));
    const now = nowSec(this.#host.clock);
    for (const [store, refs] of byStore) {
      const maps = store ? await this.#readMany(store, refs) : [];
      refs.forEach(({ entry, keyIndex }, i) => {
        // Removed while the store was read: nothing of it may come back into the cache.
        if (entry.removed) return;
        const { storeId, storeKey } = entry.options[keyIndex];
        const cached = this.#host.cache.expiresAtSec(storeId, storeKey);
        const stored = maps[i];
        if (stored && stored.expired_time > now && stored.expired_time > cached) {
          this.#host.cache.set(storeId, storeKey, stored, entry.owner);
          if (this.#host.listening('refreshed'))
            this.#host.emit('refreshed', {
              appid: entry.id,
              storeId,
              storeKey,
              expiresAtSec: stored.expired_time,
              source: 'restore',
            });
        }
        result.get(entry)![keyIndex] = Math.max(
          cached,
          stored && stored.expired_time > now ? stored.expired_time : 0,
        );
      });
    }
    return result;
  }

  async #readMany(store: TokenStore, refs: Array<{ entry: CredentialEntry; keyIndex: number }>) {
    try {
      const keys = refs.map(({ entry, keyIndex }) => entry.options[keyIndex]);
      // Batches keep the promises keyv makes per key short-lived: one read of 100,000 keys at once
      // promotes them all to the old generation (measured by scripts/bench).
      const maps: Array<StoreMap | undefined> = [];
      for (let i = 0; i < keys.length; i += RESTORE_BATCH) {
        maps.push(...(await store.readMany(keys.slice(i, i + RESTORE_BATCH))));
      }
      return maps;
    } catch (error) {
      // Unreadable store: refetch rather than serve nothing; say so.
      this.#storeError(error, '*', '*', 'read');
      return [];
    }
  }

  /** Writes a value to the cache and the entry's store; a store failure is reported, not fatal. */
  async put(entry: CredentialEntry, storeId: string, storeKey: string, map: StoreMap): Promise<void> {
    this.#host.cache.set(storeId, storeKey, map, entry.owner);
    // A hub_client never writes: the hub owns the store (seed §5.4).
    if (!entry.store || entry.role === 'hub_client') return;
    try {
      await entry.store.write(storeId, storeKey, map, this.#host.clock.now());
    } catch (error) {
      this.#storeError(error, storeId, storeKey, 'write');
    }
  }

  #storeError(error: unknown, storeId: string, storeKey: string, operation: 'read' | 'write'): void {
    const message = error instanceof StoreError ? error.message : `store ${operation} failed`;
    this.#host.logger.error({ storeId, storeKey, operation, err: (error as Error)?.message }, message);
    this.#host.emit('store_error', { storeId, storeKey, operation, message });
  }

  #unscheduleAll(entry: CredentialEntry): void {
    if (entry.timers.length === 0) return;
    for (const timer of entry.timers) this.scheduler.cancel(timer);
    entry.timers = [];
  }

  /** The context a refresh function gets. */
  #context(entry: CredentialEntry, storeId: string, storeKey: string): RefreshContext {
    const host = this.#host;
    return {
      client: entry.config,
      storeId,
      storeKey,
      fetch: this.#fetch,
      endpoints: host.endpoints,
      getToken: (id, key) => host.cache.get(id, key),
      readStore: async (id, key) => (entry.store ? entry.store.read(id, key) : undefined),
      componentAccessToken: (componentAppid) => this.componentAccessToken(componentAppid),
      signal: abortSignalOf(entry),
      nowSec: () => nowSec(host.clock),
    };
  }

  /** The component's token, waiting out a refresh in flight. */
  async componentAccessToken(componentAppid: string): Promise<string> {
    const component = this.#host.component(componentAppid);
    if (component) await whenSettled(component);
    const token = this.#host.cache.get(componentAppid, 'component_access_token');
    if (token === undefined) {
      throw new DependencyError(`component '${componentAppid}' has no valid component_access_token`);
    }
    return token;
  }

  async #runRefresh(entry: CredentialEntry, keyIndex: number): Promise<void> {
    const option = entry.options[keyIndex];
    const host = this.#host;
    try {
      const result = await option.refresh(this.#context(entry, option.storeId, option.storeKey));
      if (entry.removed) return;
      const { values, expiresIn } = valuesOf(result, option.storeKey);
      const nowMs = host.clock.now();
      const now = Math.floor(nowMs / 1000);
      await Promise.all(
        values.map((v) =>
          this.put(entry, option.storeId, v.storeKey, { value: v.value, expired_time: now + v.expiresIn }),
        ),
      );
      if (entry.removed) return;
      entry.stats.refreshes++;
      entry.stats.lastRefreshAtMs = host.clock.now();
      // The store keeps whole seconds (seed format); the timer is planned from the exact instant.
      const expiresAtSec = nowMs / 1000 + expiresIn;
      host.logger.info(
        { appid: entry.id, storeId: option.storeId, storeKey: option.storeKey, expiresIn },
        'refreshed',
      );
      entry.actor.send({ type: 'REFRESH_DONE', keyIndex, expiresAtSec });
      for (const v of values) {
        host.emit('refreshed', {
          appid: entry.id,
          storeId: option.storeId,
          storeKey: v.storeKey,
          expiresAtSec: now + v.expiresIn,
          source: 'fetch',
        });
      }
      if (entry.machine === 'component') this.#wakeAuthorizers(entry.id);
    } catch (error) {
      if (entry.removed) return;
      this.#fail(entry, keyIndex, error);
    }
  }

  #fail(entry: CredentialEntry, keyIndex: number, error: unknown): void {
    const host = this.#host;
    const option = entry.options[keyIndex];
    const summary = summarize(error);
    const retryAtSec = summary.kind === 'quota' ? nextQuotaResetSec(host.clock.now()) : undefined;
    entry.stats.failures++;
    entry.stats.lastError = { ...summary, storeKey: option.storeKey, atMs: host.clock.now() };
    entry.actor.send({ type: 'REFRESH_FAILED', keyIndex, error: summary, retryAtSec });
    // An authorizer refused for a dead component token: have the component refresh; it wakes us.
    const component = entry.componentAppid ? host.component(entry.componentAppid) : undefined;
    const failures = entry.actor.getSnapshot().context.keys[keyIndex]?.failures ?? 0;
    if (component && summary.kind === 'token_invalid' && failures === 1) {
      component.actor.send({ type: 'REFRESH' });
    }
    const timer = entry.timers[keyIndex];
    const retryInSec = timer && timer.index >= 0 ? Math.round((timer.dueMs - host.clock.now()) / 1000) : 0;
    host.logger.warn(
      { appid: entry.id, storeId: option.storeId, storeKey: option.storeKey, err: summary, retryInSec },
      'refresh failed',
    );
    host.emit('refresh_failed', {
      appid: entry.id,
      storeId: option.storeId,
      storeKey: option.storeKey,
      error: summary,
      failures,
      retryInSec,
    });
  }

  /** A component token changed: authorizers waiting on it try again now. */
  #wakeAuthorizers(componentAppid: string): void {
    for (const authorizer of this.#host.authorizersOf(componentAppid)) {
      if (!authorizer.removed) authorizer.actor.send({ type: 'DEPENDENCY_READY' });
    }
  }

  /** Tells an entry's machine a key was pushed (refreshKey): it counts as a successful refresh. */
  pushed(entry: CredentialEntry, keyIndex: number, expiresAtSec: number): void {
    entry.actor.send({ type: 'KEY_PUSHED', keyIndex, expiresAtSec });
    if (entry.machine === 'component') this.#wakeAuthorizers(entry.id);
  }

  /** Stops everything: timers first, so nothing fires while actors stop. */
  stopAll(entries: Iterable<CredentialEntry>): void {
    this.scheduler.clear();
    for (const entry of entries) {
      entry.timers = [];
      entry._actor?.send({ type: 'STOP' });
      entry.dormant = undefined;
      entry.removed = true;
      entry.abort?.abort();
      flushSettled(entry);
    }
  }
}
