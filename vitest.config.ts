import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Redis-backed and browser suites share one server each; keep files from starving a 2-core box.
    maxWorkers: 2,
  },
});
