/**
 * The stand-alone server: a fastify instance with the refresher plugin at its root, not yet
 * listening (tests use `.inject()`), and a helper to listen on loopback.
 */

import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { RefresherMetrics } from '../observability/index.js';
import type { Refresher } from '../refresher.js';
import { MAX_FEED_MESSAGE_BYTES } from './live-feed.js';
import { type RefresherServerOptions, type ResolvedServerOptions, resolveServerOptions } from './options.js';
import { createRefresherPlugin } from './plugin.js';
import { isLoopback, loopbackHostsOnly } from './same-origin.js';

/** What the server knows about itself. */
export interface RefresherServerInfo {
  /** The bearer token of the control routes. */
  readonly token: string;
  readonly metrics: RefresherMetrics;
  readonly options: Readonly<Omit<ResolvedServerOptions, 'token' | 'metrics'>>;
}

/** A fastify instance serving one refresher. */
export type RefresherServer = FastifyInstance & { readonly wechatRefresher: RefresherServerInfo };

function isLogger(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && typeof (value as { info?: unknown }).info === 'function'
  );
}

/**
 * Creates the server: dashboard at `/`, JSON API under `/api`, live feed at `/api/live`,
 * `/metrics`, `/healthz`. Call {@link listenRefresherServer} (or `.listen()`) to serve it.
 *
 * @example
 * ```ts
 * import { createRefresherServer, listenRefresherServer } from 'wechat-refresher/server';
 * const server = createRefresherServer(refresher, { port: 7380 });
 * const url = await listenRefresherServer(server);
 * console.log(`dashboard: ${url}/#token=${server.wechatRefresher.token}`);
 * ```
 */
export function createRefresherServer(
  refresher: Refresher,
  options: RefresherServerOptions = {},
): RefresherServer {
  const resolved = resolveServerOptions(options);
  const logger = resolved.logger;
  const app = (
    isLogger(logger)
      ? Fastify({
          loggerInstance: logger as never,
          logController: new LogController({ disableRequestLogging: true }),
        })
      : Fastify({ logger: logger as boolean })
  ) as FastifyInstance;
  const web = createRefresherPlugin(refresher, resolved);
  const { token: _token, metrics: _metrics, ...rest } = resolved;
  app.decorate('wechatRefresher', { token: web.token, metrics: web.metrics, options: rest });
  // Bound to loopback, it answers loopback names only: a DNS-rebinding page gets nothing.
  if (isLoopback(resolved.host)) app.addHook('onRequest', loopbackHostsOnly());
  // At the root, so `injectWS` is there for tests; the plugin sees it and does not register twice.
  app.register(websocket, { options: { maxPayload: MAX_FEED_MESSAGE_BYTES } });
  app.register(web.plugin);
  return app as RefresherServer;
}

/**
 * Listens on the server's host and port (127.0.0.1:7380 unless configured) and returns its base
 * URL, e.g. `http://127.0.0.1:7380`.
 */
export async function listenRefresherServer(
  server: RefresherServer,
  where: { host?: string; port?: number } = {},
): Promise<string> {
  const host = where.host ?? server.wechatRefresher.options.host;
  const port = where.port ?? server.wechatRefresher.options.port;
  await server.listen({ host, port });
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${actualPort}`;
}
