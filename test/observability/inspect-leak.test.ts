/**
 * No secret and no token value ever reaches an inspector (DESIGN.md "Inspection and control").
 * A full run (every client kind, a component with an authorizer, pushed tickets and refresh tokens,
 * failures, scheduled and manual refreshes, control events carrying configs and tokens, add,
 * append, pause, resume, remove, stop) is inspected through `@statelyai/inspect`'s own
 * `createInspector` (what createWebSocketInspector sends on the wire) and through a raw observer;
 * every captured event is then searched for every secret and every token value WeChat handed out.
 */
import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createFakeWeChat } from '../../src/fake/index.js';
import { createRefresher } from '../../src/index.js';

const START_MS = Date.UTC(2025, 2, 10, 2, 0, 0);
const SECRETS = {
  oa: 'leak-oa-secret-71c9',
  mp: 'leak-mp-secret-0d2e',
  late: 'leak-late-secret-5b7a',
  component: 'leak-component-secret-9f31',
  agent: 'leak-agent-secret-44aa',
  agent2: 'leak-agent2-secret-8c8c',
  refreshToken: 'leak-authorizer-refresh-3e3e',
  verifyTicket: 'leak-verify-ticket-6f6f',
};

/** JSON of anything, cycles cut, class instances kept as their own enumerable fields. */
function stringify(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v) => {
    if (typeof v === 'bigint') return String(v);
    if (typeof v === 'function') return `[function ${v.name}]`;
    if (v && typeof v === 'object') {
      if (seen.has(v)) return '[cycle]';
      seen.add(v);
    }
    return v;
  });
}

/** Every string under a key naming a token or ticket, anywhere in a WeChat answer. */
function collectTokens(body: unknown, out: Set<string>): void {
  if (!body || typeof body !== 'object') return;
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' && /token|ticket/i.test(k) && v.length >= 8) out.add(v);
    else collectTokens(v, out);
  }
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

describe('inspection', () => {
  it('never carries a secret or a token value, through a full run', async () => {
    const clock = new SimulatedClock();
    clock.set(START_MS);
    const fake = createFakeWeChat({
      clock,
      seed: 3,
      apps: [
        { appid: 'wx_oa', secret: SECRETS.oa },
        { appid: 'wx_mp', secret: SECRETS.mp },
        { appid: 'wx_late', secret: SECRETS.late },
      ],
      components: [
        {
          appid: 'wx_comp',
          secret: SECRETS.component,
          verifyTicket: SECRETS.verifyTicket,
          authorizers: [{ appid: 'wx_auth', refreshToken: SECRETS.refreshToken }],
        },
      ],
      corps: [
        {
          corpid: 'ww_corp',
          agents: [
            { id: 1000002, secret: SECRETS.agent },
            { id: 1000003, secret: SECRETS.agent2 },
          ],
        },
      ],
    });
    const tokens = new Set<string>();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const res = await fake.fetch(input, init);
      collectTokens(
        await res
          .clone()
          .json()
          .catch(() => undefined),
        tokens,
      );
      return res;
    };

    const wire: StatelyInspectionEvent[] = [];
    const stately = createInspector({
      send: (e: StatelyInspectionEvent) => wire.push(e),
      start() {},
      stop() {},
    });
    const raw: unknown[] = [];
    const refresher = createRefresher({
      fetch,
      clock,
      inspect: (ev: { type: string }) => {
        raw.push(ev);
        stately.inspect.next?.(ev as never);
      },
      clients: [
        { kind: 'official_account', appid: 'wx_oa', secret: SECRETS.oa },
        { kind: 'mini_program', appid: 'wx_mp', secret: SECRETS.mp },
        {
          kind: 'official_account',
          appid: 'wx_auth',
          component: { appid: 'wx_comp', secret: SECRETS.component },
        },
        {
          kind: 'work',
          appid: 'ww_corp',
          agents: [
            { id: 1000002, secret: SECRETS.agent, refreshList: ['js_api_ticket', 'agent_js_api_ticket'] },
          ],
        },
      ],
    });
    // Unsanitized, straight from the actor system: the control that the search finds leaks.
    const unsanitized: unknown[] = [];
    refresher.actor.system.inspect((ev) =>
      unsanitized.push({ type: ev.type, event: (ev as { event?: unknown }).event }),
    );

    await refresher.ready;
    await refresher.putComponentVerifyTicket('wx_comp', SECRETS.verifyTicket);
    const nowSec = () => Math.floor(clock.now() / 1000);
    await refresher.refreshKey(
      'wx_auth',
      'wx_auth',
      'authorizer_refresh_token',
      SECRETS.refreshToken,
      nowSec() + 86_400,
    );
    await settle();
    expect(refresher.getToken('wx_auth', 'access_token')).toBeDefined();

    // Failures, retries and scheduled refreshes.
    fake.inject({ times: 3, effect: { type: 'busy' } });
    await refresher.refresh('wx_mp');
    clock.increment(60_000);
    await settle();
    for (let i = 0; i < 3; i++) {
      clock.increment(5400_000);
      await settle();
    }
    // Control events carrying tokens and configs with secrets.
    await refresher.tokenInvalid('wx_oa', 'access_token', refresher.getToken('wx_oa', 'access_token')!);
    await refresher.add({ kind: 'official_account', appid: 'wx_late', secret: SECRETS.late });
    await refresher.appendWorkAgent('ww_corp', { id: 1000003, secret: SECRETS.agent2 });
    refresher.actor.send({ type: 'REFRESH', appid: 'wx_oa' });
    await refresher.pause('wx_oa');
    await refresher.resume('wx_oa');
    await refresher.refreshComponent('wx_comp', 'component_access_token');
    await refresher.remove('wx_mp');
    await settle();
    await refresher.stop();
    // @statelyai/inspect converts on a zero timeout.
    await new Promise((r) => setTimeout(r, 50));

    for (const t of ['@xstate.actor', '@xstate.event', '@xstate.snapshot']) {
      expect(
        wire.some((e) => e.type === t),
        t,
      ).toBe(true);
    }
    expect(wire.length).toBeGreaterThan(100);
    expect(tokens.size).toBeGreaterThan(20);
    const needles = [...Object.values(SECRETS), ...tokens];
    const wireText = stringify(wire);
    const rawText = stringify(
      raw.map((e) => ({ ...(e as object), actorRef: undefined, sourceRef: undefined })),
    );
    // The control events went through, scrubbed rather than dropped.
    for (const type of [
      '"ADD"',
      '"REFRESH_KEY"',
      '"PUT_COMPONENT_VERIFY_TICKET"',
      '"TOKEN_INVALID"',
      '"APPEND_WORK_AGENT"',
    ]) {
      expect(wireText, type).toContain(type);
    }
    expect(wireText).toContain('[redacted]');
    expect(wireText).toContain('"expiresAtSec"');
    // The search works: the unsanitized stream holds secrets.
    expect(needles.some((n) => stringify(unsanitized).includes(n))).toBe(true);
    for (const needle of needles) {
      expect(wireText.includes(needle), `leaked to the wire: ${needle.slice(0, 6)}…`).toBe(false);
      expect(rawText.includes(needle), `leaked to the observer: ${needle.slice(0, 6)}…`).toBe(false);
    }
  });
});
