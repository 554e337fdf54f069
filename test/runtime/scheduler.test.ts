import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { type Clock, MAX_TIMER_DELAY_MS } from '../../src/clock.js';
import { type ScheduledEntry, Scheduler } from '../../src/runtime/scheduler.js';

const START_MS = 1_700_000_000_000;

/** A SimulatedClock that also tells which timers are pending and what delays were asked for. */
class WatchedClock implements Clock {
  readonly inner = new SimulatedClock();
  readonly pending = new Set<unknown>();
  readonly delays: number[] = [];

  constructor() {
    this.inner.set(START_MS);
  }

  now(): number {
    return this.inner.now();
  }

  setTimeout(fn: () => void, timeoutMs: number): unknown {
    this.delays.push(timeoutMs);
    const id = this.inner.setTimeout(() => {
      this.pending.delete(id);
      fn();
    }, timeoutMs);
    this.pending.add(id);
    return id;
  }

  clearTimeout(id: unknown): void {
    this.pending.delete(id);
    this.inner.clearTimeout(id as number);
  }

  increment(ms: number): void {
    this.inner.increment(ms);
  }

  set(ms: number): void {
    this.inner.set(ms);
  }
}

function setup<T = string>() {
  const clock = new WatchedClock();
  const fired: T[] = [];
  const scheduler = new Scheduler<T>(clock, (payload) => fired.push(payload));
  return { clock, fired, scheduler };
}

/** A deterministic pseudo-random sequence (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Scheduler', () => {
  it('fires entries in due order, each when the clock reaches it', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('c', START_MS + 300);
    scheduler.schedule('a', START_MS + 100);
    scheduler.schedule('b', START_MS + 200);
    clock.increment(99);
    expect(fired).toEqual([]);
    clock.increment(1);
    expect(fired).toEqual(['a']);
    clock.increment(100);
    expect(fired).toEqual(['a', 'b']);
    clock.increment(100);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(scheduler.size).toBe(0);
  });

  it('fires every entry already due in due order when the clock jumps past them', () => {
    const { clock, fired, scheduler } = setup();
    for (const [p, at] of [
      ['d', 400],
      ['b', 200],
      ['a', 100],
      ['c', 300],
    ] as const) {
      scheduler.schedule(p, START_MS + at);
    }
    clock.set(START_MS + 10_000);
    expect(fired).toEqual(['a', 'b', 'c', 'd']);
  });

  it('holds a single clock timer, for the earliest entry', () => {
    const { clock, scheduler } = setup();
    for (let i = 10; i > 0; i--) scheduler.schedule(`e${i}`, START_MS + i * 1000);
    expect(clock.pending.size).toBe(1);
    expect(clock.delays.at(-1)).toBe(1000);
    expect(scheduler.peekDueMs()).toBe(START_MS + 1000);
  });

  it('does not fire a cancelled entry, and cancelling twice or after firing is a no-op', () => {
    const { clock, fired, scheduler } = setup();
    const a = scheduler.schedule('a', START_MS + 100);
    const b = scheduler.schedule('b', START_MS + 200);
    scheduler.cancel(a);
    scheduler.cancel(a);
    scheduler.cancel(undefined);
    expect(scheduler.size).toBe(1);
    clock.increment(1000);
    expect(fired).toEqual(['b']);
    scheduler.cancel(b);
    expect(scheduler.size).toBe(0);
    expect(a.index).toBe(-1);
    expect(b.index).toBe(-1);
  });

  it('releases the clock timer when the last entry is cancelled', () => {
    const { clock, scheduler } = setup();
    const a = scheduler.schedule('a', START_MS + 100);
    expect(clock.pending.size).toBe(1);
    scheduler.cancel(a);
    expect(clock.pending.size).toBe(0);
    expect(scheduler.peekDueMs()).toBeUndefined();
  });

  it('re-arms the single clock timer when the earliest entry is re-scheduled earlier', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('other', START_MS + 5000);
    const e = scheduler.schedule('x', START_MS + 3000);
    scheduler.cancel(e);
    scheduler.schedule('x', START_MS + 1000);
    expect(clock.pending.size).toBe(1);
    expect(clock.delays.at(-1)).toBe(1000);
    clock.increment(1000);
    expect(fired).toEqual(['x']);
  });

  it('re-arms the single clock timer when the earliest entry is re-scheduled later', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('other', START_MS + 5000);
    const e = scheduler.schedule('x', START_MS + 1000);
    scheduler.cancel(e);
    scheduler.schedule('x', START_MS + 9000);
    expect(clock.pending.size).toBe(1);
    expect(clock.delays.at(-1)).toBe(5000);
    clock.increment(1000);
    expect(fired).toEqual([]);
    clock.increment(4000);
    expect(fired).toEqual(['other']);
    clock.increment(4000);
    expect(fired).toEqual(['other', 'x']);
  });

  it('fires every entry due at the same instant', () => {
    const { clock, fired, scheduler } = setup();
    for (const p of ['a', 'b', 'c', 'd', 'e']) scheduler.schedule(p, START_MS + 500);
    scheduler.schedule('later', START_MS + 501);
    clock.increment(500);
    expect([...fired].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(scheduler.size).toBe(1);
    expect(clock.pending.size).toBe(1);
  });

  it('never asks the clock for more than 2^31-1 ms, and does not fire a far entry early', () => {
    const { clock, fired, scheduler } = setup();
    const farMs = 30 * 24 * 3600 * 1000; // 30 days > 2^31-1 ms (24.8 days)
    scheduler.schedule('far', START_MS + farMs);
    expect(clock.delays.every((d) => d <= MAX_TIMER_DELAY_MS)).toBe(true);
    clock.increment(MAX_TIMER_DELAY_MS);
    expect(fired).toEqual([]);
    expect(clock.pending.size).toBe(1);
    clock.increment(farMs - MAX_TIMER_DELAY_MS - 1);
    expect(fired).toEqual([]);
    clock.increment(1);
    expect(fired).toEqual(['far']);
    expect(clock.delays.every((d) => d <= MAX_TIMER_DELAY_MS)).toBe(true);
  });

  it('arms a zero delay for an entry already past due, and fires it on the next tick of the clock', () => {
    const { clock, fired, scheduler } = setup();
    scheduler.schedule('late', START_MS - 5000);
    expect(clock.delays.at(-1)).toBe(0);
    expect(fired).toEqual([]);
    clock.increment(0);
    expect(fired).toEqual(['late']);
  });

  it('fires an entry scheduled from a callback for an instant already reached, in the same pass', () => {
    const clock = new WatchedClock();
    const fired: string[] = [];
    const scheduler: Scheduler<string> = new Scheduler<string>(clock, (p) => {
      fired.push(p);
      if (p === 'first') scheduler.schedule('follow-up', START_MS + 100);
      if (p === 'follow-up') scheduler.schedule('next', START_MS + 1000);
    });
    scheduler.schedule('first', START_MS + 100);
    clock.increment(100);
    expect(fired).toEqual(['first', 'follow-up']);
    expect(scheduler.peekDueMs()).toBe(START_MS + 1000);
    expect(clock.pending.size).toBe(1);
    clock.increment(900);
    expect(fired).toEqual(['first', 'follow-up', 'next']);
  });

  it('does not fire an entry that an earlier callback cancelled in the same pass', () => {
    const clock = new WatchedClock();
    const fired: string[] = [];
    let victim: ScheduledEntry<string> | undefined;
    const scheduler: Scheduler<string> = new Scheduler<string>(clock, (p) => {
      fired.push(p);
      if (p === 'killer') scheduler.cancel(victim);
    });
    scheduler.schedule('killer', START_MS + 100);
    victim = scheduler.schedule('victim', START_MS + 200);
    clock.increment(1000);
    expect(fired).toEqual(['killer']);
    expect(scheduler.size).toBe(0);
  });

  it('clear() cancels everything and releases the clock timer; it can schedule again after', () => {
    const { clock, fired, scheduler } = setup();
    const entries = ['a', 'b', 'c'].map((p, i) => scheduler.schedule(p, START_MS + (i + 1) * 100));
    scheduler.clear();
    expect(scheduler.size).toBe(0);
    expect(scheduler.peekDueMs()).toBeUndefined();
    expect(clock.pending.size).toBe(0);
    expect(entries.map((e) => e.index)).toEqual([-1, -1, -1]);
    scheduler.cancel(entries[1]);
    clock.increment(1000);
    expect(fired).toEqual([]);
    scheduler.schedule('d', clock.now() + 10);
    clock.increment(10);
    expect(fired).toEqual(['d']);
  });

  it('counts scheduled entries in size', () => {
    const { scheduler } = setup();
    expect(scheduler.size).toBe(0);
    const a = scheduler.schedule('a', START_MS + 1);
    scheduler.schedule('b', START_MS + 2);
    expect(scheduler.size).toBe(2);
    scheduler.cancel(a);
    expect(scheduler.size).toBe(1);
  });

  it('fires exactly the entries not cancelled, in due order, after many cancels from the middle', () => {
    const { clock, fired, scheduler } = setup<number>();
    const random = rng(7);
    const entries = Array.from({ length: 2000 }, (_, i) =>
      scheduler.schedule(i, START_MS + 1 + Math.floor(random() * 100_000)),
    );
    const kept = new Set<number>();
    for (const e of entries) {
      if (random() < 0.5) scheduler.cancel(e);
      else kept.add(e.payload);
    }
    expect(scheduler.size).toBe(kept.size);
    clock.increment(100_001);
    expect(new Set(fired)).toEqual(kept);
    expect(fired).toHaveLength(kept.size);
    const dues = fired.map((i) => entries[i].dueMs);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it('schedules and cancels 100,000 entries', () => {
    const { clock, scheduler } = setup<number>();
    const random = rng(42);
    const entries = Array.from({ length: 100_000 }, (_, i) =>
      scheduler.schedule(i, START_MS + 1000 + Math.floor(random() * 86_400_000)),
    );
    expect(scheduler.size).toBe(100_000);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    for (const e of entries) scheduler.cancel(e);
    expect(scheduler.size).toBe(0);
    expect(clock.pending.size).toBe(0);
  });
});
