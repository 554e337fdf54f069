/**
 * The runtime behind the supervisor: the registry (Maps, O(1)), and the supervisor's actions.
 * Each control event is carried out here; a facade call is answered through its `requestId`.
 * This file is the one place that knows clients, components and store ids together.
 */
import { type Actor, createActor } from 'xstate';
import { type SupervisorEvent, supervisorMachine } from '../../machines/supervisor.js';
import { type Clock, nowSec } from '../clock.js';
import { checkAgent, type ResolvedClient, type ResolvedRefresherOptions, resolveClient } from '../config.js';
import { ConfigError, type RefresherError, StoppedError } from '../errors.js';
import { agentCacheId, VERIFY_TICKET_TTL_SEC, workAgentOptions } from '../settings.js';
import { TokenCache, type TokenStore } from '../store/index.js';
import type { WorkAgent, WorkClient } from '../types.js';
import { Credentials } from './credentials.js';
import { type CredentialEntry, contextOf, flushSettled, isSettled, whenSettled } from './entry.js';
import { Limiter } from './limiter.js';
import { Registry } from './registry.js';

type Reply = 'ok' | 'not_found' | 'client_not_in';

/** With lazyActors 'auto', start-ups of at least this many clients keep fresh ones dormant. */
export const LAZY_ACTORS_FROM = 1000;

interface Deferred {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export interface RuntimeOptions extends ResolvedRefresherOptions {
  store: TokenStore;
  hasExplicitStore: boolean;
  emit(name: string, payload: object): void;
  /** Whether anyone listens to an event (hot paths skip building its payload). */
  listening(name: string): boolean;
  /** Wraps the inspect option so no secret or token reaches an inspector. */
  inspect: unknown;
}

type Ev<T extends SupervisorEvent['type']> = Extract<SupervisorEvent, { type: T }>;

export class Runtime {
  readonly clock: Clock;
  readonly cache: TokenCache;
  readonly credentials: Credentials;
  readonly supervisor: Actor<typeof supervisorMachine>;
  readonly registry: Registry;
  readonly #replies = new Map<number, Deferred>();
  readonly #opts: RuntimeOptions;
  #nextRequestId = 1;
  /** Resolves once the start-up clients have actors; control work waits for it. */
  readonly #booted: Promise<void>;
  #actorsStarted: () => void = () => {};
  #monitoring: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(opts: RuntimeOptions) {
    this.#opts = opts;
    this.clock = opts.clock;
    this.cache = new TokenCache(opts.clock);
    this.#booted = new Promise((resolve) => {
      this.#actorsStarted = resolve;
    });
    this.registry = new Registry({
      store: opts.store,
      hasExplicitStore: opts.hasExplicitStore,
      emit: opts.emit,
      listening: opts.listening,
      stop: (entry) => this.credentials.stop(entry),
    });
    this.credentials = new Credentials({
      clock: opts.clock,
      cache: this.cache,
      limiter: new Limiter(opts.maxConcurrentCalls),
      logger: opts.logger,
      fetch: opts.fetch,
      endpoints: opts.endpoints,
      requestTimeoutMs: opts.requestTimeoutMs,
      emit: opts.emit,
      listening: opts.listening,
      client: (id) => this.clients.get(id),
      component: (id) => this.components.get(id),
      authorizersOf: (id) =>
        [...(this.components.get(id)?.authorizers ?? [])].flatMap((a) => this.clients.get(a) ?? []),
    });
    const answer =
      <T extends SupervisorEvent['type']>(fn: (e: Ev<T>) => unknown) =>
      ({ event }: { event: SupervisorEvent }) =>
        this.#answer(event, () => fn(event as Ev<T>));
    const logic = supervisorMachine.provide({
      actions: {
        addClient: ({ event }, p) => this.#answer(event, () => this.#add(event as Ev<'ADD'>, p.monitor)),
        appendWorkAgent: ({ event }, p) =>
          this.#answer(event, () => this.#appendWorkAgent(event as Ev<'APPEND_WORK_AGENT'>, p.monitor)),
        startMonitor: ({ event }) => this.#answer(event, () => this.#startMonitor()),
        acknowledge: ({ event }) => this.#answer(event, () => this.#monitoring.then(() => 'ok')),
        removeClient: answer<'REMOVE'>((e) => this.#remove(e.appid)),
        refreshClient: answer<'REFRESH'>((e) => this.#refresh(e)),
        refreshKey: answer<'REFRESH_KEY'>((e) => this.#refreshKey(e)),
        refreshComponent: answer<'REFRESH_COMPONENT'>((e) =>
          this.#refreshComponent(e.componentAppid, e.storeKey),
        ),
        putVerifyTicket: answer<'PUT_COMPONENT_VERIFY_TICKET'>((e) => this.#putVerifyTicket(e)),
        pauseClient: answer<'PAUSE'>((e) => this.#control(e.appid, { type: 'PAUSE' })),
        resumeClient: answer<'RESUME'>((e) =>
          this.#control(e.appid, { type: 'RESUME', nowMs: this.clock.now() }),
        ),
        tokenInvalid: answer<'TOKEN_INVALID'>((e) => this.#tokenInvalid(e)),
      },
    });
    this.supervisor = createActor(logic, {
      clock: opts.clock,
      systemId: 'supervisor',
      input: { waitForSignal: opts.waitForSignal },
      inspect: opts.inspect as never,
    });
  }

  /** Clients in the order added (clients() reverses it). */
  get clients(): Map<string, CredentialEntry> {
    return this.registry.clients;
  }

  get components(): Map<string, CredentialEntry> {
    return this.registry.components;
  }

  /** Validates start-up clients together (so createRefresher throws before anything runs). */
  validateAll(pairs: Array<{ client: unknown; setting: unknown }>): ResolvedClient[] {
    return this.registry.validateAll(pairs);
  }

  /** Sends an event and resolves with the runtime's answer to it. */
  request<T = Reply>(event: SupervisorEvent): Promise<T> {
    if (this.#stopped) return Promise.reject(new StoppedError());
    const requestId = this.#nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      this.#replies.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      this.supervisor.send({ ...event, requestId });
    });
  }

  /** Runs an action's work and routes its result (or error) to the waiting caller, if any. */
  #answer(event: SupervisorEvent, work: () => unknown): void {
    const deferred = event.requestId === undefined ? undefined : this.#replies.get(event.requestId);
    if (event.requestId !== undefined) this.#replies.delete(event.requestId);
    const fail = (error: unknown) => {
      if (deferred) return deferred.reject(error);
      // An event sent by hand has nobody to answer: report it rather than crash (seed Q11).
      const message = error instanceof Error ? error.message : String(error);
      this.#opts.logger.error({ event: event.type, err: message }, 'control event failed');
      this.#opts.emit('error', { message, code: (error as RefresherError)?.code });
    };
    // Run after the supervisor's transition, not inside it: creating or signalling client actors
    // from within a custom action makes xstate treat their own assigns as misuse (DESIGN.md).
    // Events sent by hand during start-up wait until the start-up clients have actors.
    this.#booted.then(() => {
      if (this.#stopped) return fail(new StoppedError());
      try {
        Promise.resolve(work()).then((v) => deferred?.resolve(v), fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  /** Registers the start-up clients (validated already) and, unless waiting, restores and starts them. */
  async boot(resolved: ResolvedClient[]): Promise<void> {
    this.supervisor.start();
    const entries = resolved.map((r) => this.registry.register(r));
    if (this.#opts.waitForSignal) {
      for (const entry of [...this.components.values(), ...entries])
        this.#startActor(entry, { waiting: true });
      this.#actorsStarted();
      return;
    }
    this.#monitoring = this.#monitor(entries, true);
    await this.#monitoring;
  }

  /** Restores entries in bulk, then starts each directly in its resting state (no START round trip). */
  async #monitor(entries: CredentialEntry[], fresh: boolean): Promise<void> {
    const components = [
      ...new Set(entries.flatMap((e) => (e.componentAppid ? [this.components.get(e.componentAppid)!] : []))),
    ];
    const all = [...components.filter((c) => c.state === 'waiting' || fresh), ...entries];
    for (const entry of all) entry.restoring = true;
    const lazy = fresh && this.#lazyActors(all.length);
    let restored: Map<CredentialEntry, number[]> | undefined;
    try {
      restored = await this.credentials.restore(all);
    } finally {
      // Whatever happened, nobody may wait on a restore that is over.
      const nowMs = this.clock.now();
      for (const entry of all) {
        entry.restoring = false;
        if (entry.removed) continue;
        const expiries = restored?.get(entry) ?? [];
        if (fresh && entry.state === 'booting') {
          this.#startActor(entry, { waiting: false, restored: expiries, nowMs }, lazy);
        } else {
          entry.actor.send({ type: 'START', restored: expiries, nowMs });
        }
        flushSettled(entry);
      }
      this.#actorsStarted();
    }
    await Promise.all(all.filter((e) => !isSettled(e)).map(whenSettled));
  }

  #startActor(
    entry: CredentialEntry,
    input: { waiting: boolean; restored?: number[]; nowMs?: number },
    lazy = false,
  ): void {
    this.credentials.start(
      entry,
      this.supervisor,
      {
        waiting: input.waiting,
        restored: input.restored,
        nowMs: input.nowMs ?? this.clock.now(),
        refreshBeforeExpiredSec: entry.refreshBeforeExpiredSec,
        refreshRetryIntervalSec: entry.refreshRetryIntervalSec,
      },
      lazy,
    );
  }

  /** Whether start-up clients with fresh tokens begin without an actor (see RefresherOptions.lazyActors). */
  #lazyActors(count: number): boolean {
    const { lazyActors } = this.#opts;
    if (lazyActors !== 'auto') return lazyActors;
    // Below this, every machine live costs little and an inspector sees them all from the start.
    return count >= LAZY_ACTORS_FROM && this.#opts.inspect === undefined;
  }

  async #startMonitor(): Promise<'ok'> {
    // Selected on the machine's own flag: a client in a manual refresh or paused is not 'waiting'.
    const waiting = [...this.clients.values()].filter((e) => contextOf(e)?.monitoring === false);
    this.#monitoring = this.#monitor(waiting, false);
    await this.#monitoring;
    return 'ok';
  }

  async #add(event: Ev<'ADD'>, monitor: boolean): Promise<'ok'> {
    // Validate everything before touching the running client: a bad add disturbs nothing.
    const r = resolveClient(event.client, event.setting, this.#opts.hasExplicitStore);
    const existing = this.clients.get(r.config.appid);
    this.registry.checkStoreIds(r.config.appid, r.options, existing);
    this.registry.checkComponent(r);
    if (existing) {
      // The component stays only if the new config still uses it (it is re-joined below).
      const componentAppid = r.config.kind !== 'work' ? r.config.component?.appid : undefined;
      this.registry.unregister(existing, { keepComponent: componentAppid === existing.componentAppid });
    }
    const entry = this.registry.register(r);
    // Created waiting, then STARTed with what the store holds: one client is no scale concern.
    this.#startActor(entry, { waiting: true });
    const component = entry.componentAppid ? this.components.get(entry.componentAppid) : undefined;
    if (component && component.state === 'booting') this.#startActor(component, { waiting: true });
    if (!monitor) return 'ok';
    await this.#monitor([entry], false);
    return 'ok';
  }

  #remove(appid: string): 'ok' | 'not_found' {
    const entry = this.clients.get(appid);
    if (!entry) return 'not_found';
    this.registry.unregister(entry, { keepComponent: false });
    return 'ok';
  }

  async #refresh(e: Ev<'REFRESH'>): Promise<'ok' | 'not_found'> {
    const entry = this.clients.get(e.appid);
    if (!entry) return 'not_found';
    if (e.storeId !== undefined || e.storeKey !== undefined) {
      const own = entry.options.some((o) => o.storeId === e.storeId && o.storeKey === e.storeKey);
      if (!own) {
        // The shared component key is listed for its authorizers: route it to the component.
        if (entry.componentAppid === e.storeId && e.storeKey === 'component_access_token') {
          return this.#refreshComponent(e.storeId as string, e.storeKey);
        }
        return 'not_found';
      }
    }
    entry.actor.send({ type: 'REFRESH', storeId: e.storeId, storeKey: e.storeKey });
    await whenSettled(entry);
    return 'ok';
  }

  async #refreshComponent(componentAppid: string, storeKey: string): Promise<'ok' | 'not_found'> {
    const component = this.components.get(componentAppid);
    if (!component?.options.some((o) => o.storeKey === storeKey)) return 'not_found';
    component.actor.send({ type: 'REFRESH', storeId: componentAppid, storeKey });
    await whenSettled(component);
    return 'ok';
  }

  async #refreshKey(e: Ev<'REFRESH_KEY'>): Promise<'ok' | 'not_found'> {
    const entry = this.clients.get(e.appid);
    if (!entry) return 'not_found';
    if (typeof e.value !== 'string' || e.value === '')
      throw new ConfigError(e.appid, 'value', 'must be a non-empty string');
    if (typeof e.expiresAt !== 'number' || !Number.isFinite(e.expiresAt)) {
      throw new ConfigError(e.appid, 'expiresAt', 'must be a unix time in seconds');
    }
    if (e.expiresAt <= nowSec(this.clock)) throw new ConfigError(e.appid, 'expiresAt', 'is already past');
    if (!entry.options.some((o) => o.storeId === e.storeId)) return 'not_found';
    await this.credentials.put(entry, e.storeId, e.storeKey, { value: e.value, expired_time: e.expiresAt });
    if (entry.removed) return 'ok';
    this.#opts.emit('refreshed', {
      appid: e.appid,
      storeId: e.storeId,
      storeKey: e.storeKey,
      expiresAtSec: e.expiresAt,
      source: 'push',
    });
    const keyIndex = entry.options.findIndex((o) => o.storeId === e.storeId && o.storeKey === e.storeKey);
    if (keyIndex >= 0) this.credentials.pushed(entry, keyIndex, e.expiresAt);
    // A pushed refresh token is what a stuck authorizer waits for.
    else if (e.storeKey === 'authorizer_refresh_token') entry.actor.send({ type: 'DEPENDENCY_READY' });
    return 'ok';
  }

  async #putVerifyTicket(e: Ev<'PUT_COMPONENT_VERIFY_TICKET'>): Promise<'ok'> {
    if (typeof e.componentAppid !== 'string' || e.componentAppid === '') {
      throw new ConfigError(undefined, 'componentAppid', 'must be a non-empty string');
    }
    if (typeof e.ticket !== 'string' || e.ticket === '')
      throw new ConfigError(e.componentAppid, 'ticket', 'must be a non-empty string');
    const map = { value: e.ticket, expired_time: nowSec(this.clock) + VERIFY_TICKET_TTL_SEC };
    const component = this.components.get(e.componentAppid);
    const holder =
      component ??
      this.registry.newEntry({
        id: e.componentAppid,
        machine: 'component',
        owner: `component:${e.componentAppid}`,
        config: undefined as never,
        role: 'client',
        refreshBeforeExpiredSec: 0,
        refreshRetryIntervalSec: 0,
        options: [],
        store: this.#opts.store,
      });
    await this.credentials.put(holder, e.componentAppid, 'component_verify_ticket', map);
    if (component && !component.removed) component.actor.send({ type: 'DEPENDENCY_READY' });
    return 'ok';
  }

  async #appendWorkAgent(e: Ev<'APPEND_WORK_AGENT'>, monitor: boolean): Promise<'ok' | 'client_not_in'> {
    const entry = this.clients.get(e.appid);
    if (entry?.config.kind !== 'work') return 'client_not_in';
    const config = entry.config as WorkClient;
    const agent = e.agent as WorkAgent;
    const existing = config.agents.findIndex((a) => String(a.id) === String((agent as WorkAgent | null)?.id));
    const taken = new Set(
      config.agents.filter((_, i) => i !== existing).map((a) => agentCacheId(config.appid, a)),
    );
    checkAgent(config.appid, agent, entry.role !== 'hub_client', 'agent', taken);
    const agents = [...config.agents];
    if (existing >= 0) agents[existing] = agent;
    else agents.push(agent);
    // Only keys not held yet are added: appending the same agent twice adds nothing (seed Q8 fixed).
    const known = new Set(entry.options.map((o) => `${o.storeId}\u0000${o.storeKey}`));
    const added = workAgentOptions(config.appid, agent).filter(
      (o) => !known.has(`${o.storeId}\u0000${o.storeKey}`),
    );
    this.registry.checkStoreIds(config.appid, added, entry);
    entry.config = { ...config, agents };
    if (added.length === 0) return 'ok';
    entry.options = [...entry.options, ...added];
    this.registry.claim(entry, added);
    const keys = added.map((o) => ({ storeId: o.storeId, storeKey: o.storeKey }));
    if (!monitor || entry.state === 'waiting') {
      entry.actor.send({ type: 'APPEND_KEYS', keys, restored: [], nowMs: this.clock.now() });
      return 'ok';
    }
    const probe = { ...entry, options: added } as CredentialEntry;
    const restored = (await this.credentials.restore([probe])).get(probe) ?? [];
    if (entry.removed) return 'ok';
    entry.actor.send({ type: 'APPEND_KEYS', keys, restored, nowMs: this.clock.now() });
    await whenSettled(entry);
    return 'ok';
  }

  #control(appid: string, event: { type: 'PAUSE' } | { type: 'RESUME'; nowMs: number }): 'ok' | 'not_found' {
    const entry = this.clients.get(appid) ?? this.components.get(appid);
    if (!entry) return 'not_found';
    entry.actor.send(event);
    return 'ok';
  }

  /** A caller says WeChat refused this token: refresh it, unless it is already not the current one. */
  async #tokenInvalid(e: Ev<'TOKEN_INVALID'>): Promise<'ok' | 'not_found'> {
    const entry = this.registry.ownerOf(e.storeId);
    const keyIndex = entry
      ? entry.options.findIndex((o) => o.storeId === e.storeId && o.storeKey === e.storeKey)
      : -1;
    if (!entry || keyIndex < 0) return 'not_found';
    // Compare-and-refresh: a report about a token we already replaced costs no quota.
    if (this.cache.get(e.storeId, e.storeKey) === e.token) {
      entry.actor.send({ type: 'TOKEN_INVALID', keyIndex });
      await whenSettled(entry);
    }
    return 'ok';
  }

  /** Stops timers, actors and in-flight refreshes; pending calls reject with StoppedError. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#actorsStarted();
    this.credentials.stopAll([...this.clients.values(), ...this.components.values()]);
    this.supervisor.stop();
    for (const d of this.#replies.values()) d.reject(new StoppedError());
    this.#replies.clear();
  }

  get stopped(): boolean {
    return this.#stopped;
  }
}
