/**
 * Routes for machines watching the refresher: `/metrics` (Prometheus text) and `/healthz`
 * (ready, and whether any credential is expired or stuck).
 */
import type { FastifyInstance } from 'fastify';
import type { RefresherMetrics } from '../observability/index.js';
import type { Refresher } from '../refresher.js';
import { allEntries, type ClientView, entryView, type Health, summarize } from './views.js';

/** What /healthz answers. */
export interface HealthReport {
  /** ok: ready and nothing wrong; degraded: some credential expired or stuck; starting; stopped. */
  status: 'ok' | 'degraded' | 'starting' | 'stopped';
  ready: boolean;
  nowMs: number;
  clients: number;
  components: number;
  expired: number;
  stuck: number;
  retrying: number;
  paused: number;
  /** The worst entries (at most {@link MAX_PROBLEMS}), with their last error in words. */
  problems: Array<{
    appid: string;
    machine: string;
    health: Health;
    storeKey?: string;
    message?: string;
    advice?: string;
  }>;
}

export const MAX_PROBLEMS = 20;

export interface OpsRouteOptions {
  refresher: Refresher;
  metrics: RefresherMetrics;
  /** Whether `refresher.ready` has resolved. */
  isReady(): boolean;
}

/** The health report of a refresher now. */
export function healthReport(refresher: Refresher, ready: boolean): HealthReport {
  const runtime = refresher._runtime;
  const nowMs = runtime.clock.now();
  const views = allEntries(refresher).map((e) => entryView(e, nowMs));
  const summary = summarize(views);
  const bad = (v: ClientView) => v.health === 'expired' || v.health === 'stuck';
  const problems = views
    .filter((v) => bad(v) || v.health === 'retrying')
    .sort((a, b) => Number(bad(b)) - Number(bad(a)))
    .slice(0, MAX_PROBLEMS)
    .map((v) => {
      const key = v.keys.find((k) => k.lastError) ?? v.keys.find((k) => k.expiresAtSec * 1000 <= nowMs);
      const err = key?.lastError ?? v.lastError;
      return {
        appid: v.appid,
        machine: v.machine,
        health: v.health,
        storeKey: key?.storeKey,
        message: err?.message,
        advice: err?.advice,
      };
    });
  const { expired, stuck, retrying, paused } = summary.byHealth;
  const status = runtime.stopped ? 'stopped' : !ready ? 'starting' : expired + stuck > 0 ? 'degraded' : 'ok';
  return {
    status,
    ready,
    nowMs,
    clients: summary.clients,
    components: summary.components,
    expired,
    stuck,
    retrying,
    paused,
    problems,
  };
}

/** Registers /metrics and /healthz. */
export async function opsRoutes(app: FastifyInstance, options: OpsRouteOptions): Promise<void> {
  const { refresher, metrics, isReady } = options;

  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.metrics();
  });

  // 200 while serving (ok or degraded), 503 while starting or stopped; `?strict=1` makes
  // degraded a 503 too, for checks that should page someone.
  app.get<{ Querystring: { strict?: string } }>('/healthz', async (request, reply) => {
    const report = healthReport(refresher, isReady());
    const strict = request.query.strict === '1' || request.query.strict === 'true';
    const failing =
      report.status === 'starting' || report.status === 'stopped' || (strict && report.status === 'degraded');
    return reply.code(failing ? 503 : 200).send(report);
  });
}
