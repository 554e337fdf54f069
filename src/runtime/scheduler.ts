/**
 * One timer for the whole refresher: an indexed min-heap of due instants on the injected clock.
 * XState delayed transitions per client cost O(N) per actor stop at scale (DESIGN.md), so clients
 * get `DUE` events from here instead. schedule/cancel are O(log N); only the earliest entry holds a
 * clock timer.
 */
import { type Clock, MAX_TIMER_DELAY_MS } from '../clock.js';

/** A scheduled entry; keep the handle to cancel or replace it. */
export interface ScheduledEntry<T> {
  readonly payload: T;
  /** A number kept with the payload (a key index), saving an object per entry. */
  readonly tag: number;
  dueMs: number;
  /** Position in the heap; -1 once fired or cancelled. */
  index: number;
}

export class Scheduler<T> {
  readonly #clock: Clock;
  readonly #onDue: (payload: T, tag: number) => void;
  readonly #heap: ScheduledEntry<T>[] = [];
  #timer: unknown = undefined;
  #timerDueMs = Infinity;
  #firing = false;

  constructor(clock: Clock, onDue: (payload: T, tag: number) => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  get size(): number {
    return this.#heap.length;
  }

  /** The earliest due instant, or undefined when nothing is scheduled. */
  peekDueMs(): number | undefined {
    return this.#heap[0]?.dueMs;
  }

  schedule(payload: T, dueMs: number, tag = 0): ScheduledEntry<T> {
    const entry: ScheduledEntry<T> = { payload, tag, dueMs, index: this.#heap.length };
    this.#heap.push(entry);
    this.#up(entry.index);
    this.#arm();
    return entry;
  }

  /** Removes an entry; a no-op for one that already fired or was cancelled. */
  cancel(entry: ScheduledEntry<T> | undefined): void {
    if (!entry || entry.index < 0) return;
    const i = entry.index;
    const last = this.#heap.pop()!;
    entry.index = -1;
    if (last !== entry) {
      this.#heap[i] = last;
      last.index = i;
      this.#down(i);
      this.#up(last.index);
    }
    this.#arm();
  }

  /** Cancels everything and releases the clock timer. */
  clear(): void {
    for (const e of this.#heap) e.index = -1;
    this.#heap.length = 0;
    this.#disarm();
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#timerDueMs = Infinity;
    this.#firing = true;
    try {
      const now = this.#clock.now();
      while (this.#heap.length > 0 && this.#heap[0].dueMs <= now) {
        const top = this.#heap[0];
        this.cancel(top);
        this.#onDue(top.payload, top.tag);
      }
    } finally {
      this.#firing = false;
      this.#arm();
    }
  };

  #arm(): void {
    if (this.#firing) return;
    const top = this.#heap[0];
    if (!top) {
      this.#disarm();
      return;
    }
    if (top.dueMs === this.#timerDueMs && this.#timer !== undefined) return;
    this.#disarm();
    // Node's timers overflow past 2^31-1 ms and fire at once; a far entry re-arms when this fires.
    const delay = Math.min(Math.max(0, top.dueMs - this.#clock.now()), MAX_TIMER_DELAY_MS);
    this.#timerDueMs = top.dueMs;
    this.#timer = this.#clock.setTimeout(this.#fire, delay);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerDueMs = Infinity;
  }

  #up(i: number): void {
    const heap = this.#heap;
    const entry = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].dueMs <= entry.dueMs) break;
      heap[i] = heap[parent];
      heap[i].index = i;
      i = parent;
    }
    heap[i] = entry;
    entry.index = i;
  }

  #down(i: number): void {
    const heap = this.#heap;
    const entry = heap[i];
    const n = heap.length;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1].dueMs < heap[child].dueMs) child++;
      if (heap[child].dueMs >= entry.dueMs) break;
      heap[i] = heap[child];
      heap[i].index = i;
      i = child;
    }
    heap[i] = entry;
    entry.index = i;
  }
}
