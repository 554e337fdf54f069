/**
 * `wechat-refresher/server`: the HTTP face of a refresher (dashboard, JSON API, live feed,
 * /metrics, /healthz), stand-alone or as a fastify plugin, plus the logger and metrics helpers.
 */

export type {
  LoggerFactoryOptions,
  LogLevel,
  RefresherMetrics,
  RefresherMetricsOptions,
  UpstreamLabel,
  UpstreamOutcome,
} from '../observability/index.js';
export {
  createLogger,
  createRefresherMetrics,
  DEFAULT_LOGGER_OPTIONS,
  DEFAULT_METRICS_OPTIONS,
  instrumentFetch,
} from '../observability/index.js';
export { generateToken, tokenMatches } from './auth.js';
export type { Chart, ChartEdge, ChartNode } from './chart.js';
export { machineChart } from './chart.js';
export type { RefresherServer, RefresherServerInfo } from './create-server.js';
export { createRefresherServer, listenRefresherServer } from './create-server.js';
export type { FeedEvent, FeedMessage } from './live-feed.js';
export type { HealthReport } from './ops-routes.js';
export { healthReport } from './ops-routes.js';
export type {
  RefresherPluginOptions,
  RefresherServerOptions,
  ResolvedPluginOptions,
  ResolvedServerOptions,
} from './options.js';
export {
  DEFAULT_SERVER_OPTIONS,
  MIN_TOKEN_LENGTH,
  resolvePluginOptions,
  resolveServerOptions,
} from './options.js';
export type { RefresherPlugin } from './plugin.js';
export { createRefresherPlugin } from './plugin.js';
export type {
  ClientView,
  ErrorView,
  Health,
  KeyView,
  ListPage,
  ListQuery,
  SortOrder,
  Summary,
} from './views.js';
export { adviceFor, listEntries } from './views.js';
