/**
 * The one handler both adapters call, so in-process and loopback answers are byte-identical: log
 * the call, decide its faults, wait on the clock, then answer from the route (spec §7.1, §7.3.1).
 */
import type { Clock } from '../clock.js';
import type { CallLog, FakeCall } from './call-log.js';
import { componentRoutes } from './component-routes.js';
import type { EnvelopeContext, FakeResponse } from './envelope.js';
import { errorResponse, htmlErrorResponse, malform, notFoundResponse } from './envelope.js';
import type { FakeState } from './fake-state.js';
import type { FaultDecision, FaultSet } from './faults.js';
import { mpRoutes } from './mp-routes.js';
import { quotaRoutes } from './quota-routes.js';
import type { FakeRequest } from './request.js';
import { jsonObject, loggedBody } from './request.js';
import type { Route, RouteCall } from './route-kit.js';
import { workRoutes } from './work-routes.js';

/** What the adapters do with a call: send a response, or drop the connection. */
export type HandleResult = { type: 'response'; response: FakeResponse } | { type: 'reset' };

/** Answers one request; rejects with `signal.reason` when the caller aborts while it waits. */
export type FakeHandler = (req: FakeRequest, signal?: AbortSignal | null) => Promise<HandleResult>;

const ROUTES: Readonly<Record<'api' | 'work', Readonly<Record<string, Route>>>> = {
  api: { ...mpRoutes, ...componentRoutes, ...quotaRoutes },
  work: workRoutes,
};

/**
 * Resolves after `ms` on the clock (never, for Infinity); rejects with the signal's reason on abort.
 * Zero waits resolve at once: a SimulatedClock would otherwise hold them until someone advances it.
 */
export function waitOnClock(clock: Clock, ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (ms <= 0) {
      resolve();
      return;
    }
    let timer: unknown;
    const onAbort = (): void => {
      if (timer !== undefined) clock.clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(ms)) {
      timer = clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
    }
  });
}

/** Every appid a call names, directly or through the owner of a token it carries (for faults and the log). */
function namedAppids(
  state: FakeState,
  req: FakeRequest,
  json: Record<string, unknown> | undefined,
): string[] {
  const ids = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value === 'string' && value !== '') ids.add(value);
  };
  add(req.query.appid);
  add(req.query.corpid);
  add(json?.appid);
  add(json?.component_appid);
  add(json?.authorizer_appid);
  for (const token of [req.query.access_token, req.query.component_access_token]) {
    const record = token ? state.tokens.get(token) : undefined;
    add(record?.owner);
    add(record?.componentAppid);
  }
  return [...ids];
}

/** Builds the shared handler over one fake's state, faults and call log. */
export function createHandler(state: FakeState, faults: FaultSet, log: CallLog): FakeHandler {
  const answer = (req: FakeRequest, json: Record<string, unknown> | undefined, decision: FaultDecision) => {
    const envelope = (): EnvelopeContext => ({
      host: req.host,
      nowMs: state.clock.now(),
      rng: state.ids,
      remoteIp: req.remoteIp,
    });
    const call: RouteCall = {
      state,
      req,
      json,
      fail: (errcode, errmsg) => errorResponse(envelope(), errcode, errmsg),
    };
    const serve = (): FakeResponse => ROUTES[req.host][req.path]?.(call) ?? notFoundResponse();
    const effect = decision.effect;
    switch (effect?.type) {
      case 'busy':
        return errorResponse(envelope(), -1);
      case 'errcode':
        return errorResponse(envelope(), effect.errcode, effect.errmsg, effect.asString === true);
      case 'http':
        return htmlErrorResponse(effect.status);
      case 'malformed':
        return malform(serve(), effect.variant ?? 'truncated');
      default:
        return serve();
    }
  };

  return async (req, signal) => {
    if (signal?.aborted) throw signal.reason;
    const json = jsonObject(req.body);
    const entry: FakeCall = {
      host: req.host,
      method: req.method,
      path: req.path,
      query: { ...req.query },
      body: loggedBody(req.body),
      at: state.clock.now(),
      appids: namedAppids(state, req, json),
    };
    log.record(entry);
    const decision = faults.decide({ host: req.host, path: req.path, appids: entry.appids });
    const effect = decision.effect;
    if (effect !== undefined) entry.fault = effect.type;
    if (decision.delayMs > 0) entry.latencyMs = decision.delayMs;
    if (effect?.type === 'hang') {
      await waitOnClock(
        state.clock,
        effect.ms === undefined ? Number.POSITIVE_INFINITY : decision.delayMs + effect.ms,
        signal,
      );
    } else {
      await waitOnClock(state.clock, decision.delayMs, signal);
    }
    if (effect?.type === 'reset') return { type: 'reset' };
    const response = answer(req, json, decision);
    entry.status = response.status;
    entry.errcode = response.errcode;
    return { type: 'response', response };
  };
}
