/**
 * The record of every call the fake received, for assertions ("exactly one /cgi-bin/token call").
 */

/** One received call. `at` is clock ms on arrival; the rest is filled in when it is answered. */
export interface FakeCall {
  host: 'api' | 'work';
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON when the body parses, the raw text otherwise, undefined when empty. */
  body: unknown;
  at: number;
  /** Every appid, component appid, authorizer appid or corpid the call names, directly or by token. */
  appids: string[];
  /** HTTP status of the answer (undefined while pending, or for reset and aborted calls). */
  status?: number;
  /** errcode of the answer (0 for success shapes without one). */
  errcode?: number;
  /** The fault that hit the call, if any (latency is recorded in `latencyMs`). */
  fault?: string;
  /** Injected latency waited before answering. */
  latencyMs?: number;
}

/** The call log, trimmed in batches when it passes its limit. */
export class CallLog {
  /** Live array: `fake.calls` hands out this very array. */
  readonly entries: FakeCall[] = [];

  constructor(private readonly limit: number) {}

  /** Appends a call. */
  record(call: FakeCall): void {
    this.entries.push(call);
    const batch = Math.max(1, Math.floor(this.limit / 10));
    if (this.entries.length >= this.limit + batch) this.entries.splice(0, this.entries.length - this.limit);
  }

  /** Calls to `path` (any path when undefined or '*'), optionally naming `appid`. */
  count(path?: string, appid?: string): number {
    let n = 0;
    for (const call of this.entries) {
      if (path !== undefined && path !== '*' && call.path !== path) continue;
      if (appid !== undefined && !call.appids.includes(appid)) continue;
      n += 1;
    }
    return n;
  }

  /** Empties the log (the array stays the same object). */
  clear(): void {
    this.entries.length = 0;
  }
}
