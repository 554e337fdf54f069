#!/usr/bin/env node
// `npm run build`: compiles src/ and machines/ to dist/ (JavaScript + declarations) for plain Node,
// then copies the dashboard's static files, which the server reads relative to its own module.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
cpSync(join(root, 'src', 'server', 'dashboard'), join(root, 'dist', 'src', 'server', 'dashboard'), {
  recursive: true,
});
