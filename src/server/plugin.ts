/**
 * The server as a fastify plugin, to mount in your own app under a prefix: dashboard, JSON API,
 * live feed, /metrics and /healthz. It never stops the refresher (you own it); closing the app
 * unsubscribes from it.
 */

import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { createRefresherMetrics, type RefresherMetrics } from '../observability/index.js';
import type { Refresher } from '../refresher.js';
import { apiRoutes } from './api-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { LiveFeed, MAX_FEED_MESSAGE_BYTES } from './live-feed.js';
import { opsRoutes } from './ops-routes.js';
import { type RefresherPluginOptions, resolvePluginOptions } from './options.js';

/** A plugin bound to one refresher, with the token and metrics it uses. */
export interface RefresherPlugin {
  /** Register it: `app.register(p.plugin, { prefix: '/refresher' })`. */
  readonly plugin: FastifyPluginAsync;
  /** The bearer token of the control routes (generated unless given). */
  readonly token: string;
  readonly metrics: RefresherMetrics;
}

/**
 * Creates the plugin for a refresher. Create it right after `createRefresher` so the metrics count
 * the start-up refreshes.
 *
 * @example
 * ```ts
 * const web = createRefresherPlugin(refresher, { token: process.env.REFRESHER_TOKEN });
 * await app.register(web.plugin, { prefix: '/refresher' });
 * ```
 */
export function createRefresherPlugin(
  refresher: Refresher,
  options: RefresherPluginOptions = {},
): RefresherPlugin {
  const resolved = resolvePluginOptions(options);
  const metrics = resolved.metrics ?? createRefresherMetrics();
  const unobserve = metrics.observe(refresher);
  let ready = false;
  refresher.ready.then(
    () => {
      ready = true;
    },
    () => undefined,
  );
  const plugin: FastifyPluginAsync = async (app: FastifyInstance) => {
    if (!app.hasDecorator('websocketServer'))
      await app.register(websocket, { options: { maxPayload: MAX_FEED_MESSAGE_BYTES } });
    const feed = new LiveFeed(refresher, resolved.feedIntervalMs);
    app.addHook('onClose', async () => {
      feed.close();
      unobserve();
    });
    await app.register(apiRoutes, { refresher, token: resolved.token, feed });
    await app.register(opsRoutes, { refresher, metrics, isReady: () => ready });
    if (resolved.dashboard) await app.register(dashboardRoutes);
  };
  return { plugin, token: resolved.token, metrics };
}
