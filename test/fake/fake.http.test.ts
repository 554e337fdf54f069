/**
 * Loopback tests: the fake on real 127.0.0.1 sockets, called with Node's own fetch (undici). The
 * point is that HTTP and in-process answers are the same bytes under the same seed and clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { FakeServer, FakeWeChat } from '../../src/fake/index.js';
import { createFakeWeChat } from '../../src/fake/index.js';
import { API, APP, COMPONENT, CORP, START_MS, WORK } from './helpers.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function make(seed = 99): { fake: FakeWeChat; clock: SimulatedClock } {
  const clock = new SimulatedClock();
  clock.set(START_MS);
  return {
    clock,
    fake: createFakeWeChat({ apps: [APP], components: [COMPONENT], corps: [CORP], clock, seed }),
  };
}

async function listen(fake: FakeWeChat): Promise<FakeServer> {
  const server = await fake.listen();
  servers.push(server);
  return server;
}

interface Step {
  host: 'api' | 'work';
  path: string;
  init?: RequestInit;
  /** Builds the query from earlier answers (tokens flow from one step to the next). */
  query?: (prev: any[]) => Record<string, string>;
  before?: (fake: FakeWeChat, clock: SimulatedClock) => void;
}

const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body) });

const SCRIPT: Step[] = [
  { host: 'api', path: '/cgi-bin/token', query: () => ({ grant_type: 'client_credential', ...APP }) },
  {
    host: 'api',
    path: '/cgi-bin/token',
    query: () => ({ grant_type: 'client_credential', appid: APP.appid, secret: 'x' }),
  },
  {
    host: 'api',
    path: '/cgi-bin/ticket/getticket',
    query: (p) => ({ access_token: p[0].access_token, type: 'jsapi' }),
  },
  { host: 'api', path: '/cgi-bin/stable_token', init: json({ grant_type: 'client_credential', ...APP }) },
  { host: 'api', path: '/cgi-bin/stable_token', init: { method: 'POST', body: `appid=${APP.appid}` } },
  {
    host: 'api',
    path: '/cgi-bin/component/api_component_token',
    init: json({
      component_appid: COMPONENT.appid,
      component_appsecret: COMPONENT.secret,
      component_verify_ticket: COMPONENT.verifyTicket,
    }),
  },
  {
    host: 'api',
    path: '/cgi-bin/component/api_authorizer_token',
    query: (p) => ({ component_access_token: p[5].component_access_token }),
    init: json({
      component_appid: COMPONENT.appid,
      authorizer_appid: COMPONENT.authorizers[0].appid,
      authorizer_refresh_token: COMPONENT.authorizers[0].refreshToken,
    }),
  },
  {
    host: 'work',
    path: '/cgi-bin/gettoken',
    query: () => ({ corpid: CORP.corpid, corpsecret: CORP.agents[0].secret }),
  },
  { host: 'work', path: '/cgi-bin/gettoken', query: () => ({ corpid: CORP.corpid, corpsecret: 'wrong' }) },
  {
    host: 'work',
    path: '/cgi-bin/ticket/get',
    query: (p) => ({ access_token: p[7].access_token, type: 'agent_config' }),
  },
  {
    host: 'api',
    path: '/cgi-bin/token',
    query: () => ({ grant_type: 'client_credential', ...APP }),
    before: (fake) => fake.inject({ times: 1, effect: { type: 'malformed', variant: 'bom' } }),
  },
  {
    host: 'api',
    path: '/cgi-bin/token',
    query: () => ({ grant_type: 'client_credential', ...APP }),
    before: (fake) => fake.inject({ times: 1, effect: { type: 'http', status: 503 } }),
  },
  {
    host: 'api',
    path: '/cgi-bin/ticket/getticket',
    query: (p) => ({ access_token: p[0].access_token, type: 'wx_card' }),
    before: (_fake, clock) => clock.increment(6 * 60_000),
  },
  {
    host: 'api',
    path: '/cgi-bin/openapi/quota/get',
    query: (p) => ({ access_token: p[3].access_token }),
    init: json({ cgi_path: '/cgi-bin/token' }),
  },
];

interface Raw {
  status: number;
  contentType: string | null;
  bytes: Buffer;
}

async function runScript(
  fake: FakeWeChat,
  clock: SimulatedClock,
  doFetch: typeof fetch,
  bases: { api: string; work: string },
): Promise<Raw[]> {
  const raws: Raw[] = [];
  const parsed: any[] = [];
  for (const step of SCRIPT) {
    step.before?.(fake, clock);
    const query = step.query ? `?${new URLSearchParams(step.query(parsed))}` : '';
    const res = await doFetch(`${bases[step.host]}${step.path}${query}`, step.init);
    const bytes = Buffer.from(await res.arrayBuffer());
    raws.push({ status: res.status, contentType: res.headers.get('content-type'), bytes });
    try {
      parsed.push(JSON.parse(bytes.toString('utf8')));
    } catch {
      parsed.push(undefined);
    }
  }
  return raws;
}

describe('fake.listen() (loopback HTTP)', () => {
  it('serves api and work on 127.0.0.1, on two ports', async () => {
    const { fake } = make();
    const server = await listen(fake);
    expect(server.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.work).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.api).not.toBe(server.work);
  });

  it('answers byte-identical bodies to the in-process fetch under the same seed and clock', async () => {
    const inProcess = make();
    const overHttp = make();
    const server = await listen(overHttp.fake);
    const a = await runScript(inProcess.fake, inProcess.clock, inProcess.fake.fetch, {
      api: API,
      work: WORK,
    });
    const b = await runScript(overHttp.fake, overHttp.clock, globalThis.fetch, server);
    expect(b.map((r) => r.status)).toEqual(a.map((r) => r.status));
    expect(b.map((r) => r.contentType)).toEqual(a.map((r) => r.contentType));
    for (let i = 0; i < a.length; i++) expect(b[i].bytes.equals(a[i].bytes), `step ${i}`).toBe(true);
    // The script really covers successes, errors, faults and the BOM.
    expect(a.map((r) => r.status)).toContain(503);
    expect(a[1].bytes.toString()).toMatch(/"errcode":40001/);
    expect([...a[10].bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('the in-process fetch also answers the listened base URLs, and the /work prefix works on either port', async () => {
    const { fake } = make();
    const server = await listen(fake);
    const q = new URLSearchParams({ corpid: CORP.corpid, corpsecret: CORP.agents[0].secret });
    const inProc = await (await fake.fetch(`${server.work}/cgi-bin/gettoken?${q}`)).json();
    const viaPrefix = await (await fetch(`${server.api}/work/cgi-bin/gettoken?${q}`)).json();
    expect(inProc.errcode).toBe(0);
    expect(viaPrefix.access_token).toBe(inProc.access_token);
    expect(fake.calls.map((c) => c.host)).toEqual(['work', 'work']);
  });

  it('a reset fault destroys the socket: Node fetch rejects with TypeError fetch failed', async () => {
    const { fake } = make();
    const server = await listen(fake);
    fake.inject({ times: 1, effect: { type: 'reset' } });
    const error = await fetch(`${server.api}/cgi-bin/token`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    const after = await fetch(
      `${server.api}/cgi-bin/token?${new URLSearchParams({ grant_type: 'client_credential', ...APP })}`,
    );
    expect((await after.json()).access_token).toBeDefined();
  });

  it('a hang answers nothing until the client aborts; close() still returns', async () => {
    const { fake } = make();
    const server = await listen(fake);
    fake.inject({ effect: { type: 'hang' } });
    const controller = new AbortController();
    const pending = fetch(`${server.api}/cgi-bin/token`, { signal: controller.signal });
    const other = fetch(`${server.api}/cgi-bin/token`).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await server.close();
    expect(await other).toBeInstanceOf(TypeError);
    expect(fake.calls.every((c) => c.status === undefined)).toBe(true);
  });

  it('latency over HTTP waits on the injected clock', async () => {
    const { fake, clock } = make();
    const server = await listen(fake);
    fake.inject({ times: 1, effect: { type: 'latency', ms: 5000 } });
    let done = false;
    const pending = fetch(`${server.api}/cgi-bin/getcallbackip`).then((r) => {
      done = true;
      return r.json();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    clock.increment(5000);
    expect((await pending).errcode).toBe(41001);
  });
});
