#!/usr/bin/env node
// The `wechat-refresher` bin: runs the built CLI (dist/, made by `npm run build` and on install),
// or src/cli.ts through tsx in a checkout without a build, forwarding arguments, stdio, signals
// and the exit code.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli.js');
// tsx (resolved from this package) also lets `start --config` load a .ts config file.
const args = [
  '--import',
  import.meta.resolve('tsx'),
  existsSync(built) ? built : join(root, 'src', 'cli.ts'),
];
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
