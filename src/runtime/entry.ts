/**
 * A registry entry: what the runtime keeps beside each credential actor (a client or a component).
 * The machine's snapshot holds only key names, expiries and failures; the config, secrets and
 * refresh functions stay here, out of every inspector's sight.
 */
import type { Actor } from 'xstate';
import type { ClientMachine, ClientStateName } from '../../machines/client.js';
import type { TokenStore } from '../store/index.js';
import type { ClientConfig, FailureInfo, RefreshOption, Role } from '../types.js';
import type { ScheduledEntry } from './scheduler.js';

export interface CredentialEntry {
  /** The client appid, or the component appid. */
  readonly id: string;
  readonly machine: 'client' | 'component';
  /** Tag of what this entry owns in the token cache: the appid, or `component:<appid>`. */
  readonly owner: string;
  /** The client config (for a component: the config of the authorizer that brought it). */
  config: ClientConfig;
  readonly role: Role;
  refreshBeforeExpiredSec: number;
  refreshRetryIntervalSec: number;
  /** Refresh options, aligned with the machine's keys. */
  options: RefreshOption[];
  readonly store: TokenStore | null;
  actor: Actor<ClientMachine>;
  /** The pending timer of each key (its `tag` is the key index). */
  timers: Array<ScheduledEntry<CredentialEntry> | undefined>;
  /** The machine's state; `booting` until its actor exists. */
  state: ClientStateName | 'booting';
  /** True while a restore runs before START, so callers wait for it like a refresh. */
  restoring: boolean;
  /** Callers waiting for the entry to settle; allocated on first use. */
  settleWaiters: Array<() => void> | undefined;
  /** Aborts in-flight refreshes on removal; allocated on first refresh (100,000 idle clients need none). */
  abort: AbortController | undefined;
  removed: boolean;
  /** Authorizers only: the component appid whose token they use. */
  readonly componentAppid?: string;
  /** Components only: the authorizers using it, and the component secret. */
  readonly authorizers?: Set<string>;
  componentSecret?: string;
  stats: EntryStats;
}

/** Counters for the dashboard and metrics. */
export interface EntryStats {
  refreshes: number;
  failures: number;
  lastError: (FailureInfo & { storeKey: string; atMs: number }) | null;
  lastRefreshAtMs: number;
}

export function newStats(): EntryStats {
  return { refreshes: 0, failures: 0, lastError: null, lastRefreshAtMs: 0 };
}

/** Whether callers waiting on this entry may go on: nothing refreshing or restoring. */
export function isSettled(entry: CredentialEntry): boolean {
  return entry.removed || (!entry.restoring && entry.state !== 'refreshing');
}

/** Resolves when the entry is settled (at once if it is). */
export function whenSettled(entry: CredentialEntry): Promise<void> {
  if (isSettled(entry)) return Promise.resolve();
  return new Promise((resolve) => {
    entry.settleWaiters ??= [];
    entry.settleWaiters.push(resolve);
  });
}

/** Wakes the callers waiting on an entry that just settled. */
export function flushSettled(entry: CredentialEntry): void {
  if (!isSettled(entry) || entry.settleWaiters === undefined) return;
  const waiters = entry.settleWaiters;
  entry.settleWaiters = undefined;
  for (const resolve of waiters) resolve();
}

/** The signal aborted when the entry is removed. */
export function abortSignalOf(entry: CredentialEntry): AbortSignal {
  entry.abort ??= new AbortController();
  return entry.abort.signal;
}
