/**
 * Observability: the redacting pino logger, prom-client metrics of a refresher, and the fetch
 * wrapper timing upstream calls. Users reach these through `wechat-refresher/server`.
 */

export type { UpstreamLabel, UpstreamOutcome } from './instrument-fetch.js';
export { instrumentFetch } from './instrument-fetch.js';
export type { LoggerFactoryOptions, LogLevel } from './logger.js';
export {
  createLogger,
  DEFAULT_LOGGER_OPTIONS,
  LOG_CENSOR,
  REDACTED_LOG_FIELDS,
  redactPaths,
  resolveLoggerOptions,
} from './logger.js';
export type { RefresherMetrics, RefresherMetricsOptions } from './metrics.js';
export { createRefresherMetrics, DEFAULT_METRICS_OPTIONS, kindOf } from './metrics.js';
