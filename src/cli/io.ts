/**
 * What a CLI command may touch: its output streams, environment and folder. Tests pass their own.
 */
import type { ProgressStream } from './progress.js';

export interface CliIo {
  /** Standard output: results. */
  out(text: string): void;
  /** Standard error: progress and messages. */
  err: ProgressStream;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The real process's streams, environment and folder. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  };
}
