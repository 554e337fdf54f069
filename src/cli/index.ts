/**
 * The CLI's room: the program, its commands and the file store. Only `src/cli.ts` runs it.
 */
export type { CliConfig } from './config-file.js';
export { checkCliConfig, loadCliConfig } from './config-file.js';
export type { DemoFixture, DemoOptions, DemoUpstream } from './demo.js';
export { DEFAULT_DEMO_OPTIONS, demoFixture, startDemoUpstream } from './demo.js';
export type { FileStoreOptions } from './file-store.js';
export {
  createFileStore,
  DEFAULT_FILE_STORE_OPTIONS,
  FileStoreAdapter,
  resolveFileStoreOptions,
} from './file-store.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export type { CommandResult } from './program.js';
export { buildProgram } from './program.js';
export { ProgressBar } from './progress.js';
export type { ExitCode, RemoteOptions } from './remote.js';
export { controlCommand, formatClient, statusCommand } from './remote.js';
export type { Running, RunOptions } from './run-refresher.js';
export { runRefresher } from './run-refresher.js';
export type { ServerFile } from './server-file.js';
export { DEFAULT_CLI_DIR, readServerFile, removeServerFile, writeServerFile } from './server-file.js';
