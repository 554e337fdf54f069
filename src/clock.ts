/**
 * The one source of time. Every timer and every "now" in the runtime and the fake goes through a
 * `Clock`, so tests drive everything with xstate's `SimulatedClock` (DESIGN.md "Actor model rules").
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(fn: (...args: any[]) => void, timeoutMs: number): any;
  clearTimeout(id: any): void;
}

/** Node's timers can hold at most 2^31-1 ms; a larger delay fires after ~1 ms (spec/stack.md §1). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Wall-clock time and Node's timers. Timers are unref'd so an idle refresher never holds the process open. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, timeoutMs) => {
    const handle = setTimeout(fn, Math.min(Math.max(0, timeoutMs), MAX_TIMER_DELAY_MS));
    handle.unref?.();
    return handle;
  },
  clearTimeout: (id) => clearTimeout(id),
};

/** Unix seconds (WeChat's and the seed's unit for `expired_time`). */
export function nowSec(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}

/** Resolves after `ms` on the given clock (a SimulatedClock resolves it when advanced). */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
