/**
 * The pino logger of the CLI and the server: structured JSON lines, levels, and redaction of every
 * field that may hold a secret or a token value (DESIGN.md "Observability"). It fits
 * `RefresherOptions.logger`, so the core's one line per refresh outcome goes through it.
 */
import { type DestinationStream, type Logger, type LoggerOptions, pino, stdSerializers } from 'pino';
import { ConfigError } from '../errors.js';

/** Field names whose values are never logged, at any of the first three levels of a log object. */
export const REDACTED_LOG_FIELDS: readonly string[] = Object.freeze([
  'secret',
  'appsecret',
  'corpsecret',
  'componentSecret',
  'component_appsecret',
  'token',
  'value',
  'ticket',
  'refreshToken',
  'access_token',
  'authorizer_access_token',
  'authorizer_refresh_token',
  'component_access_token',
  'component_verify_ticket',
  'verifyTicket',
  'authorization',
  'Authorization',
]);

/** What pino writes in place of a redacted value. */
export const LOG_CENSOR = '[redacted]';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Options of {@link createLogger}. */
export interface LoggerFactoryOptions {
  /** Lowest level written. @default 'info' */
  level?: LogLevel;
  /** The `name` field of every line. @default 'wechat-refresher' */
  name?: string;
  /** Where lines go (a pino destination or any writable stream). @default stdout */
  destination?: DestinationStream;
}

/** Defaults of {@link LoggerFactoryOptions}. */
export const DEFAULT_LOGGER_OPTIONS = Object.freeze({ level: 'info' as LogLevel, name: 'wechat-refresher' });

const LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Merges and validates logger options. @throws ConfigError naming the field. */
export function resolveLoggerOptions(
  options: LoggerFactoryOptions = {},
): Required<Omit<LoggerFactoryOptions, 'destination'>> & Pick<LoggerFactoryOptions, 'destination'> {
  const level = options.level ?? DEFAULT_LOGGER_OPTIONS.level;
  if (!LEVELS.includes(level))
    throw new ConfigError(undefined, 'level', `must be one of ${LEVELS.join(', ')}`);
  return { level, name: options.name ?? DEFAULT_LOGGER_OPTIONS.name, destination: options.destination };
}

/** The redact paths: each field at the top level and one or two objects deep. */
export function redactPaths(fields: readonly string[] = REDACTED_LOG_FIELDS): string[] {
  return fields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);
}

/**
 * Creates a pino logger that never writes a secret or token value.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: 'debug' });
 * const refresher = createRefresher({ clients, logger });
 * ```
 */
export function createLogger(options: LoggerFactoryOptions = {}): Logger {
  const resolved = resolveLoggerOptions(options);
  const pinoOptions: LoggerOptions = {
    name: resolved.name,
    level: resolved.level,
    redact: { paths: redactPaths(), censor: LOG_CENSOR },
    // The core logs failures as plain summaries ({ code, kind, errcode, message }); pino's err
    // serializer would dress them up as errors with an empty stack.
    serializers: { err: (err: unknown) => (err instanceof Error ? stdSerializers.err(err) : err) },
  };
  return resolved.destination ? pino(pinoOptions, resolved.destination) : pino(pinoOptions);
}
