/**
 * The `wechat-refresher` command line (commander): `start`, `demo`, `status`, `refresh`, `pause`,
 * `resume`. Long-running commands return their `Running` handle so `src/cli.ts` (or a test) decides
 * when to stop it.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type Keyv from 'keyv';
import type { LogLevel } from '../observability/index.js';
import { checkCliConfig, loadCliConfig } from './config-file.js';
import { DEFAULT_DEMO_OPTIONS, startDemoUpstream } from './demo.js';
import { createFileStore } from './file-store.js';
import type { CliIo } from './io.js';
import { controlCommand, type ExitCode, statusCommand } from './remote.js';
import { type Running, runRefresher } from './run-refresher.js';
import { DEFAULT_CLI_DIR } from './server-file.js';

/** What a command left running, or its exit code. */
export type CommandResult = { running: Running; close?: () => Promise<void> } | { exitCode: ExitCode };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function intArg(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be an integer in ${min}-${max}`);
    return n;
  };
}

function numArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be a number in ${min}-${max}`);
    return n;
  };
}

interface ServeFlags {
  host?: string;
  port?: number;
  token?: string;
  server?: boolean;
  memory?: boolean;
  dir: string;
  logLevel?: LogLevel;
}

function serveOptions(cmd: Command): Command {
  return cmd
    .option('--host <host>', 'interface the server binds', '127.0.0.1')
    .addOption(new Option('--port <port>', 'server port (0: any free port)').argParser(intArg(0, 65535)))
    .option('--token <token>', 'control token (default: $WECHAT_REFRESHER_TOKEN, or a random one)')
    .option('--no-server', 'run without the HTTP server')
    .option('--memory', 'keep tokens in memory only (no token file)')
    .option('--dir <dir>', 'folder of the token file and server.json', DEFAULT_CLI_DIR)
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS));
}

function remoteOptions(cmd: Command): Command {
  return cmd
    .option(
      '--url <url>',
      'server URL (default: $WECHAT_REFRESHER_URL, server.json, or http://127.0.0.1:7380)',
    )
    .option('--token <token>', 'control token (default: $WECHAT_REFRESHER_TOKEN or server.json)')
    .option('--dir <dir>', 'folder of server.json', DEFAULT_CLI_DIR)
    .option('--json', 'print JSON');
}

/**
 * Builds the program. `onResult` receives each command's outcome (the entry point exits or keeps
 * running on it).
 */
/** Where the CLI says what happened to its token file. */
function fileStoreReports(io: CliIo) {
  return {
    onCorrupt: (movedTo: string) =>
      io.err.write(`token file unreadable: moved to ${movedTo}, starting empty\n`),
    onWriteError: (error: unknown) =>
      io.err.write(`token file not written (will retry): ${(error as Error)?.message ?? error}\n`),
  };
}

export function buildProgram(io: CliIo, onResult: (result: CommandResult) => void | Promise<void>): Command {
  const program = new Command('wechat-refresher')
    .description('Keeps WeChat access tokens and tickets fresh: dashboard, control API and metrics included.')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err.write(s) })
    .exitOverride()
    .showHelpAfterError();

  serveOptions(
    program
      .command('start')
      .description('run the refresher from a config file, with its server and a token file')
      .requiredOption('-c, --config <file>', 'config file (.ts, .js or .json)'),
  ).action(async (flags: ServeFlags & { config: string }, cmd: Command) => {
    const config = checkCliConfig(await loadCliConfig(flags.config, io.cwd));
    const dir = resolve(
      io.cwd,
      cmd.getOptionValueSource('dir') === 'default' && config.dir ? config.dir : flags.dir,
    );
    const fileStore =
      flags.memory || config.store === 'memory' || (config.store && typeof config.store === 'object')
        ? undefined
        : createFileStore({ path: resolve(dir, 'tokens.json'), ...fileStoreReports(io) });
    const store = typeof config.store === 'object' ? (config.store as Keyv) : fileStore?.keyv;
    const serverConfig = config.server === false ? false : (config.server ?? {});
    const running = await runRefresher(
      {
        clients: config.clients,
        store,
        fileStore: fileStore?.adapter,
        dir,
        server:
          flags.server === false || serverConfig === false
            ? false
            : {
                ...serverConfig,
                host:
                  cmd.getOptionValueSource('host') === 'default'
                    ? (serverConfig.host ?? flags.host)
                    : flags.host,
                port: flags.port ?? serverConfig.port,
                token: flags.token ?? io.env.WECHAT_REFRESHER_TOKEN ?? serverConfig.token,
              },
        logLevel: flags.logLevel ?? config.logLevel ?? 'info',
        refresher: config.refresher,
      },
      io,
    );
    await onResult({ running });
  });

  serveOptions(
    program
      .command('demo')
      .description(
        'run against a fake WeChat on loopback: a mixed set of apps, short lifetimes, faults now and then',
      )
      .addOption(
        new Option('--clients <n>', 'total clients (extra ones are generated)')
          .argParser(intArg(1, 200_000))
          .default(DEFAULT_DEMO_OPTIONS.clients),
      )
      .addOption(
        new Option('--lifetime <seconds>', 'token lifetime the fake hands out')
          .argParser(intArg(70, 7200))
          .default(DEFAULT_DEMO_OPTIONS.lifetimeSec),
      )
      .addOption(
        new Option('--fault-rate <share>', 'share of upstream calls that fail')
          .argParser(numArg(0, 1))
          .default(DEFAULT_DEMO_OPTIONS.faultRate),
      ),
  ).action(async (flags: ServeFlags & { clients: number; lifetime: number; faultRate: number }) => {
    const upstream = await startDemoUpstream({
      clients: flags.clients,
      lifetimeSec: flags.lifetime,
      faultRate: flags.faultRate,
    });
    const dir = resolve(io.cwd, flags.dir);
    const fileStore = flags.memory
      ? undefined
      : createFileStore({ path: resolve(dir, 'demo-tokens.json'), ...fileStoreReports(io) });
    io.err.write(`fake WeChat on ${upstream.server.api} (api) and ${upstream.server.work} (work)\n`);
    const running = await runRefresher(
      {
        clients: upstream.fixture.clients,
        store: fileStore?.keyv,
        fileStore: fileStore?.adapter,
        dir,
        server:
          flags.server === false
            ? false
            : {
                host: flags.host,
                port: flags.port ?? 7380,
                token: flags.token ?? io.env.WECHAT_REFRESHER_TOKEN,
              },
        logLevel: flags.logLevel ?? (flags.clients > 100 ? 'warn' : 'info'),
        refresher: {
          endpoints: { api: upstream.server.api, work: upstream.server.work },
          // The fake answers on loopback: more calls in flight shorten a start of thousands.
          maxConcurrentCalls: flags.clients > 100 ? 64 : undefined,
        },
        beforeMonitor: (refresher) => upstream.seed(refresher),
      },
      io,
    );
    await onResult({ running, close: () => upstream.server.close() });
  });

  remoteOptions(
    program.command('status').description('health and the clients needing attention, from a running server'),
  ).action(async (flags) => onResult({ exitCode: await statusCommand(flags, io) }));

  for (const action of ['refresh', 'pause', 'resume'] as const) {
    const cmd = program
      .command(`${action} <appid>`)
      .description(`${action} a client (or component) on a running server`);
    if (action === 'refresh') {
      cmd
        .option('--store-id <id>', 'only this key: its store id')
        .option('--store-key <key>', 'only this key: its name');
    }
    remoteOptions(cmd).action(async (appid: string, flags) =>
      onResult({ exitCode: await controlCommand(action, appid, flags, io) }),
    );
  }
  return program;
}
