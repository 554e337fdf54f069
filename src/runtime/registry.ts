/**
 * The registry: clients and components by id (Maps, O(1)), and which entry owns each store id, so
 * no two clients can write one key (pain point 7; seed Q10 fixed). It validates before it changes
 * anything, creates entries, and takes them apart on removal.
 */

import type { ResolvedClient } from '../config.js';
import { resolveClient } from '../config.js';
import { ConfigError } from '../errors.js';
import { componentTokenOption } from '../settings.js';
import { TokenStore } from '../store/index.js';
import type { ClientConfig, RefreshOption } from '../types.js';
import { type CredentialEntry, createEntry } from './entry.js';

export interface RegistryHost {
  /** The refresher's store, used by clients that do not bring their own. */
  store: TokenStore;
  /** Whether the refresher was given a store (a hub_client needs one to read). */
  hasExplicitStore: boolean;
  emit(name: string, payload: object): void;
  listening(name: string): boolean;
  /** Stops an entry's actor, timers and in-flight work. */
  stop(entry: CredentialEntry): void;
}

export class Registry {
  /** Clients in the order added (clients() reverses it). */
  readonly clients = new Map<string, CredentialEntry>();
  readonly components = new Map<string, CredentialEntry>();
  readonly #storeIdOwners = new Map<string, CredentialEntry>();
  readonly #host: RegistryHost;

  constructor(host: RegistryHost) {
    this.#host = host;
  }

  /** The entry that owns a store id (a client, or a component for its token). */
  ownerOf(storeId: string): CredentialEntry | undefined {
    return this.#storeIdOwners.get(storeId);
  }

  /** Records new keys of an entry (appendWorkAgent). */
  claim(entry: CredentialEntry, options: RefreshOption[]): void {
    for (const o of options) this.#storeIdOwners.set(o.storeId, entry);
  }

  /** Claims a store id for an entry; another entry's store id is a collision (pain point 7). */
  checkStoreIds(appid: string, options: RefreshOption[], replacing?: CredentialEntry): void {
    for (const o of options) {
      const owner = this.#storeIdOwners.get(o.storeId);
      if (owner && owner !== replacing && !owner.removed) {
        throw new ConfigError(
          appid,
          'storeId',
          `'${o.storeId}' is already used by ${owner.machine} '${owner.id}'`,
        );
      }
    }
  }

  /** Creates the registry entry of a validated client (and its component), without starting it. */
  register(r: ResolvedClient): CredentialEntry {
    const { config } = r;
    const componentAppid = config.kind !== 'work' ? config.component?.appid : undefined;
    const entry = this.newEntry({
      id: config.appid,
      machine: 'client',
      owner: config.appid,
      config,
      role: r.role,
      refreshBeforeExpiredSec: r.refreshBeforeExpiredSec,
      refreshRetryIntervalSec: r.refreshRetryIntervalSec,
      options: r.options,
      store: this.storeOf(config),
      componentAppid,
    });
    this.clients.set(config.appid, entry);
    for (const o of r.options) this.#storeIdOwners.set(o.storeId, entry);
    if (componentAppid) this.#joinComponent(entry, r);
    if (this.#host.listening('client_added')) this.#host.emit('client_added', { appid: config.appid });
    return entry;
  }

  storeOf(config: ClientConfig): TokenStore | null {
    if (config.store === null) return null;
    return config.store ? new TokenStore(config.store) : this.#host.store;
  }

  newEntry(fields: Parameters<typeof createEntry>[0]): CredentialEntry {
    return createEntry(fields);
  }

  /** Adds an authorizer to its component, creating the component entry on first use. */
  #joinComponent(entry: CredentialEntry, r: ResolvedClient): void {
    const ref = (r.config as { component: { appid: string; secret?: string } }).component;
    let component = this.components.get(ref.appid);
    if (!component) {
      component = this.newEntry({
        id: ref.appid,
        machine: 'component',
        owner: `component:${ref.appid}`,
        config: r.config,
        role: r.role,
        refreshBeforeExpiredSec: r.refreshBeforeExpiredSec,
        refreshRetryIntervalSec: r.refreshRetryIntervalSec,
        options: [],
        store: entry.store,
        authorizers: new Set(),
        componentSecret: ref.secret,
      });
      const c = component;
      component.options = [componentTokenOption(ref.appid, () => c.componentSecret, r.role === 'hub_client')];
      this.components.set(ref.appid, component);
      this.#storeIdOwners.set(ref.appid, component);
    }
    component.componentSecret ??= ref.secret;
    component.authorizers!.add(entry.id);
  }

  /** Validates the component secret across authorizers before anything is registered. */
  checkComponent(r: ResolvedClient): void {
    if (r.config.kind === 'work' || !r.config.component) return;
    const { appid, secret } = r.config.component;
    const existing = this.components.get(appid);
    const known = existing?.componentSecret;
    if (known !== undefined && secret !== undefined && secret !== known) {
      throw new ConfigError(
        r.config.appid,
        'component.secret',
        `differs from the one given for component '${appid}'`,
      );
    }
    if (known === undefined && secret === undefined && r.role !== 'hub_client' && r.usesDefaults) {
      throw new ConfigError(
        r.config.appid,
        'component.secret',
        `is required: component '${appid}' has no secret yet`,
      );
    }
  }

  /** Validates start-up clients together (so createRefresher throws before anything runs). */
  validateAll(pairs: Array<{ client: unknown; setting: unknown }>): Array<ResolvedClient> {
    const resolved = pairs.map((p) => resolveClient(p.client, p.setting, this.#host.hasExplicitStore));
    const owners = new Map<string, string>();
    const secrets = new Map<string, string | undefined>();
    for (const r of resolved) {
      for (const o of r.options) {
        const owner = owners.get(o.storeId);
        if (owner !== undefined && owner !== r.config.appid) {
          throw new ConfigError(
            r.config.appid,
            'storeId',
            `'${o.storeId}' is already used by client '${owner}'`,
          );
        }
        owners.set(o.storeId, r.config.appid);
      }
      if (r.config.kind !== 'work' && r.config.component) {
        const { appid, secret } = r.config.component;
        if (owners.has(appid) && owners.get(appid) !== `component:${appid}`) {
          throw new ConfigError(r.config.appid, 'component.appid', `'${appid}' is also a client's store id`);
        }
        const known = secrets.get(appid);
        if (known !== undefined && secret !== undefined && known !== secret) {
          throw new ConfigError(
            r.config.appid,
            'component.secret',
            `differs from the one given for component '${appid}'`,
          );
        }
        secrets.set(appid, known ?? secret);
      }
    }
    for (const r of resolved) {
      if (r.config.kind === 'work' || !r.config.component || r.role === 'hub_client' || !r.usesDefaults)
        continue;
      if (secrets.get(r.config.component.appid) === undefined) {
        throw new ConfigError(
          r.config.appid,
          'component.secret',
          `is required by component '${r.config.component.appid}'`,
        );
      }
    }
    return resolved;
  }

  unregister(entry: CredentialEntry, opts: { keepComponent: boolean }): void {
    this.#host.stop(entry);
    this.clients.delete(entry.id);
    for (const o of entry.options) {
      if (this.#storeIdOwners.get(o.storeId) === entry) this.#storeIdOwners.delete(o.storeId);
    }
    const component = entry.componentAppid ? this.components.get(entry.componentAppid) : undefined;
    if (component) {
      component.authorizers!.delete(entry.id);
      // The last authorizer gone: the component goes too (seed Q3 fixed), unless it is being re-added.
      if (component.authorizers!.size === 0 && !opts.keepComponent) {
        this.#host.stop(component);
        this.components.delete(component.id);
        this.#storeIdOwners.delete(component.id);
      }
    }
    this.#host.emit('client_removed', { appid: entry.id });
  }
}
