/**
 * `npm run bench`: start-up cost of the refresher against two baselines measured in the same run,
 * printed as JSON (medians of 3 runs, each case in a fresh process for a clean heap):
 * - floor: creating and starting N bare XState actors;
 * - limit: a plain Map plus one timer per key doing the same restore from the warm store;
 * - ours:  createRefresher with N mini programs restored from a warm keyv store, then `await ready`
 *          (fresh clients start dormant: lazyActors 'auto');
 * - eager: the same with lazyActors false, every actor live.
 * Targets (issue #2): ready within 1.5x the floor, ≤ 3 KB heap per client beyond token strings,
 * getToken under 200 ns, removing N clients in linear time.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const casesFile = fileURLToPath(new URL('./bench/cases.ts', import.meta.url));
/** Length + header of one ~140-char one-byte token string in V8, as the cases build them. */
const TOKEN_STRING_BYTES = 137 + 16;

type Row = Record<string, number>;

function runCase(name: string, n: number): Row {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', casesFile, name, String(n)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function medians(rows: Row[]): Row {
  const out: Row = {};
  for (const key of Object.keys(rows[0])) {
    if (typeof rows[0][key] === 'number') out[key] = Math.round(median(rows.map((r) => r[key])) * 100) / 100;
  }
  return out;
}

const report: Record<string, unknown> = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length, runs },
  sizes: {},
};
for (const n of sizes) {
  const samples: Record<string, Row[]> = { floor: [], limit: [], ours: [], eager: [] };
  // Interleaved, so background noise hits every case alike.
  for (let r = 0; r < runs; r++)
    for (const name of Object.keys(samples)) samples[name].push(runCase(name, n));
  const floor = medians(samples.floor);
  const limit = medians(samples.limit);
  const ours = medians(samples.ours);
  const eager = medians(samples.eager);
  const heapPerClient = (ours.heapBytes - n * TOKEN_STRING_BYTES) / n;
  (report.sizes as Record<string, unknown>)[n] = {
    floor,
    limit,
    ours,
    eager,
    ratios: {
      eagerReadyVsFloor: Math.round((eager.readyMs / floor.readyMs) * 100) / 100,
      eagerHeapPerClientBeyondTokens: Math.round((eager.heapBytes - n * TOKEN_STRING_BYTES) / n),
      readyVsFloor: Math.round((ours.readyMs / floor.readyMs) * 100) / 100,
      readyVsLimit: Math.round((ours.readyMs / limit.readyMs) * 100) / 100,
      heapVsFloor: Math.round((ours.heapBytes / floor.heapBytes) * 100) / 100,
    },
    perClient: {
      heapBytesBeyondTokens: Math.round(heapPerClient),
      floorHeapBytes: Math.round(floor.heapBytes / n),
      removeUs: Math.round((ours.removeMs * 1000) / n),
    },
    targets: {
      readyWithin1_5xFloor: ours.readyMs <= 1.5 * floor.readyMs,
      heapAtMost3KB: heapPerClient <= 3 * 1024,
      getTokenUnder200ns: ours.getTokenNs < 200,
    },
  };
}
const measured = report.sizes as Record<string, { ours: Row }>;
if (sizes.length >= 2) {
  const [a, b] = sizes;
  // Linear removal: time per client stays flat as N grows.
  report.removeScaling = {
    perClientUsRatio:
      Math.round((measured[b].ours.removeMs / b / (measured[a].ours.removeMs / a)) * 100) / 100,
  };
}
console.log(JSON.stringify(report, null, 2));
