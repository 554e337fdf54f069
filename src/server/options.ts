/**
 * Options of the server and of its fastify plugin: one type each, one frozen defaults object, one
 * resolver that validates and throws a ConfigError naming the field (STYLE.md rule 8).
 */
import { ConfigError } from '../errors.js';
import type { RefresherMetrics } from '../observability/index.js';
import { generateToken } from './auth.js';

/** Options of the fastify plugin (mounting the dashboard and API in your own app). */
export interface RefresherPluginOptions {
  /**
   * Bearer token the control routes (POST) require. Keep it secret: anyone holding it can trigger
   * refreshes. @default a random 32-byte hex token (read it back from `server.wechatRefresher.token`)
   */
  token?: string;
  /** Metrics to expose at /metrics; give yours if you wrapped `fetch` with its `instrumentFetch`. @default new metrics */
  metrics?: RefresherMetrics;
  /** How often the live feed sends batched changes, in ms. @default 500 */
  feedIntervalMs?: number;
  /** Serve the dashboard page at the plugin's root. @default true */
  dashboard?: boolean;
}

/** Options of {@link createRefresherServer}: the plugin's, plus where to listen and how to log. */
export interface RefresherServerOptions extends RefresherPluginOptions {
  /** Interface to bind; only loopback by default, since the dashboard is not for the world. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on (0: any free port). @default 7380 */
  port?: number;
  /** fastify's logger option: false, true, or a pino logger (e.g. from createLogger). @default false */
  logger?: boolean | object;
}

/** Defaults of the server options (the token default is generated per server). */
export const DEFAULT_SERVER_OPTIONS = Object.freeze({
  host: '127.0.0.1',
  port: 7380,
  feedIntervalMs: 500,
  dashboard: true,
  logger: false as boolean | object,
});

/** Plugin options after defaults (metrics stay optional: the plugin makes them). */
export interface ResolvedPluginOptions {
  token: string;
  metrics: RefresherMetrics | undefined;
  feedIntervalMs: number;
  dashboard: boolean;
}

export interface ResolvedServerOptions extends ResolvedPluginOptions {
  host: string;
  port: number;
  logger: boolean | object;
}

/** Shortest token accepted: anything shorter is guessable. */
export const MIN_TOKEN_LENGTH = 16;

/** Merges and validates plugin options. @throws ConfigError naming the field. */
export function resolvePluginOptions(options: RefresherPluginOptions = {}): ResolvedPluginOptions {
  const token = options.token ?? generateToken();
  if (typeof token !== 'string' || token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(
      undefined,
      'token',
      `must be a string of at least ${MIN_TOKEN_LENGTH} characters, no spaces`,
    );
  }
  const feedIntervalMs = options.feedIntervalMs ?? DEFAULT_SERVER_OPTIONS.feedIntervalMs;
  if (!Number.isFinite(feedIntervalMs) || feedIntervalMs < 10) {
    throw new ConfigError(undefined, 'feedIntervalMs', 'must be a number of ms >= 10');
  }
  return {
    token,
    metrics: options.metrics,
    feedIntervalMs,
    dashboard: options.dashboard ?? DEFAULT_SERVER_OPTIONS.dashboard,
  };
}

/** Merges and validates server options. @throws ConfigError naming the field. */
export function resolveServerOptions(options: RefresherServerOptions = {}): ResolvedServerOptions {
  const host = options.host ?? DEFAULT_SERVER_OPTIONS.host;
  if (typeof host !== 'string' || host === '')
    throw new ConfigError(undefined, 'host', 'must be a non-empty string');
  const port = options.port ?? DEFAULT_SERVER_OPTIONS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(undefined, 'port', 'must be an integer in 0-65535');
  }
  return {
    ...resolvePluginOptions(options),
    host,
    port,
    logger: options.logger ?? DEFAULT_SERVER_OPTIONS.logger,
  };
}
