/**
 * Inspection without leaks: wraps the user's `inspect` observer so no secret or token value reaches
 * an inspector (DESIGN.md "Inspection and control"). Control events carry client configs (secrets)
 * and pushed tokens; machine contexts carry neither, but every payload is scrubbed all the same.
 */

/** Field names whose values are secrets or credentials wherever they appear. */
const SECRET_FIELDS = new Set([
  'secret',
  'appsecret',
  'corpsecret',
  'componentSecret',
  'component_appsecret',
  'value',
  'token',
  'ticket',
  'refreshToken',
  'access_token',
  'authorizer_refresh_token',
  'component_verify_ticket',
  'store',
]);

export const REDACTED = '[redacted]';

/** A deep copy with secret fields replaced; functions and class instances become their names. */
export function redact(input: unknown, depth = 0): unknown {
  if (input === null || typeof input !== 'object') return typeof input === 'function' ? '[function]' : input;
  if (depth > 8) return '[deep]';
  if (Array.isArray(input)) return input.map((v) => redact(v, depth + 1));
  const proto = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return `[${proto?.constructor?.name ?? 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) out[k] = SECRET_FIELDS.has(k) ? REDACTED : redact(v, depth + 1);
  return out;
}

type InspectionEvent = { type: string; event?: unknown; snapshot?: unknown; [k: string]: unknown };
type Observer = ((ev: InspectionEvent) => void) | { next?: (ev: InspectionEvent) => void };

/** Wraps an xstate inspect observer (function or `{ next }`) with {@link redact}. */
export function sanitizeInspector(inspect: unknown): unknown {
  if (inspect === undefined || inspect === null) return undefined;
  const target = inspect as Observer;
  const deliver = typeof target === 'function' ? target : target.next?.bind(target);
  if (!deliver) return undefined;
  return (ev: InspectionEvent) => {
    // Copy only what inspectors read; the actor refs stay (they hold no secret of ours).
    const clean: InspectionEvent = { ...ev };
    if ('event' in ev) clean.event = redact(ev.event);
    if ('snapshot' in ev && ev.snapshot && typeof ev.snapshot === 'object') {
      const snap = ev.snapshot as { context?: unknown };
      clean.snapshot = { ...snap, context: redact(snap.context) };
    }
    deliver(clean);
  };
}
