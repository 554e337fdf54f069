/**
 * `wechat-refresher`: the command line. The only module with top-level side effects (STYLE.md 6):
 * it parses argv, keeps `start`/`demo` running until SIGINT/SIGTERM, and exits with each
 * command's code.
 */
import { CommanderError } from 'commander';
import { buildProgram, type CommandResult, processIo } from './cli/index.js';
import { RefresherError } from './errors.js';

const io = processIo();

async function onResult(result: CommandResult): Promise<void> {
  if ('exitCode' in result) {
    process.exitCode = result.exitCode;
    return;
  }
  const { running, close } = result;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    io.err.write(`\n${signal}: stopping\n`);
    await running.stop();
    await close?.();
    process.exit(0);
  };
  // `on`, not `once`: a terminal's Ctrl-C reaches both the bin wrapper and us, and a second
  // signal must not kill the process before the token file is flushed.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await running.started;
  // The server keeps the event loop alive; without one, hold it open ourselves.
  if (!running.server) setInterval(() => {}, 1 << 30);
}

try {
  await buildProgram(io, onResult).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    const message =
      error instanceof RefresherError
        ? `${error.code}: ${error.message}`
        : String((error as Error)?.stack ?? error);
    io.err.write(`wechat-refresher: ${message}\n`);
    process.exitCode = 1;
  }
}
