/**
 * What the server shows of a refresher: JSON views of each client and component built from the
 * runtime's registry (states, key names, expiry instants, counts, errors in words), with filter,
 * sort and paging for 10,000 clients, and the health summary. Nothing here reads a token value or a
 * secret: only `entry.stats`, the machine's context (key names, expiries, failures) and timers.
 */
import type { Refresher } from '../refresher.js';
import { type CredentialEntry, contextOf } from '../runtime/index.js';
import type { FailureInfo } from '../types.js';

/** How an entry is doing, worst first: what an operator looks at. */
export type Health = 'expired' | 'stuck' | 'retrying' | 'paused' | 'waiting' | 'ok';

/** Order of attention: lower is worse. */
export const HEALTH_ORDER: readonly Health[] = ['expired', 'stuck', 'retrying', 'paused', 'waiting', 'ok'];

/** A failure as shown: the core's secret-free summary plus advice in words. */
export interface ErrorView extends FailureInfo {
  /** What it means and what to do. */
  advice: string;
  storeKey?: string;
  atMs?: number;
}

export interface KeyView {
  storeId: string;
  storeKey: string;
  /** Unix seconds; 0 when no value is held. */
  expiresAtSec: number;
  /** Failures in a row. */
  failures: number;
  lastError: ErrorView | null;
  /** When the key's next refresh is scheduled (ms on the refresher's clock), or null. */
  nextRefreshAtMs: number | null;
}

export interface ClientView {
  appid: string;
  machine: 'client' | 'component';
  /** official_account | mini_program | work | component */
  kind: string;
  /** The machine state: booting, waiting, idle, refreshing, retrying, paused, stopped. */
  state: string;
  paused: boolean;
  health: Health;
  /** Authorizers: their component appid. */
  componentAppid?: string;
  /** Components: their authorizers' appids. */
  authorizers?: string[];
  refreshes: number;
  failures: number;
  lastError: ErrorView | null;
  /** ms on the refresher's clock; 0 before the first refresh. */
  lastRefreshAtMs: number;
  keys: KeyView[];
}

export interface Summary {
  clients: number;
  components: number;
  byState: Record<string, number>;
  byHealth: Record<Health, number>;
}

/** Failures in a row after which a transiently failing key counts as stuck. */
export const STUCK_AFTER_FAILURES = 3;

/** Advice in words for a failure kind (DESIGN.md "Errors"). */
export function adviceFor(error: Pick<FailureInfo, 'kind' | 'errcode'> & { code?: string }): string {
  const code = error.errcode === undefined ? '' : ` (errcode ${error.errcode})`;
  if (error.code === 'WR_ERR_REFRESH_DEPENDENCY' && error.kind !== 'configuration') {
    return 'Waits for a credential it depends on (see the message): retried when it arrives, or after the retry interval.';
  }
  if (error.code === 'WR_ERR_REFRESH_DEPENDENCY') {
    return 'Needs a person: a credential it depends on must be supplied (see the message).';
  }
  switch (error.kind) {
    case 'configuration':
      return `Needs a person${code}: check the appid, secret, IP whitelist or authorization; retries back off up to hourly.`;
    case 'quota':
      return `Daily quota used up${code}: no calls until 00:00 Asia/Shanghai, unless refreshed by hand.`;
    case 'token_invalid':
      return `WeChat refused a token${code}: the token it depends on is refreshed, then this one.`;
    default:
      return `WeChat or the network failed${code}: retried after the retry interval.`;
  }
}

function errorView(
  e: (FailureInfo & { storeKey?: string; atMs?: number }) | null | undefined,
): ErrorView | null {
  if (!e) return null;
  const view: ErrorView = { code: e.code, kind: e.kind, message: e.message, advice: adviceFor(e) };
  if (e.errcode !== undefined) view.errcode = e.errcode;
  if (e.storeKey !== undefined) view.storeKey = e.storeKey;
  if (e.atMs !== undefined) view.atMs = e.atMs;
  return view;
}

/** The health of an entry from its state and keys. */
export function healthOf(state: string, paused: boolean, keys: KeyView[], nowSec: number): Health {
  const active = state !== 'waiting' && state !== 'booting' && state !== 'stopped';
  if (active && keys.some((k) => (k.expiresAtSec > 0 ? k.expiresAtSec <= nowSec : k.failures > 0)))
    return 'expired';
  const stuck = keys.some(
    (k) =>
      k.failures >= STUCK_AFTER_FAILURES ||
      (k.failures > 0 && (k.lastError?.kind === 'configuration' || k.lastError?.kind === 'quota')),
  );
  if (stuck) return 'stuck';
  if (state === 'retrying' || keys.some((k) => k.failures > 0)) return 'retrying';
  if (paused || state === 'paused') return 'paused';
  if (!active) return 'waiting';
  return 'ok';
}

/** The view of one registry entry at `nowMs` (the refresher's clock). */
export function entryView(entry: CredentialEntry, nowMs: number): ClientView {
  const context = contextOf(entry);
  const keys: KeyView[] = (context?.keys ?? []).map((k, i) => {
    const timer = entry.timers[i];
    return {
      storeId: k.storeId,
      storeKey: k.storeKey,
      // Whole seconds, as the store keeps it (the machine plans from the exact instant).
      expiresAtSec: Math.floor(k.expiresAtSec),
      failures: k.failures,
      lastError: errorView(k.lastError),
      nextRefreshAtMs: timer && timer.index >= 0 ? timer.dueMs : null,
    };
  });
  const paused = context?.paused ?? false;
  const view: ClientView = {
    appid: entry.id,
    machine: entry.machine,
    kind: entry.machine === 'component' ? 'component' : (entry.config?.kind ?? 'unknown'),
    state: entry.state,
    paused,
    health: healthOf(entry.state, paused, keys, nowMs / 1000),
    refreshes: entry.stats.refreshes,
    failures: entry.stats.failures,
    lastError: errorView(entry.stats.lastError),
    lastRefreshAtMs: entry.stats.lastRefreshAtMs,
    keys,
  };
  if (entry.componentAppid) view.componentAppid = entry.componentAppid;
  if (entry.authorizers) view.authorizers = [...entry.authorizers].sort();
  return view;
}

/** The registry entry of a client, or else of a component, with this appid. */
export function findEntry(refresher: Refresher, appid: string): CredentialEntry | undefined {
  const runtime = refresher._runtime;
  return runtime.clients.get(appid) ?? runtime.components.get(appid);
}

/** Every entry: clients in the order added, then components. */
export function allEntries(refresher: Refresher): CredentialEntry[] {
  const runtime = refresher._runtime;
  return [...runtime.clients.values(), ...runtime.components.values()];
}

/** Counts by state and health. */
export function summarize(views: Iterable<ClientView>): Summary {
  const summary: Summary = {
    clients: 0,
    components: 0,
    byState: {},
    byHealth: { expired: 0, stuck: 0, retrying: 0, paused: 0, waiting: 0, ok: 0 },
  };
  for (const v of views) {
    if (v.machine === 'client') summary.clients++;
    else summary.components++;
    summary.byState[v.state] = (summary.byState[v.state] ?? 0) + 1;
    summary.byHealth[v.health]++;
  }
  return summary;
}

export type SortOrder = 'attention' | 'appid' | 'expiry' | 'added';

/** A list query: filter, sort and page. */
export interface ListQuery {
  /** Substring of the appid (or a key's store id), case-insensitive. */
  q?: string;
  health?: Health[];
  state?: string[];
  machine?: 'client' | 'component';
  kind?: string;
  sort?: SortOrder;
  offset?: number;
  limit?: number;
}

export interface ListPage {
  nowMs: number;
  total: number;
  offset: number;
  limit: number;
  items: ClientView[];
  summary: Summary;
}

/** The largest page. */
export const MAX_PAGE_SIZE = 500;
/** The page size when none is asked. */
export const DEFAULT_PAGE_SIZE = 50;

function soonestExpiry(v: ClientView): number {
  let min = Number.POSITIVE_INFINITY;
  for (const k of v.keys) min = Math.min(min, k.expiresAtSec);
  return min;
}

const BY_SORT: Record<SortOrder, ((a: ClientView, b: ClientView) => number) | null> = {
  added: null,
  appid: (a, b) => (a.appid < b.appid ? -1 : a.appid > b.appid ? 1 : 0),
  expiry: (a, b) => soonestExpiry(a) - soonestExpiry(b),
  attention: (a, b) =>
    HEALTH_ORDER.indexOf(a.health) - HEALTH_ORDER.indexOf(b.health) ||
    b.failures - a.failures ||
    soonestExpiry(a) - soonestExpiry(b),
};

/** Filters, sorts and pages every entry of a refresher. */
export function listEntries(refresher: Refresher, query: ListQuery): ListPage {
  const nowMs = refresher._runtime.clock.now();
  const views = allEntries(refresher).map((e) => entryView(e, nowMs));
  const q = query.q?.trim().toLowerCase();
  const matches = views.filter(
    (v) =>
      (!q ||
        v.appid.toLowerCase().includes(q) ||
        v.keys.some((k) => k.storeId.toLowerCase().includes(q)) ||
        v.componentAppid?.toLowerCase().includes(q)) &&
      (!query.health?.length || query.health.includes(v.health)) &&
      (!query.state?.length || query.state.includes(v.state)) &&
      (!query.machine || v.machine === query.machine) &&
      (!query.kind || v.kind === query.kind),
  );
  const compare = BY_SORT[query.sort ?? 'attention'];
  if (compare) matches.sort(compare);
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const offset = Math.max(0, query.offset ?? 0);
  return {
    nowMs,
    total: matches.length,
    offset,
    limit,
    items: matches.slice(offset, offset + limit),
    summary: summarize(views),
  };
}
