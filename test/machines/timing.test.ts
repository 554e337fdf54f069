import { describe, expect, it } from 'vitest';
import {
  isDueNow,
  MAX_CONFIG_BACKOFF_SEC,
  planAfterFailure,
  planAfterRestore,
  planAfterSuccess,
  resolveDueMs,
  type TimingSettings,
} from '../../machines/timing.js';

/** The seed's defaults (seed §4): refresh 1800 s before expiry, retry every 60 s. */
const DEFAULTS: TimingSettings = { refreshBeforeExpiredSec: 1800, refreshRetryIntervalSec: 60 };
const NOW_SEC = 1_700_000_000;
const NOW_MS = NOW_SEC * 1000;

/** Seconds from now until a plan made now comes due. */
const dueInSec = (plan: Parameters<typeof resolveDueMs>[0], nowMs = NOW_MS) =>
  (resolveDueMs(plan, nowMs) - nowMs) / 1000;

describe('planAfterSuccess', () => {
  it('schedules a token with expires_in 7200 and refreshBeforeExpired 1800 in 5400 s', () => {
    expect(dueInSec(planAfterSuccess(NOW_SEC + 7200, DEFAULTS))).toBe(5400);
  });

  it('schedules a token living less than refreshBeforeExpired after the retry interval (60 s)', () => {
    expect(dueInSec(planAfterSuccess(NOW_SEC + 1000, DEFAULTS))).toBe(60);
  });

  it('never schedules sooner than the retry interval, even when the lead time leaves a few seconds', () => {
    expect(dueInSec(planAfterSuccess(NOW_SEC + 1830, DEFAULTS))).toBe(60);
    expect(dueInSec(planAfterSuccess(NOW_SEC + 1861, DEFAULTS))).toBe(61);
  });

  it('uses the client settings it is given', () => {
    const s = { refreshBeforeExpiredSec: 600, refreshRetryIntervalSec: 5 };
    expect(dueInSec(planAfterSuccess(NOW_SEC + 7200, s))).toBe(6600);
    expect(dueInSec(planAfterSuccess(NOW_SEC + 300, s))).toBe(5);
  });

  it('plans an absolute instant: the same plan resolved later comes due at the same time', () => {
    const plan = planAfterSuccess(NOW_SEC + 7200, DEFAULTS);
    expect(resolveDueMs(plan, NOW_MS + 1000_000)).toBe((NOW_SEC + 5400) * 1000);
  });
});

describe('planAfterRestore', () => {
  it('refreshes a restored token with 3000 s left after 1200 s, without an HTTP call now', () => {
    expect(isDueNow(NOW_SEC + 3000, NOW_SEC, DEFAULTS)).toBe(false);
    expect(dueInSec(planAfterRestore(NOW_SEC + 3000, DEFAULTS))).toBe(1200);
  });

  it('makes a restored token with 100 s left due now', () => {
    expect(isDueNow(NOW_SEC + 100, NOW_SEC, DEFAULTS)).toBe(true);
    expect(resolveDueMs(planAfterRestore(NOW_SEC + 100, DEFAULTS), NOW_MS)).toBe(NOW_MS);
  });

  it('has no minimum delay: a restore is not a failure, so it does not wait the retry interval', () => {
    expect(planAfterRestore(NOW_SEC + 1801, DEFAULTS)).toEqual({ atSec: NOW_SEC + 1, minDelaySec: 0 });
    expect(dueInSec(planAfterRestore(NOW_SEC + 1801, DEFAULTS))).toBe(1);
  });
});

describe('isDueNow', () => {
  it('is true for a missing key (expiry 0)', () => {
    expect(isDueNow(0, NOW_SEC, DEFAULTS)).toBe(true);
  });

  it('is true for an expired key and for one expiring right now', () => {
    expect(isDueNow(NOW_SEC - 1, NOW_SEC, DEFAULTS)).toBe(true);
    expect(isDueNow(NOW_SEC, NOW_SEC, DEFAULTS)).toBe(true);
  });

  it('is true exactly at refreshBeforeExpired before expiry and false one second earlier', () => {
    expect(isDueNow(NOW_SEC + 1800, NOW_SEC, DEFAULTS)).toBe(true);
    expect(isDueNow(NOW_SEC + 1801, NOW_SEC, DEFAULTS)).toBe(false);
  });

  it('with refreshBeforeExpired 0 is due only once expired', () => {
    const s = { refreshBeforeExpiredSec: 0, refreshRetryIntervalSec: 60 };
    expect(isDueNow(NOW_SEC + 1, NOW_SEC, s)).toBe(false);
    expect(isDueNow(NOW_SEC, NOW_SEC, s)).toBe(true);
  });
});

describe('planAfterFailure', () => {
  it('retries a transient failure after the retry interval, whatever the count', () => {
    for (const failures of [1, 2, 10, 100]) {
      expect(dueInSec(planAfterFailure('transient', failures, DEFAULTS))).toBe(60);
    }
  });

  it('retries a token_invalid failure after the retry interval', () => {
    expect(dueInSec(planAfterFailure('token_invalid', 3, DEFAULTS))).toBe(60);
  });

  it('backs off a configuration error by doubling the retry interval per failure in a row', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => dueInSec(planAfterFailure('configuration', n, DEFAULTS)));
    expect(delays).toEqual([60, 120, 240, 480, 960, 1920]);
  });

  it('caps the configuration back-off at 3600 s', () => {
    expect(MAX_CONFIG_BACKOFF_SEC).toBe(3600);
    expect(dueInSec(planAfterFailure('configuration', 7, DEFAULTS))).toBe(3600);
    expect(dueInSec(planAfterFailure('configuration', 50, DEFAULTS))).toBe(3600);
    expect(dueInSec(planAfterFailure('configuration', 5000, DEFAULTS))).toBe(3600);
  });

  it('caps the configuration back-off at the retry interval when that is longer than an hour', () => {
    const s = { refreshBeforeExpiredSec: 1800, refreshRetryIntervalSec: 5000 };
    expect(dueInSec(planAfterFailure('configuration', 1, s))).toBe(5000);
    expect(dueInSec(planAfterFailure('configuration', 2, s))).toBe(5000);
  });

  it('treats a failure count of 0 as the first failure', () => {
    expect(dueInSec(planAfterFailure('configuration', 0, DEFAULTS))).toBe(60);
  });

  it('waits for retryAtSec on a quota error', () => {
    const resetSec = NOW_SEC + 8 * 3600;
    const plan = planAfterFailure('quota', 1, DEFAULTS, resetSec);
    expect(resolveDueMs(plan, NOW_MS)).toBe(resetSec * 1000);
  });

  it('still waits at least the retry interval on a quota error whose reset is imminent or unknown', () => {
    expect(dueInSec(planAfterFailure('quota', 1, DEFAULTS, NOW_SEC + 10))).toBe(60);
    expect(dueInSec(planAfterFailure('quota', 1, DEFAULTS))).toBe(60);
  });
});

describe('resolveDueMs', () => {
  it('is the plan instant when that is later than now plus the minimum delay', () => {
    expect(resolveDueMs({ atSec: NOW_SEC + 100, minDelaySec: 10 }, NOW_MS)).toBe((NOW_SEC + 100) * 1000);
  });

  it('is now plus the minimum delay when the plan instant is sooner or past', () => {
    expect(resolveDueMs({ atSec: NOW_SEC + 5, minDelaySec: 10 }, NOW_MS)).toBe(NOW_MS + 10_000);
    expect(resolveDueMs({ atSec: 0, minDelaySec: 10 }, NOW_MS)).toBe(NOW_MS + 10_000);
  });

  it('is now for a past plan with no minimum delay', () => {
    expect(resolveDueMs({ atSec: NOW_SEC - 3600, minDelaySec: 0 }, NOW_MS)).toBe(NOW_MS);
  });

  it('keeps the milliseconds of now', () => {
    expect(resolveDueMs({ atSec: 0, minDelaySec: 60 }, NOW_MS + 250)).toBe(NOW_MS + 60_250);
  });
});
