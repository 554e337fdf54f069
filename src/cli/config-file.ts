/**
 * The config file of `wechat-refresher start`: a `.json` file, or a `.ts`/`.js`/`.mjs` module whose
 * default export (or `config` export) is the object. Only `clients` is required.
 *
 * ```ts
 * // wechat-refresher.config.ts
 * export default {
 *   clients: [{ kind: 'official_account', appid: 'wx...', secret: process.env.WX_SECRET }],
 *   server: { port: 7380 },
 * };
 * ```
 */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Keyv from 'keyv';
import { ConfigError } from '../errors.js';
import type { LogLevel } from '../observability/index.js';
import type { RefresherServerOptions } from '../server/index.js';
import type { RefresherOptions } from '../types.js';

/** What a config file holds. */
export interface CliConfig {
  /** The clients to keep fresh (RefresherOptions.clients). */
  clients: NonNullable<RefresherOptions['clients']>;
  /** `file` (default: `<dir>/tokens.json`), `memory`, or a Keyv of your own (modules only). @default 'file' */
  store?: 'file' | 'memory' | Keyv;
  /** Folder of the token file and of `server.json`. @default './.wechat-refresher' */
  dir?: string;
  /** The server; `false` runs without one. @default { host: '127.0.0.1', port: 7380 } */
  server?: false | Pick<RefresherServerOptions, 'host' | 'port' | 'token' | 'feedIntervalMs'>;
  /** @default 'info' */
  logLevel?: LogLevel;
  /** Other refresher options passed through. */
  refresher?: Pick<
    RefresherOptions,
    'waitForSignal' | 'endpoints' | 'maxConcurrentCalls' | 'requestTimeoutMs'
  >;
}

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

/** Validates a loaded config. @throws ConfigError naming the field. */
export function checkCliConfig(value: unknown): CliConfig {
  if (typeof value !== 'object' || value === null)
    throw new ConfigError(undefined, 'config', 'must be an object');
  const c = value as Partial<CliConfig>;
  if (!Array.isArray(c.clients)) throw new ConfigError(undefined, 'clients', 'must be an array of clients');
  if (c.store !== undefined && c.store !== 'file' && c.store !== 'memory' && typeof c.store !== 'object') {
    throw new ConfigError(undefined, 'store', "must be 'file', 'memory' or a Keyv");
  }
  if (c.server !== undefined && c.server !== false && typeof c.server !== 'object') {
    throw new ConfigError(undefined, 'server', 'must be an object or false');
  }
  if (c.dir !== undefined && (typeof c.dir !== 'string' || c.dir === '')) {
    throw new ConfigError(undefined, 'dir', 'must be a folder path');
  }
  return c as CliConfig;
}

/** Loads a config file relative to `cwd`. @throws ConfigError for an unknown kind or bad content. */
export async function loadCliConfig(file: string, cwd: string = process.cwd()): Promise<CliConfig> {
  const path = resolve(cwd, file);
  const ext = extname(path);
  if (ext === '.json') {
    const text = await readFile(path, 'utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(undefined, 'config', `${file} is not valid JSON: ${(error as Error).message}`);
    }
    return checkCliConfig(parsed);
  }
  if (!MODULE_EXTENSIONS.includes(ext)) {
    throw new ConfigError(undefined, 'config', `must be a .json, .ts or .js file (got ${file})`);
  }
  const module = (await import(pathToFileURL(path).href)) as { default?: unknown; config?: unknown };
  return checkCliConfig(module.default ?? module.config);
}
