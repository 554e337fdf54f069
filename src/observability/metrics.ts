/**
 * prom-client metrics of one refresher, in a registry of their own (never the global one):
 * refreshes and failures by client kind, key and errcode (counted from the refresher's events),
 * seconds to expiry per credential and clients per state (computed on each scrape), and the
 * upstream latency histogram that {@link instrumentFetch} fills.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Refresher } from '../refresher.js';
import { type CredentialEntry, contextOf } from '../runtime/index.js';
import { instrumentFetch, type UpstreamLabel } from './instrument-fetch.js';

/** Options of {@link createRefresherMetrics}. */
export interface RefresherMetricsOptions {
  /** The registry to register in. @default a new Registry */
  registry?: Registry;
  /** Prefix of every metric name. @default 'wechat_refresher_' */
  prefix?: string;
  /** Upper bounds (seconds) of the upstream latency buckets. @default 5 ms .. 10 s */
  latencyBuckets?: number[];
}

/** Defaults of {@link RefresherMetricsOptions}. */
export const DEFAULT_METRICS_OPTIONS = Object.freeze({
  prefix: 'wechat_refresher_',
  latencyBuckets: Object.freeze([
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]) as readonly number[],
});

/** The metrics of a refresher. */
export interface RefresherMetrics {
  readonly registry: Registry;
  readonly refreshes: Counter<'kind' | 'machine' | 'store_key' | 'source'>;
  readonly failures: Counter<'kind' | 'machine' | 'store_key' | 'error_kind' | 'errcode'>;
  readonly secondsToExpiry: Gauge<'store_id' | 'store_key'>;
  readonly clients: Gauge<'machine' | 'state'>;
  readonly upstreamLatency: Histogram<UpstreamLabel>;
  /** Wraps a fetch so its calls land in {@link RefresherMetrics.upstreamLatency}. */
  instrumentFetch(fetch: typeof globalThis.fetch): typeof globalThis.fetch;
  /** Counts this refresher's events and reads its registry on scrape; returns the unsubscribe. */
  observe(refresher: Refresher): () => void;
  /** The exposition text (Prometheus 0.0.4 format). */
  metrics(): Promise<string>;
}

/** The client kind label of an entry: the config kind, or `component`. */
export function kindOf(entry: CredentialEntry | undefined): string {
  if (!entry) return 'unknown';
  return entry.machine === 'component' ? 'component' : (entry.config?.kind ?? 'unknown');
}

function entryOf(refresher: Refresher, appid: string, storeId: string): CredentialEntry | undefined {
  const runtime = refresher._runtime;
  return runtime.clients.get(appid) ?? runtime.components.get(appid) ?? runtime.components.get(storeId);
}

/**
 * Creates the metrics; call `observe(refresher)` right after `createRefresher` so start-up refreshes
 * are counted.
 *
 * @example
 * ```ts
 * const metrics = createRefresherMetrics();
 * const refresher = createRefresher({ clients, fetch: metrics.instrumentFetch(globalThis.fetch) });
 * metrics.observe(refresher);
 * ```
 */
export function createRefresherMetrics(options: RefresherMetricsOptions = {}): RefresherMetrics {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? DEFAULT_METRICS_OPTIONS.prefix;
  const observed = new Set<Refresher>();

  const refreshes = new Counter({
    name: `${prefix}refreshes_total`,
    help: 'Credentials obtained, by client kind, machine, key and source (fetch or push).',
    labelNames: ['kind', 'machine', 'store_key', 'source'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: `${prefix}refresh_failures_total`,
    help: 'Failed refresh attempts, by client kind, machine, key, error kind and WeChat errcode.',
    labelNames: ['kind', 'machine', 'store_key', 'error_kind', 'errcode'] as const,
    registers: [registry],
  });
  const secondsToExpiry = new Gauge({
    name: `${prefix}seconds_to_expiry`,
    help: 'Seconds until the held value of each credential expires; 0 when none is valid.',
    labelNames: ['store_id', 'store_key'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const refresher of observed) {
        const runtime = refresher._runtime;
        const nowSec = runtime.clock.now() / 1000;
        for (const map of [runtime.clients, runtime.components]) {
          for (const entry of map.values()) {
            for (const key of contextOf(entry)?.keys ?? []) {
              const left = key.expiresAtSec > 0 ? Math.max(0, Math.round(key.expiresAtSec - nowSec)) : 0;
              this.set({ store_id: key.storeId, store_key: key.storeKey }, left);
            }
          }
        }
      }
    },
  });
  const clients = new Gauge({
    name: `${prefix}clients`,
    help: 'Clients and components by machine state.',
    labelNames: ['machine', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const refresher of observed) {
        const runtime = refresher._runtime;
        for (const entry of [...runtime.clients.values(), ...runtime.components.values()]) {
          const k = `${entry.machine}\u0000${entry.state}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      for (const [k, n] of counts) {
        const [machine, state] = k.split('\u0000');
        this.set({ machine, state }, n);
      }
    },
  });
  const upstreamLatency = new Histogram({
    name: `${prefix}upstream_request_duration_seconds`,
    help: 'Duration of upstream (WeChat) HTTP calls, by host family, API path and outcome.',
    labelNames: ['host', 'path', 'outcome'] as const,
    buckets: [...(options.latencyBuckets ?? DEFAULT_METRICS_OPTIONS.latencyBuckets)],
    registers: [registry],
  });

  return {
    registry,
    refreshes,
    failures,
    secondsToExpiry,
    clients,
    upstreamLatency,
    instrumentFetch: (fetch) => instrumentFetch(fetch, upstreamLatency),
    observe(refresher) {
      if (observed.has(refresher)) return () => {};
      observed.add(refresher);
      const offRefreshed = refresher.on('refreshed', (e) => {
        if (e.source === 'restore') return;
        const entry = entryOf(refresher, e.appid, e.storeId);
        refreshes.inc({
          kind: kindOf(entry),
          machine: entry?.machine ?? 'client',
          store_key: e.storeKey,
          source: e.source,
        });
      });
      const offFailed = refresher.on('refresh_failed', (e) => {
        const entry = entryOf(refresher, e.appid, e.storeId);
        failures.inc({
          kind: kindOf(entry),
          machine: entry?.machine ?? 'client',
          store_key: e.storeKey,
          error_kind: e.error.kind,
          errcode: e.error.errcode === undefined ? 'none' : String(e.error.errcode),
        });
      });
      return () => {
        offRefreshed();
        offFailed();
        observed.delete(refresher);
      };
    },
    metrics: () => registry.metrics(),
  };
}
