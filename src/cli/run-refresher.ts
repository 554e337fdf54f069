/**
 * What `start` and `demo` share: a refresher with the redacting logger, metrics around its fetch,
 * the server on loopback, a progress bar while the clients start, `server.json` for the other
 * commands, and an orderly stop (server, refresher, store flush).
 */

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Keyv from 'keyv';
import {
  createLogger,
  createRefresherMetrics,
  type LogLevel,
  type RefresherMetrics,
} from '../observability/index.js';
import { createRefresher, type Refresher } from '../refresher.js';
import type { RefresherServerOptions } from '../server/index.js';
import { createRefresherServer, listenRefresherServer, type RefresherServer } from '../server/index.js';
import type { RefresherOptions } from '../types.js';
import type { FileStoreAdapter } from './file-store.js';
import type { CliIo } from './io.js';
import { ProgressBar } from './progress.js';
import { removeServerFile, writeServerFile } from './server-file.js';

export interface RunOptions {
  clients: NonNullable<RefresherOptions['clients']>;
  store?: Keyv;
  /** Flushed on stop. */
  fileStore?: FileStoreAdapter;
  /** Folder of server.json. */
  dir: string;
  server: false | Pick<RefresherServerOptions, 'host' | 'port' | 'token' | 'feedIntervalMs'>;
  logLevel: LogLevel;
  /** Where log lines go. @default stdout */
  logDestination?: { write(text: string): unknown };
  fetch?: typeof globalThis.fetch;
  refresher?: Pick<
    RefresherOptions,
    'waitForSignal' | 'endpoints' | 'maxConcurrentCalls' | 'requestTimeoutMs'
  >;
  /**
   * Clients started at once; the rest are added in batches of this size once those are settled,
   * so the progress bar moves as thousands start. (Queued calls no longer time out: the refresher
   * starts a call's timeout only once it holds a concurrency slot.) @default 500
   */
  batchSize?: number;
  /** Print the control token. @default only a generated token, and only to a terminal */
  showToken?: boolean;
  /** Runs before monitoring starts (the demo pushes tickets and refresh tokens here). */
  beforeMonitor?: (refresher: Refresher) => Promise<void>;
}

export interface Running {
  refresher: Refresher;
  metrics: RefresherMetrics;
  server?: RefresherServer;
  /** Base URL of the server. */
  url?: string;
  token?: string;
  /** Resolves when the start-up clients are settled (refreshed, failed or restored). */
  started: Promise<void>;
  stop(): Promise<void>;
}

const SETTLED = new Set(['idle', 'retrying', 'paused']);
/** Clients started together; see {@link RunOptions.batchSize}. */
export const DEFAULT_BATCH_SIZE = 500;

type ClientItem = RunOptions['clients'][number];

/** Starts a refresher (and its server) for the CLI. */
export async function runRefresher(options: RunOptions, io: CliIo): Promise<Running> {
  const logger = createLogger({
    level: options.logLevel,
    destination: options.logDestination as never,
  });
  const metrics = createRefresherMetrics();
  const userWaits = options.refresher?.waitForSignal ?? false;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  // With waitForSignal the user starts monitoring, so every client is registered up front.
  const first = userWaits ? options.clients : options.clients.slice(0, batchSize);
  const rest = userWaits ? [] : options.clients.slice(batchSize);
  // Created waiting, so pushes (demo) land before the first refresh and the bar sees every client.
  const refresher = createRefresher({
    ...options.refresher,
    clients: first,
    store: options.store,
    logger,
    fetch: metrics.instrumentFetch(options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
    waitForSignal: true,
  });
  metrics.observe(refresher);
  await refresher.ready;

  let server: RefresherServer | undefined;
  let url: string | undefined;
  if (options.server !== false) {
    server = createRefresherServer(refresher, { ...options.server, metrics });
    url = await listenRefresherServer(server);
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    await writeServerFile(options.dir, { url, token: server.wechatRefresher.token, pid: process.pid });
    // The token is a secret: shown on a terminal when we made it up, never into piped logs.
    const shown = options.showToken ?? (options.server?.token === undefined && io.err.isTTY === true);
    if (shown) {
      io.err.write(`dashboard: ${url}/#token=${server.wechatRefresher.token}\n`);
      io.err.write(`control token: ${server.wechatRefresher.token}\n`);
    } else {
      io.err.write(`dashboard: ${url} (control token in ${join(options.dir, 'server.json')})\n`);
    }
  }

  if (options.beforeMonitor) await options.beforeMonitor(refresher);

  const total = options.clients.length + Object.keys(refresher.components()).length;
  const started = userWaits ? Promise.resolve() : monitorWithProgress(refresher, total, rest, batchSize, io);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server?.close();
    await refresher.stop();
    await options.fileStore?.flush();
    if (server) await removeServerFile(options.dir);
  };
  return { refresher, metrics, server, url, token: server?.wechatRefresher.token, started, stop };
}

/** startMonitor(), then the remaining clients batch by batch, with a bar counting clients as they first settle. */
async function monitorWithProgress(
  refresher: Refresher,
  total: number,
  rest: ClientItem[],
  batchSize: number,
  io: CliIo,
): Promise<void> {
  const bar = new ProgressBar(io.err, total);
  const seen = new Set<string>();
  const off = refresher.on('state', (e) => {
    if (!SETTLED.has(e.state) || seen.has(e.appid)) return;
    seen.add(e.appid);
    bar.tick();
  });
  try {
    await refresher.startMonitor();
    for (let i = 0; i < rest.length; i += batchSize) {
      await Promise.all(
        rest.slice(i, i + batchSize).map((item) => {
          const [client, setting] = Array.isArray(item) ? item : [item, undefined];
          return refresher.add(client, setting);
        }),
      );
    }
  } finally {
    off();
    const failing = [...refresher._runtime.clients.values()].filter((e) => e.state === 'retrying').length;
    bar.finish(failing > 0 ? ` (${failing} retrying: see the dashboard)` : '');
  }
}
