/**
 * Turning what a refresh function returned or threw into what the machine and the events see:
 * validated values, and a FailureSummary with no secret or token in it.
 */
import type { FailureSummary } from '../../machines/client.js';
import { errorKindOf, RefresherError, WeChatApiError } from '../errors.js';
import type { RefreshResult } from '../types.js';

export interface RefreshedValue {
  storeKey: string;
  value: string;
  expiresIn: number;
}

const MAX_MESSAGE = 300;

function validValue(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

function validExpiresIn(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** The values a result carries, the first being the option's own key; throws on a malformed result. */
export function valuesOf(
  result: RefreshResult,
  storeKey: string,
): { values: RefreshedValue[]; expiresIn: number } {
  const r = result as Partial<{ value: unknown; values: unknown; expiresIn: unknown }> | null;
  if (r && Array.isArray(r.values) && validExpiresIn(r.expiresIn)) {
    const values = r.values as RefreshedValue[];
    if (values.every((v) => validValue(v?.value) && validExpiresIn(v.expiresIn) && validValue(v.storeKey))) {
      return { values, expiresIn: r.expiresIn };
    }
  } else if (r && validValue(r.value) && validExpiresIn(r.expiresIn)) {
    return { values: [{ storeKey, value: r.value, expiresIn: r.expiresIn }], expiresIn: r.expiresIn };
  }
  throw new RefresherError(
    'WR_ERR_REFRESH_RESULT',
    `refresh of ${storeKey} returned no usable value (need a non-empty value and expiresIn > 0)`,
  );
}

/** A failure as the machine and events carry it. Unknown throwables are transient. */
export function summarize(error: unknown): FailureSummary {
  const kind = errorKindOf(error);
  const code = error instanceof RefresherError ? error.code : 'WR_ERR_REFRESH_FAILED';
  const raw = error instanceof Error ? error.message : String(error);
  const summary: FailureSummary = { code, kind, message: raw.slice(0, MAX_MESSAGE) };
  if (error instanceof WeChatApiError && error.errcode !== undefined) summary.errcode = error.errcode;
  return summary;
}

/** Daily quotas reset at 00:00 Asia/Shanghai (UTC+8; spec/wechat-api.md §1.3). */
export function nextQuotaResetSec(nowMs: number): number {
  const offsetMs = 8 * 3600_000;
  const dayMs = 86_400_000;
  const startOfDay = Math.floor((nowMs + offsetMs) / dayMs) * dayMs - offsetMs;
  return (startOfDay + dayMs) / 1000;
}
