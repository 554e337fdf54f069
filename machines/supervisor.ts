/**
 * The supervisor: the root actor. It routes control events to the runtime's registry and decides
 * whether clients are monitored at once or wait for START_MONITOR (seed wait_for_signal).
 *
 * The registry itself (a Map, O(1)) lives in `src/runtime`, not in this snapshot: thousands of
 * children in one snapshot make every spawn O(N) (DESIGN.md "Actor model rules"). Every action here
 * is a named placeholder that `src/` provides. Events nobody handles are ignored, never a crash
 * (seed Q11 fixed).
 */
import { setup } from 'xstate';

/** Correlates a facade call with its answer; absent when a user sends the event by hand. */
interface Reply {
  requestId?: number;
}

export type SupervisorEvent =
  | ({ type: 'START_MONITOR' } & Reply)
  | ({ type: 'ADD'; client: unknown; setting?: unknown } & Reply)
  | ({ type: 'REMOVE'; appid: string } & Reply)
  | ({ type: 'REFRESH'; appid: string; storeId?: string; storeKey?: string } & Reply)
  | ({
      type: 'REFRESH_KEY';
      appid: string;
      storeId: string;
      storeKey: string;
      value: string;
      expiresAt: number;
    } & Reply)
  | ({ type: 'REFRESH_COMPONENT'; componentAppid: string; storeKey: string } & Reply)
  | ({ type: 'APPEND_WORK_AGENT'; appid: string; agent: unknown } & Reply)
  | ({ type: 'PUT_COMPONENT_VERIFY_TICKET'; componentAppid: string; ticket: string } & Reply)
  | ({ type: 'PAUSE'; appid: string } & Reply)
  | ({ type: 'RESUME'; appid: string } & Reply)
  | ({ type: 'TOKEN_INVALID'; storeId: string; storeKey: string; token: string } & Reply);

export interface SupervisorInput {
  waitForSignal: boolean;
}

export interface SupervisorContext {
  waitForSignal: boolean;
}

export const supervisorMachine = setup({
  types: {} as { context: SupervisorContext; events: SupervisorEvent; input: SupervisorInput },
  actions: {
    /** Registers a client; `monitor` says whether it is restored and refreshed now. */
    addClient: (_, _params: { monitor: boolean }) => {},
    /** Restores and starts every registered client that is still waiting. */
    startMonitor: () => {},
    /** Answers a START_MONITOR that found monitoring already on: idempotent (seed Q4 fixed). */
    acknowledge: () => {},
    removeClient: () => {},
    refreshClient: () => {},
    refreshKey: () => {},
    refreshComponent: () => {},
    appendWorkAgent: (_, _params: { monitor: boolean }) => {},
    putVerifyTicket: () => {},
    pauseClient: () => {},
    resumeClient: () => {},
    tokenInvalid: () => {},
  },
}).createMachine({
  id: 'supervisor',
  context: ({ input }) => ({ waitForSignal: input.waitForSignal }),
  initial: 'booting',
  on: {
    REMOVE: { actions: 'removeClient' },
    REFRESH: { actions: 'refreshClient' },
    REFRESH_KEY: { actions: 'refreshKey' },
    REFRESH_COMPONENT: { actions: 'refreshComponent' },
    PUT_COMPONENT_VERIFY_TICKET: { actions: 'putVerifyTicket' },
    PAUSE: { actions: 'pauseClient' },
    RESUME: { actions: 'resumeClient' },
    TOKEN_INVALID: { actions: 'tokenInvalid' },
  },
  states: {
    booting: {
      always: [
        { guard: ({ context }) => context.waitForSignal, target: 'waiting' },
        { target: 'monitoring' },
      ],
    },
    waiting: {
      on: {
        START_MONITOR: { target: 'monitoring', actions: 'startMonitor' },
        ADD: { actions: { type: 'addClient', params: { monitor: false } } },
        APPEND_WORK_AGENT: { actions: { type: 'appendWorkAgent', params: { monitor: false } } },
      },
    },
    monitoring: {
      on: {
        START_MONITOR: { actions: 'acknowledge' },
        ADD: { actions: { type: 'addClient', params: { monitor: true } } },
        APPEND_WORK_AGENT: { actions: { type: 'appendWorkAgent', params: { monitor: true } } },
      },
    },
  },
});

export type SupervisorMachine = typeof supervisorMachine;
