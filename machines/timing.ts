/**
 * When a key is refreshed next: pure functions of expiry, settings and failure history
 * (API.md "Timing", DESIGN.md "Errors"). All inputs and outputs are in seconds except where named Ms.
 */

/** Settings a machine needs, in seconds. */
export interface TimingSettings {
  refreshBeforeExpiredSec: number;
  refreshRetryIntervalSec: number;
}

/**
 * A refresh is due at `atSec` (unix s) but never sooner than `minDelaySec` from the moment it is
 * scheduled. The scheduler resolves it against its clock, so the machine needs no "now" for it.
 */
export interface SchedulePlan {
  atSec: number;
  minDelaySec: number;
}

export type FailureKind = 'transient' | 'token_invalid' | 'quota' | 'configuration';

/** The longest back-off of a configuration error: it needs a person, but we still look hourly. */
export const MAX_CONFIG_BACKOFF_SEC = 3600;

/** After a success with expiry E: max(E - refreshBeforeExpired - now, refreshRetryInterval). */
export function planAfterSuccess(expiresAtSec: number, s: TimingSettings): SchedulePlan {
  return { atSec: expiresAtSec - s.refreshBeforeExpiredSec, minDelaySec: s.refreshRetryIntervalSec };
}

/** A restored key with L seconds left refreshes after max(L - refreshBeforeExpired, 0). */
export function planAfterRestore(expiresAtSec: number, s: TimingSettings): SchedulePlan {
  return { atSec: expiresAtSec - s.refreshBeforeExpiredSec, minDelaySec: 0 };
}

/** Whether a key with this expiry must be refreshed now rather than scheduled (missing = 0). */
export function isDueNow(expiresAtSec: number, nowSec: number, s: TimingSettings): boolean {
  return expiresAtSec <= nowSec || expiresAtSec - s.refreshBeforeExpiredSec <= nowSec;
}

/**
 * After the `failures`-th failure in a row: transient and token errors retry after the interval;
 * quota waits for the reset (`retryAtSec`); configuration errors double up to an hour, since
 * retrying a wrong secret every minute only burns quota.
 */
export function planAfterFailure(
  kind: FailureKind,
  failures: number,
  s: TimingSettings,
  retryAtSec = 0,
): SchedulePlan {
  const base = s.refreshRetryIntervalSec;
  if (kind === 'quota') return { atSec: retryAtSec, minDelaySec: base };
  if (kind === 'configuration') {
    const cap = Math.max(MAX_CONFIG_BACKOFF_SEC, base);
    return { atSec: 0, minDelaySec: Math.min(base * 2 ** Math.max(0, failures - 1), cap) };
  }
  return { atSec: 0, minDelaySec: base };
}

/** The instant (ms) a plan comes due, seen from `nowMs`. */
export function resolveDueMs(plan: SchedulePlan, nowMs: number): number {
  return Math.max(plan.atSec * 1000, nowMs + plan.minDelaySec * 1000);
}
