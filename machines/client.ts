/**
 * The credential machine: one per client (app) and, under the id `component`, one per component app.
 * It holds the keys of one owner and decides when each is refreshed; `src/` supplies the effects
 * (`startRefresh`, `schedule`, `unschedule`, `notifyState`) with `machine.provide()`.
 *
 * waiting -> (START) -> idle <-> refreshing -> retrying, plus paused and stopped.
 * Keys are refreshed one at a time, in option order, so tickets use the access token just fetched.
 * Timers are not XState delays: one scheduler for the whole refresher sends `DUE` (DESIGN.md).
 */
import { assign, enqueueActions, setup } from 'xstate';
import {
  type FailureKind,
  isDueNow,
  planAfterFailure,
  planAfterRestore,
  planAfterSuccess,
  type SchedulePlan,
  type TimingSettings,
} from './timing.js';

export interface KeyRef {
  storeId: string;
  storeKey: string;
}

/** What the machine remembers of a failure: no secret, no token value. */
export interface FailureSummary {
  code: string;
  kind: FailureKind;
  errcode?: number;
  message: string;
}

export interface KeyState extends KeyRef {
  /** Unix seconds; 0 while no value is known. */
  expiresAtSec: number;
  /** Failures in a row; 0 after a success. */
  failures: number;
  lastError: FailureSummary | null;
}

export interface ClientContext extends TimingSettings {
  id: string;
  keys: KeyState[];
  /** Indexes of keys to refresh now; the head is in flight while `refreshing`. */
  queue: number[];
  /** False until START (wait_for_signal): no timers are armed before. */
  monitoring: boolean;
  paused: boolean;
}

export interface ClientInput extends TimingSettings {
  id: string;
  keys: KeyRef[];
  /** Start in `waiting` (wait_for_signal) instead of monitoring. */
  waiting: boolean;
  /** Expiry (unix s, 0 = none) of each key as restored from the store. */
  restored?: number[];
  nowMs: number;
}

export type ScheduleCause = 'success' | 'restore' | 'failure' | 'push' | 'resume';

export type ClientEvent =
  | { type: 'START'; restored: number[]; nowMs: number }
  | { type: 'DUE'; keyIndex: number }
  | { type: 'REFRESH'; storeId?: string; storeKey?: string }
  | { type: 'REFRESH_DONE'; keyIndex: number; expiresAtSec: number }
  | { type: 'REFRESH_FAILED'; keyIndex: number; error: FailureSummary; retryAtSec?: number }
  | { type: 'KEY_PUSHED'; keyIndex: number; expiresAtSec: number }
  | { type: 'APPEND_KEYS'; keys: KeyRef[]; restored: number[]; nowMs: number }
  | { type: 'TOKEN_INVALID'; keyIndex: number }
  | { type: 'DEPENDENCY_READY' }
  | { type: 'PAUSE' }
  | { type: 'RESUME'; nowMs: number }
  | { type: 'STOP' };

export type ClientStateName = 'waiting' | 'idle' | 'refreshing' | 'retrying' | 'paused' | 'stopped';

export interface ScheduleParams extends SchedulePlan {
  keyIndex: number;
  cause: ScheduleCause;
}

/** Keys that are due now go to the queue; the others get a timer. Pure. */
function planKeys(context: ClientContext, keys: KeyState[], from: number, restored: number[], nowMs: number) {
  const nowSec = Math.floor(nowMs / 1000);
  const queue = [...context.queue];
  const schedules: ScheduleParams[] = [];
  for (let i = from; i < keys.length; i++) {
    const expiresAtSec = restored[i - from] ?? keys[i].expiresAtSec;
    if (expiresAtSec !== keys[i].expiresAtSec) keys[i] = { ...keys[i], expiresAtSec };
    if (isDueNow(expiresAtSec, nowSec, context)) {
      if (!queue.includes(i)) queue.push(i);
    } else {
      schedules.push({ keyIndex: i, cause: 'restore', ...planAfterRestore(expiresAtSec, context) });
    }
  }
  return { keys, queue, schedules };
}

function freshKey(ref: KeyRef, expiresAtSec = 0): KeyState {
  return { storeId: ref.storeId, storeKey: ref.storeKey, expiresAtSec, failures: 0, lastError: null };
}

/** Index of the access token a ticket of the same owner was fetched with, or -1. */
function accessTokenIndexFor(keys: KeyState[], keyIndex: number): number {
  const key = keys[keyIndex];
  if (key.storeKey === 'access_token') return -1;
  return keys.findIndex((k) => k.storeId === key.storeId && k.storeKey === 'access_token');
}

type Enqueue = (
  action: { type: 'schedule'; params: ScheduleParams } | { type: 'unschedule'; params: { keyIndex: number } },
) => void;

/** Queues keys for a refresh now (skipping ones already queued) and drops their timers. Pure but for `enqueue`. */
function requestKeys(context: ClientContext, indexes: number[], enqueue: Enqueue): number[] {
  const queue = [...context.queue];
  for (const i of indexes) {
    if (i < 0 || i >= context.keys.length || queue.includes(i)) continue;
    queue.push(i);
    enqueue({ type: 'unschedule', params: { keyIndex: i } });
  }
  return queue;
}

/** The keys a REFRESH event names: all, or the one matching storeId/storeKey. */
function requestedIndexes(context: ClientContext, event: { storeId?: string; storeKey?: string }): number[] {
  if (event.storeId === undefined && event.storeKey === undefined) return context.keys.map((_, i) => i);
  const i = context.keys.findIndex((k) => k.storeId === event.storeId && k.storeKey === event.storeKey);
  return i < 0 ? [] : [i];
}

/**
 * Where a client starts: its context, and the timers to arm for keys not due now. The machine's
 * own start runs this; the runtime runs it too, to start a client whose keys are all fresh straight
 * in `idle` (100,000 clients restored from a warm store skip two eventless steps each).
 */
export function planStart(input: ClientInput): { context: ClientContext; schedules: ScheduleParams[] } {
  const restored = input.waiting ? [] : (input.restored ?? []);
  const context: ClientContext = {
    id: input.id,
    keys: input.keys.map((k, i) => freshKey(k, restored[i])),
    queue: [],
    monitoring: !input.waiting,
    paused: false,
    refreshBeforeExpiredSec: input.refreshBeforeExpiredSec,
    refreshRetryIntervalSec: input.refreshRetryIntervalSec,
  };
  if (input.waiting) return { context, schedules: [] };
  // Started from restored data: no START round trip per client (DESIGN.md).
  const planned = planKeys(context, context.keys, 0, [], input.nowMs);
  context.queue = planned.queue;
  return { context, schedules: planned.schedules };
}

export function createCredentialMachine<TId extends string>(id: TId) {
  const base = setup({
    types: {} as { context: ClientContext; events: ClientEvent; input: ClientInput },
    actions: {
      /** Effect: fetch the key; answer with REFRESH_DONE or REFRESH_FAILED. */
      startRefresh: (_, _params: { keyIndex: number }) => {},
      /** Effect: arm the key's timer, replacing any; `cause` says why (events, logs). */
      schedule: (_, _params: ScheduleParams) => {},
      unschedule: (_, _params: { keyIndex: number }) => {},
      unscheduleAll: () => {},
      /** Effect: tell the runtime the machine entered a state (events, waiters, dashboard). */
      notifyState: (_, _params: { state: ClientStateName }) => {},
    },
    guards: {
      notMonitoring: ({ context }) => !context.monitoring,
      hasQueue: ({ context }) => context.queue.length > 0,
      isPaused: ({ context }) => context.paused,
      hasFailures: ({ context }) => context.keys.some((k) => k.failures > 0),
      isHeadResult: ({ context, event }) =>
        (event.type === 'REFRESH_DONE' || event.type === 'REFRESH_FAILED') &&
        context.queue[0] === event.keyIndex,
    },
  });

  /** Arms timers for restored keys that are not due now. */
  const scheduleRestored = base.createAction(
    enqueueActions(({ context, enqueue }) => {
      context.keys.forEach((k, i) => {
        if (k.expiresAtSec > 0 && !context.queue.includes(i)) {
          const plan = planAfterRestore(k.expiresAtSec, context);
          enqueue({ type: 'schedule', params: { keyIndex: i, cause: 'restore', ...plan } });
        }
      });
    }),
  );
  /** Queues the keys a REFRESH, DUE or TOKEN_INVALID names. */
  const requestRefresh = base.createAction(
    enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'REFRESH') {
        enqueue.assign({ queue: requestKeys(context, requestedIndexes(context, event), enqueue) });
      } else if (event.type === 'DUE') {
        enqueue.assign({ queue: requestKeys(context, [event.keyIndex], enqueue) });
      } else if (event.type === 'TOKEN_INVALID') {
        // During a quota block a report cannot be acted on: each would cost a refused call.
        if (context.keys[event.keyIndex]?.lastError?.kind === 'quota') return;
        enqueue.assign({ queue: requestKeys(context, [event.keyIndex], enqueue) });
      }
    }),
  );
  const pause = base.createAction(assign({ paused: true }));
  /** START: monitoring begins from what the store held; a paused client only remembers it. */
  const start = base.createAction(
    enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'START' || context.monitoring) return;
      const planned = planKeys(context, [...context.keys], 0, event.restored, event.nowMs);
      if (context.paused) {
        enqueue.assign({ keys: planned.keys, monitoring: true });
        return;
      }
      enqueue.assign({ keys: planned.keys, queue: planned.queue, monitoring: true });
      for (const s of planned.schedules) enqueue({ type: 'schedule', params: s });
    }),
  );
  /** RESUME: re-plans every key not in the queue; a failing key resumes its back-off. */
  const resume = base.createAction(
    enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'RESUME' || !context.paused) return;
      if (!context.monitoring) {
        enqueue.assign({ paused: false });
        return;
      }
      const planned = planKeys(context, [...context.keys], 0, [], event.nowMs);
      const failing = (i: number) => planned.keys[i].failures > 0 && planned.keys[i].lastError !== null;
      const queued = new Set(context.queue);
      const queue = planned.queue.filter((i) => queued.has(i) || !failing(i));
      enqueue.assign({ keys: planned.keys, queue, paused: false });
      const toSchedule = [
        ...planned.schedules.map((x) => x.keyIndex),
        ...planned.queue.filter((i) => !queue.includes(i)),
      ];
      for (const i of toSchedule) {
        if (queued.has(i)) continue;
        const key = planned.keys[i];
        const plan = failing(i)
          ? planAfterFailure(key.lastError!.kind, key.failures, context)
          : planAfterRestore(key.expiresAtSec, context);
        enqueue({ type: 'schedule', params: { keyIndex: i, cause: 'resume', ...plan } });
      }
    }),
  );
  /** New keys (appendWorkAgent): planned like restored ones once monitoring, else just remembered. */
  const appendKeys = base.createAction(
    enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'APPEND_KEYS') return;
      const keys = [...context.keys, ...event.keys.map((k, i) => freshKey(k, event.restored[i]))];
      if (!context.monitoring || context.paused) {
        // Remembered with what the store held; START or RESUME plans them.
        enqueue.assign({ keys });
        return;
      }
      const planned = planKeys(context, keys, context.keys.length, [], event.nowMs);
      enqueue.assign({ keys: planned.keys, queue: planned.queue });
      for (const s of planned.schedules) enqueue({ type: 'schedule', params: s });
    }),
  );

  /** What idle and retrying both do: any request or new key sends the machine deciding again. */
  const resting = {
    DUE: { target: 'deciding', actions: requestRefresh },
    REFRESH: { target: 'deciding', actions: requestRefresh },
    TOKEN_INVALID: { target: 'deciding', actions: requestRefresh },
    PAUSE: { target: 'deciding', actions: pause },
    APPEND_KEYS: { target: 'deciding', actions: appendKeys },
  } as const;

  return base.createMachine({
    id,
    context: ({ input }) => planStart(input).context,
    initial: 'booting',
    on: {
      STOP: '.stopped',
      KEY_PUSHED: {
        actions: enqueueActions(({ context, event, enqueue }) => {
          const key = context.keys[event.keyIndex];
          if (!key) return;
          const keys = [...context.keys];
          keys[event.keyIndex] = { ...key, expiresAtSec: event.expiresAtSec, failures: 0, lastError: null };
          // A queued (not in-flight) refresh of this key is moot now.
          const queue = context.queue.filter((k, pos) => k !== event.keyIndex || pos === 0);
          enqueue.assign({ keys, queue });
          if (context.monitoring && !context.paused) {
            const plan = planAfterSuccess(event.expiresAtSec, context);
            enqueue({ type: 'schedule', params: { keyIndex: event.keyIndex, cause: 'push', ...plan } });
          }
        }),
      },
      APPEND_KEYS: { actions: appendKeys },
      START: { actions: start },
      RESUME: { actions: resume },
    },
    states: {
      booting: {
        always: [
          { guard: 'notMonitoring', target: 'waiting' },
          { target: 'deciding', actions: scheduleRestored },
        ],
      },
      waiting: {
        entry: { type: 'notifyState', params: { state: 'waiting' } },
        on: {
          START: { target: 'deciding', actions: start },
          // A manual refresh works before monitoring starts; it arms no timer (seed Q4 fixed).
          REFRESH: { target: 'deciding', actions: requestRefresh },
          PAUSE: { target: 'deciding', actions: pause },
        },
      },
      deciding: {
        always: [
          { guard: 'hasQueue', target: 'refreshing' },
          { guard: 'isPaused', target: 'paused' },
          { guard: 'notMonitoring', target: 'waiting' },
          { guard: 'hasFailures', target: 'retrying' },
          { target: 'idle' },
        ],
      },
      idle: {
        entry: { type: 'notifyState', params: { state: 'idle' } },
        on: {
          ...resting,
        },
      },
      retrying: {
        entry: { type: 'notifyState', params: { state: 'retrying' } },
        on: {
          ...resting,
          DEPENDENCY_READY: {
            target: 'deciding',
            actions: enqueueActions(({ context, enqueue }) => {
              const waiting = context.keys.flatMap((k, i) =>
                k.failures > 0 && k.lastError?.kind !== 'quota' ? [i] : [],
              );
              enqueue.assign({ queue: requestKeys(context, waiting, enqueue) });
            }),
          },
        },
      },
      paused: {
        entry: ['unscheduleAll', { type: 'notifyState', params: { state: 'paused' } }],
        on: {
          // An operator may still refresh by hand; no timer is armed until RESUME.
          REFRESH: { target: 'deciding', actions: requestRefresh },
          RESUME: { target: 'deciding', actions: resume },
          START: { actions: start },
        },
      },
      refreshing: {
        entry: [
          { type: 'notifyState', params: { state: 'refreshing' } },
          { type: 'startRefresh', params: ({ context }) => ({ keyIndex: context.queue[0] }) },
        ],
        on: {
          DUE: { actions: requestRefresh },
          REFRESH: { actions: requestRefresh },
          TOKEN_INVALID: { actions: requestRefresh },
          PAUSE: { actions: pause },
          REFRESH_DONE: {
            guard: 'isHeadResult',
            target: 'deciding',
            actions: enqueueActions(({ context, event, enqueue }) => {
              const keys = [...context.keys];
              keys[event.keyIndex] = {
                ...keys[event.keyIndex],
                expiresAtSec: event.expiresAtSec,
                failures: 0,
                lastError: null,
              };
              enqueue.assign({ keys, queue: context.queue.slice(1) });
              if (context.monitoring && !context.paused) {
                const plan = planAfterSuccess(event.expiresAtSec, context);
                enqueue({
                  type: 'schedule',
                  params: { keyIndex: event.keyIndex, cause: 'success', ...plan },
                });
              }
            }),
          },
          REFRESH_FAILED: {
            guard: 'isHeadResult',
            target: 'deciding',
            actions: enqueueActions(({ context, event, enqueue }) => {
              const keys = [...context.keys];
              const failures = keys[event.keyIndex].failures + 1;
              keys[event.keyIndex] = { ...keys[event.keyIndex], failures, lastError: event.error };
              const rest = context.queue.slice(1);
              const tokenIndex = accessTokenIndexFor(keys, event.keyIndex);
              if (event.error.kind === 'token_invalid' && tokenIndex >= 0 && failures === 1) {
                // A ticket refused for a dead access token: refresh the token, then the ticket, once.
                enqueue.assign({
                  keys,
                  queue: [tokenIndex, event.keyIndex, ...rest.filter((k) => k !== tokenIndex)],
                });
                enqueue({ type: 'unschedule', params: { keyIndex: tokenIndex } });
                return;
              }
              enqueue.assign({ keys, queue: rest });
              if (context.monitoring && !context.paused) {
                const plan = planAfterFailure(event.error.kind, failures, context, event.retryAtSec);
                enqueue({
                  type: 'schedule',
                  params: { keyIndex: event.keyIndex, cause: 'failure', ...plan },
                });
              }
            }),
          },
        },
      },
      stopped: {
        type: 'final',
        entry: ['unscheduleAll', { type: 'notifyState', params: { state: 'stopped' } }],
      },
    },
  });
}

export const clientMachine = createCredentialMachine('client');
export type ClientMachine = typeof clientMachine;
