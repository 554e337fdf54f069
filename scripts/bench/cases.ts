/**
 * One benchmark case per process (clean heap): `ours` (the refresher restoring N clients from a warm
 * store; fresh clients start dormant, lazyActors 'auto'), `eager` (the same with every actor live),
 * `floor` (N bare XState actors created and started) and `limit` (a plain Map plus one timer
 * per key doing the same restore). Prints one JSON line. Run through scripts/bench.ts.
 */
import Keyv from 'keyv';
import { createActor, createMachine, SimulatedClock } from 'xstate';
import { createRefresher } from '../../src/index.js';

const [caseName, nArg] = process.argv.slice(2);
const N = Number(nArg);
const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
const EXPIRES = T0 / 1000 + 7000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

/** A token-like string of WeChat's usual length (~140 chars), unique per app. */
function token(i: number): string {
  return `${i}_${'x'.repeat(136 - String(i).length)}`;
}

async function warmStore(): Promise<Keyv> {
  const store = new Keyv();
  const entries = [];
  for (let i = 0; i < N; i++) {
    entries.push({ key: `wx${i}:access_token`, value: { value: token(i), expired_time: EXPIRES } });
  }
  await store.setMany(entries);
  return store;
}

/** Nanoseconds per getToken over random keys. */
function readCost(read: (i: number) => string | undefined): number {
  const reads = 2_000_000;
  const ids = new Uint32Array(4096).map(() => Math.floor(Math.random() * N));
  let hits = 0;
  for (let i = 0; i < 100_000; i++) if (read(ids[i & 4095])) hits++;
  const start = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) if (read(ids[i & 4095])) hits++;
  const ns = Number(process.hrtime.bigint() - start) / reads;
  if (hits === 0) throw new Error('no token read');
  return ns;
}

async function ours(lazyActors: boolean | 'auto' = 'auto') {
  const store = await warmStore();
  const clock = new SimulatedClock();
  clock.set(T0);
  const clients = Array.from({ length: N }, (_, i) => ({
    kind: 'mini_program' as const,
    appid: `wx${i}`,
    secret: 's',
  }));
  const noFetch: typeof fetch = async () => {
    throw new Error('a warm store needs no call');
  };
  const appids = clients.map((c) => c.appid);
  const before = heapUsed();
  const start = performance.now();
  const refresher = createRefresher({ clients, store, clock, fetch: noFetch, lazyActors });
  await refresher.ready;
  const readyMs = performance.now() - start;
  const heap = heapUsed() - before;
  const getTokenNs = readCost((i) => refresher.getToken(appids[i], 'access_token'));
  const removeStart = performance.now();
  await Promise.all(appids.map((a) => refresher.remove(a)));
  const removeMs = performance.now() - removeStart;
  if (refresher.clients().length !== 0) throw new Error('clients left after remove');
  await refresher.stop();
  return { readyMs, heapBytes: heap, getTokenNs, removeMs };
}

async function floor() {
  const machine = createMachine({
    id: 'bare',
    initial: 'idle',
    context: { n: 0 },
    states: { idle: { on: { GO: 'busy' } }, busy: {} },
  });
  const clock = new SimulatedClock();
  const before = heapUsed();
  const start = performance.now();
  const actors = [];
  for (let i = 0; i < N; i++) actors.push(createActor(machine, { clock }).start());
  const readyMs = performance.now() - start;
  const heap = heapUsed() - before;
  if (actors.length !== N) throw new Error('lost actors');
  return { readyMs, heapBytes: heap };
}

async function limit() {
  const store = await warmStore();
  const before = heapUsed();
  const start = performance.now();
  const rows = await store.getMany(Array.from({ length: N }, (_, i) => `wx${i}:access_token`));
  const map = new Map<string, { value: string; expired_time: number }>();
  const timers: NodeJS.Timeout[] = [];
  rows.forEach((row, i) => {
    const r = row as { value: string; expired_time: number };
    map.set(`wx${i}`, r);
    const t = setTimeout(() => {}, (r.expired_time - 1800) * 1000 - T0);
    t.unref();
    timers.push(t);
  });
  const readyMs = performance.now() - start;
  const heap = heapUsed() - before;
  const getTokenNs = readCost((i) => map.get(`wx${i}`)?.value);
  for (const t of timers) clearTimeout(t);
  return { readyMs, heapBytes: heap, getTokenNs };
}

const cases = { ours: () => ours(), eager: () => ours(false), floor, limit } as const;
const run = cases[caseName as keyof typeof cases];
if (!run || !Number.isInteger(N) || N <= 0) throw new Error('usage: cases.ts <ours|floor|limit> <N>');
const result = await run();
console.log(JSON.stringify({ case: caseName, n: N, ...result }));
process.exit(0);
