/**
 * Call counters per (owner, bucket) in minute, hour and day windows, plus the monthly clear_quota
 * budget. Days and months start at 00:00 in the configured UTC offset (spec/wechat-api.md §1.3: an
 * ASSUMPTION, Asia/Shanghai by default), so a test that jumps the clock past midnight sees the reset.
 */
import type { Clock } from '../clock.js';

/** A counting window. */
export type QuotaWindow = 'minute' | 'hour' | 'day';

/** Limits of one bucket; an absent window is unlimited. */
export interface QuotaLimits {
  perMinute?: number;
  hourly?: number;
  daily?: number;
}

interface Counter {
  windowId: number;
  count: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const WINDOWS: readonly QuotaWindow[] = ['minute', 'hour', 'day'];

/** Daily, hourly and per-minute counters for every owner and bucket the fake tracks. */
export class QuotaCounters {
  /** owner → `${bucket}|${window}` → counter. Nested so clearing one owner's day is cheap. */
  private readonly counters = new Map<string, Map<string, Counter>>();
  private readonly clears = new Map<string, Counter>();

  constructor(
    private readonly clock: Clock,
    private readonly utcOffsetMinutes: number,
  ) {}

  /** Counts one call in every window of the bucket. */
  count(owner: string, bucket: string): void {
    let perOwner = this.counters.get(owner);
    if (perOwner === undefined) {
      perOwner = new Map();
      this.counters.set(owner, perOwner);
    }
    for (const window of WINDOWS) {
      const key = `${bucket}|${window}`;
      const windowId = this.windowId(window);
      const counter = perOwner.get(key);
      if (counter === undefined || counter.windowId !== windowId) perOwner.set(key, { windowId, count: 1 });
      else counter.count += 1;
    }
  }

  /** Calls counted in the current window. */
  used(owner: string, bucket: string, window: QuotaWindow): number {
    const counter = this.counters.get(owner)?.get(`${bucket}|${window}`);
    return counter !== undefined && counter.windowId === this.windowId(window) ? counter.count : 0;
  }

  /** The window whose limit is exceeded, if any (`used > limit`: the call that crosses it fails). */
  exceeded(owner: string, bucket: string, limits: QuotaLimits): QuotaWindow | undefined {
    if (limits.perMinute !== undefined && this.used(owner, bucket, 'minute') > limits.perMinute)
      return 'minute';
    if (limits.hourly !== undefined && this.used(owner, bucket, 'hour') > limits.hourly) return 'hour';
    if (limits.daily !== undefined && this.used(owner, bucket, 'day') > limits.daily) return 'day';
    return undefined;
  }

  /** Zeroes the owner's daily counters, except buckets in `keep` (clear_quota, spec §1.3). */
  clearDaily(owner: string, keep: readonly string[] = []): void {
    const perOwner = this.counters.get(owner);
    if (perOwner === undefined) return;
    for (const key of [...perOwner.keys()]) {
      const [bucket, window] = key.split('|');
      if (window === 'day' && !keep.includes(bucket)) perOwner.delete(key);
    }
  }

  /** clear_quota calls this calendar month. */
  clearsThisMonth(owner: string): number {
    const counter = this.clears.get(owner);
    return counter !== undefined && counter.windowId === this.monthId() ? counter.count : 0;
  }

  /** Counts one clear_quota call against the monthly budget. */
  countClear(owner: string): void {
    const monthId = this.monthId();
    const counter = this.clears.get(owner);
    if (counter === undefined || counter.windowId !== monthId)
      this.clears.set(owner, { windowId: monthId, count: 1 });
    else counter.count += 1;
  }

  /** The id of the current window: minutes from the epoch, hours and days in the configured zone. */
  windowId(window: QuotaWindow): number {
    const now = this.clock.now();
    if (window === 'minute') return Math.floor(now / MINUTE_MS);
    if (window === 'hour') return Math.floor((now + this.utcOffsetMinutes * MINUTE_MS) / HOUR_MS);
    return Math.floor((now + this.utcOffsetMinutes * MINUTE_MS) / DAY_MS);
  }

  private monthId(): number {
    const local = new Date(this.clock.now() + this.utcOffsetMinutes * MINUTE_MS);
    return local.getUTCFullYear() * 12 + local.getUTCMonth();
  }
}
