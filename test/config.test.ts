import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { systemClock } from '../src/clock.js';
import {
  DEFAULT_CLIENT_SETTING,
  DEFAULT_REFRESHER_OPTIONS,
  HUB_CLIENT_REFRESH_BEFORE_EXPIRED,
  normalizeClientList,
  resolveClient,
  resolveRefresherOptions,
} from '../src/config.js';
import { ConfigError, createRefresher, type RefreshOption } from '../src/index.js';

/** Given in every secret field below; no error message may contain it. */
const SECRET = 'sEcReT-0123456789abcdef';

const refresh: RefreshOption['refresh'] = async () => ({ value: 'v', expiresIn: 7200 });

/** The ConfigError `fn` throws; fails the test when it throws nothing or something else. */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

const oa = (extra: Record<string, unknown> = {}) => ({
  kind: 'official_account',
  appid: 'wx_oa',
  secret: SECRET,
  ...extra,
});
const corp = (agents: unknown) => ({ kind: 'work', appid: 'corp1', agents });
const agent = (extra: Record<string, unknown> = {}) => ({ id: 1000002, secret: SECRET, ...extra });

/** [what is wrong, the call, appid named, field named] */
const CLIENT_ERRORS: Array<[string, () => unknown, string | undefined, string]> = [
  ['missing secret', () => resolveClient(oa({ secret: undefined }), undefined, false), 'wx_oa', 'secret'],
  ['empty secret', () => resolveClient(oa({ secret: '' }), undefined, false), 'wx_oa', 'secret'],
  [
    'missing secret (mini program)',
    () => resolveClient({ kind: 'mini_program', appid: 'wx_mp' }, undefined, false),
    'wx_mp',
    'secret',
  ],
  ['a client that is not an object', () => resolveClient(null, undefined, false), undefined, 'client'],
  ['missing appid', () => resolveClient(oa({ appid: undefined }), undefined, false), undefined, 'appid'],
  ['empty appid', () => resolveClient(oa({ appid: '  ' }), undefined, false), undefined, 'appid'],
  ['unknown kind', () => resolveClient(oa({ kind: 'weapp' }), undefined, false), 'wx_oa', 'kind'],
  ['missing kind', () => resolveClient(oa({ kind: undefined }), undefined, false), 'wx_oa', 'kind'],
  ['unknown role', () => resolveClient(oa({ role: 'master' }), undefined, false), 'wx_oa', 'role'],
  [
    'hub_client without a store',
    () => resolveClient(oa({ role: 'hub_client', secret: undefined }), undefined, false),
    'wx_oa',
    'store',
  ],
  [
    'hub_client with store null',
    () => resolveClient(oa({ role: 'hub_client', store: null }), undefined, true),
    'wx_oa',
    'store',
  ],
  ['a store that is not a Keyv', () => resolveClient(oa({ store: {} }), undefined, false), 'wx_oa', 'store'],
  ['a setting that is a string', () => resolveClient(oa(), 'fast', false), 'wx_oa', 'setting'],
  ['a setting that is an array', () => resolveClient(oa(), [], false), 'wx_oa', 'setting'],
  ...(
    [
      ['negative', -1],
      ['non-numeric', '1800'],
      ['NaN', Number.NaN],
      ['infinite', Number.POSITIVE_INFINITY],
    ] as const
  ).map(([what, v]): [string, () => unknown, string, string] => [
    `${what} refreshBeforeExpired`,
    () => resolveClient(oa(), { refreshBeforeExpired: v }, false),
    'wx_oa',
    'setting.refreshBeforeExpired',
  ]),
  ...(
    [
      ['negative', -60],
      ['non-numeric', '60'],
      ['NaN', Number.NaN],
      ['zero', 0],
      ['sub-second', 0.5],
    ] as const
  ).map(([what, v]): [string, () => unknown, string, string] => [
    `${what} refreshRetryInterval`,
    () => resolveClient(oa(), { refreshRetryInterval: v }, false),
    'wx_oa',
    'setting.refreshRetryInterval',
  ]),
  ['agents that are not an array', () => resolveClient(corp({}), undefined, false), 'corp1', 'agents'],
  ['an agent that is not an object', () => resolveClient(corp([42]), undefined, false), 'corp1', 'agents[0]'],
  [
    'a work agent without id',
    () => resolveClient(corp([{ secret: SECRET }]), undefined, false),
    'corp1',
    'agents[0].id',
  ],
  [
    'a work agent with an empty id',
    () => resolveClient(corp([agent({ id: '' })]), undefined, false),
    'corp1',
    'agents[0].id',
  ],
  [
    'a work agent with a NaN id',
    () => resolveClient(corp([agent({ id: Number.NaN })]), undefined, false),
    'corp1',
    'agents[0].id',
  ],
  [
    'a work agent without secret',
    () => resolveClient(corp([agent(), agent({ id: 7, secret: undefined })]), undefined, false),
    'corp1',
    'agents[1].secret',
  ],
  [
    'duplicate agent ids',
    () => resolveClient(corp([agent(), agent()]), undefined, false),
    'corp1',
    'agents[1].id',
  ],
  [
    'agent ids equal as strings',
    () => resolveClient(corp([agent({ id: 5 }), agent({ id: '5' })]), undefined, false),
    'corp1',
    'agents[1].id',
  ],
  [
    'an agent whose cacheId is another agent’s default cache id',
    () => resolveClient(corp([agent({ id: 1 }), agent({ id: 2, cacheId: 'corp1_1' })]), undefined, false),
    'corp1',
    'agents[1].id',
  ],
  [
    'an empty cacheId',
    () => resolveClient(corp([agent({ cacheId: '' })]), undefined, false),
    'corp1',
    'agents[0].cacheId',
  ],
  [
    'a refreshList that is not an array',
    () => resolveClient(corp([agent({ refreshList: 'js_api_ticket' })]), undefined, false),
    'corp1',
    'agents[0].refreshList',
  ],
  [
    'a bad refreshList item',
    () =>
      resolveClient(corp([agent({ refreshList: ['js_api_ticket', 'wx_card_ticket'] })]), undefined, false),
    'corp1',
    'agents[0].refreshList',
  ],
  [
    'a work client with a component',
    () => resolveClient({ ...corp([agent()]), component: { appid: 'comp1' } }, undefined, false),
    'corp1',
    'component',
  ],
  [
    'a component without appid',
    () => resolveClient(oa({ component: { secret: SECRET } }), undefined, false),
    'wx_oa',
    'component.appid',
  ],
  [
    'a component with an empty secret',
    () => resolveClient(oa({ component: { appid: 'comp1', secret: '' } }), undefined, false),
    'wx_oa',
    'component.secret',
  ],
  [
    'refreshOptions that are not an array',
    () => resolveClient(oa(), { refreshOptions: {} }, false),
    'wx_oa',
    'setting.refreshOptions',
  ],
  [
    'a refreshOptions function returning no array',
    () => resolveClient(oa(), { refreshOptions: () => undefined }, false),
    'wx_oa',
    'setting.refreshOptions',
  ],
  [
    'a refresh option that is null',
    () => resolveClient(oa(), { refreshOptions: [null] }, false),
    'wx_oa',
    'setting.refreshOptions[0].storeId',
  ],
  [
    'a refresh option without storeId',
    () => resolveClient(oa(), { refreshOptions: [{ storeKey: 'k', refresh }] }, false),
    'wx_oa',
    'setting.refreshOptions[0].storeId',
  ],
  [
    'a refresh option with an empty storeKey',
    () =>
      resolveClient(
        oa(),
        {
          refreshOptions: [
            { storeId: 's', storeKey: 'a', refresh },
            { storeId: 's', storeKey: '', refresh },
          ],
        },
        false,
      ),
    'wx_oa',
    'setting.refreshOptions[1].storeKey',
  ],
  [
    'a refresh option without a refresh function',
    () => resolveClient(oa(), { refreshOptions: [{ storeId: 's', storeKey: 'k', refresh: SECRET }] }, false),
    'wx_oa',
    'setting.refreshOptions[0].refresh',
  ],
  [
    'a refresh option repeating a key',
    () =>
      resolveClient(
        oa(),
        {
          refreshOptions: [
            { storeId: 's', storeKey: 'k', refresh },
            { storeId: 's', storeKey: 'k', refresh },
          ],
        },
        false,
      ),
    'wx_oa',
    'setting.refreshOptions[1]',
  ],
  ['clients that are not an array', () => normalizeClientList({ wx_oa: oa() }), undefined, 'clients'],
  ['duplicate appids in one list', () => normalizeClientList([oa(), [oa(), {}]]), 'wx_oa', 'appid'],
];

/** [what is wrong, the options, field named] */
const OPTION_ERRORS: Array<[string, Record<string, unknown>, string]> = [
  ['fetch that is not a function', { fetch: 'https://example.com' }, 'fetch'],
  ['a clock without now()', { clock: { setTimeout, clearTimeout } }, 'clock'],
  ['a clock that is not an object', { clock: 5 }, 'clock'],
  ['an api endpoint that is not http(s)', { endpoints: { api: 'ftp://api.weixin.qq.com' } }, 'endpoints.api'],
  ['an empty work endpoint', { endpoints: { work: '' } }, 'endpoints.work'],
  ['zero maxConcurrentCalls', { maxConcurrentCalls: 0 }, 'maxConcurrentCalls'],
  ['fractional maxConcurrentCalls', { maxConcurrentCalls: 1.5 }, 'maxConcurrentCalls'],
  ['non-numeric maxConcurrentCalls', { maxConcurrentCalls: '4' }, 'maxConcurrentCalls'],
  ['zero requestTimeoutMs', { requestTimeoutMs: 0 }, 'requestTimeoutMs'],
  ['negative requestTimeoutMs', { requestTimeoutMs: -1 }, 'requestTimeoutMs'],
  ['NaN requestTimeoutMs', { requestTimeoutMs: Number.NaN }, 'requestTimeoutMs'],
  ['non-numeric requestTimeoutMs', { requestTimeoutMs: '100' }, 'requestTimeoutMs'],
];

describe('resolveClient and normalizeClientList', () => {
  it.each(CLIENT_ERRORS)(
    'reject %s with a ConfigError naming the client and the field',
    (_, call, appid, field) => {
      const error = configErrorOf(call);
      expect(error.code).toBe('WR_ERR_CONFIG_INVALID');
      expect(error.appid).toBe(appid);
      expect(error.field).toBe(field);
      expect(error.message).toContain(field);
      if (appid !== undefined) expect(error.message).toContain(`'${appid}'`);
    },
  );

  it('name the appid and `secret` when the secret is missing', () => {
    const error = configErrorOf(() =>
      resolveClient({ kind: 'official_account', appid: 'wx123' }, undefined, false),
    );
    expect(error.message).toMatch(/wx123/);
    expect(error.message).toMatch(/\bsecret\b/);
  });

  it('never put a secret value in an error message', () => {
    const leaks = CLIENT_ERRORS.map(([what, call]) => [what, configErrorOf(call)] as const)
      .filter(([, error]) => `${error.message} ${error.field} ${error.appid}`.includes(SECRET))
      .map(([what]) => what);
    expect(leaks).toEqual([]);
  });

  it('do not echo a secret given in the wrong field', () => {
    for (const extra of [{ kind: SECRET }, { role: SECRET }, { store: { secret: SECRET } }]) {
      expect(configErrorOf(() => resolveClient(oa(extra), undefined, false)).message).not.toContain(SECRET);
    }
    const setting = { refreshRetryInterval: SECRET };
    expect(configErrorOf(() => resolveClient(oa(), setting, false)).message).not.toContain(SECRET);
  });
});

describe('resolveClient', () => {
  it('defaults refreshBeforeExpired to 1800 s and refreshRetryInterval to 60 s', () => {
    const r = resolveClient(oa(), undefined, false);
    expect(r.refreshBeforeExpiredSec).toBe(1800);
    expect(r.refreshRetryIntervalSec).toBe(60);
    expect(r.role).toBe('client');
    expect(resolveClient(oa(), {}, false).refreshBeforeExpiredSec).toBe(1800);
  });

  it('defaults a hub_client to refreshBeforeExpired 1830 s and needs no secret when a store is given', () => {
    const r = resolveClient(oa({ role: 'hub_client', secret: undefined }), undefined, true);
    expect(r.refreshBeforeExpiredSec).toBe(1830);
    expect(r.refreshRetryIntervalSec).toBe(60);
    const own = resolveClient(oa({ role: 'hub_client', store: new Keyv() }), undefined, false);
    expect(own.role).toBe('hub_client');
  });

  it('keeps the settings given, including a zero refreshBeforeExpired and a 1 s retry interval', () => {
    const r = resolveClient(oa(), { refreshBeforeExpired: 0, refreshRetryInterval: 1 }, false);
    expect(r.refreshBeforeExpiredSec).toBe(0);
    expect(r.refreshRetryIntervalSec).toBe(1);
    const hub = resolveClient(oa({ role: 'hub_client' }), { refreshBeforeExpired: 600 }, true);
    expect(hub.refreshBeforeExpiredSec).toBe(600);
  });

  it("gives an official account the kind's default keys, in order", () => {
    const r = resolveClient(oa(), undefined, false);
    expect(r.usesDefaults).toBe(true);
    expect(r.options.map((o) => [o.storeId, o.storeKey])).toEqual([
      ['wx_oa', 'access_token'],
      ['wx_oa', 'js_api_ticket'],
      ['wx_oa', 'wx_card_ticket'],
    ]);
  });

  it('gives a work agent its token, then its refreshList tickets, under its cache id', () => {
    const r = resolveClient(
      corp([
        agent({ refreshList: ['agent_js_api_ticket', 'js_api_ticket'] }),
        agent({ id: 'b', cacheId: 'mine' }),
      ]),
      undefined,
      false,
    );
    expect(r.options.map((o) => [o.storeId, o.storeKey])).toEqual([
      ['corp1_1000002', 'access_token'],
      ['corp1_1000002', 'agent_js_api_ticket'],
      ['corp1_1000002', 'js_api_ticket'],
      ['mine', 'access_token'],
    ]);
  });

  it('accepts custom refreshOptions without a secret, as an array or a function of the client', () => {
    const options = [{ storeId: 'wx_oa', storeKey: 'my_token', refresh }];
    const r = resolveClient(oa({ secret: undefined }), { refreshOptions: options }, false);
    expect(r.usesDefaults).toBe(false);
    expect(r.options).toEqual(options);
    expect(r.options).not.toBe(options);
    const seen: unknown[] = [];
    const f = resolveClient(
      oa({ secret: undefined }),
      {
        refreshOptions: (client: unknown) => {
          seen.push(client);
          return options;
        },
      },
      false,
    );
    expect(f.options.map((o) => o.storeKey)).toEqual(['my_token']);
    expect(seen).toHaveLength(1);
    expect((seen[0] as { appid: string }).appid).toBe('wx_oa');
  });

  it('lets an authorizer (component set) go without its own secret', () => {
    const r = resolveClient(oa({ secret: undefined, component: { appid: 'comp1' } }), undefined, false);
    expect(r.options.map((o) => o.storeKey)).toEqual(['access_token', 'js_api_ticket', 'wx_card_ticket']);
  });
});

describe('normalizeClientList', () => {
  it('splits configs and [config, setting] pairs', () => {
    const a = oa({ appid: 'a' });
    const b = oa({ appid: 'b' });
    const setting = { refreshBeforeExpired: 600 };
    expect(normalizeClientList([a, [b, setting]])).toEqual([
      { client: a, setting: undefined },
      { client: b, setting },
    ]);
    expect(normalizeClientList(undefined)).toEqual([]);
  });
});

describe('resolveRefresherOptions', () => {
  it('resolves {} to the documented defaults', () => {
    const r = resolveRefresherOptions({});
    expect(r).toMatchObject({
      waitForSignal: false,
      maxConcurrentCalls: 16,
      requestTimeoutMs: 10_000,
      endpoints: { api: 'https://api.weixin.qq.com', work: 'https://qyapi.weixin.qq.com' },
      inspect: undefined,
    });
    expect(r.clock).toBe(systemClock);
    expect(typeof r.fetch).toBe('function');
    for (const level of ['debug', 'info', 'warn', 'error'] as const)
      expect(typeof r.logger[level]).toBe('function');
    expect(r).toMatchObject(DEFAULT_REFRESHER_OPTIONS);
  });

  it('keeps its defaults in frozen objects matching API.md', () => {
    expect(DEFAULT_REFRESHER_OPTIONS).toEqual({
      waitForSignal: false,
      maxConcurrentCalls: 16,
      requestTimeoutMs: 10_000,
      lazyActors: 'auto',
    });
    expect(DEFAULT_CLIENT_SETTING).toEqual({ refreshBeforeExpired: 1800, refreshRetryInterval: 60 });
    expect(HUB_CLIENT_REFRESH_BEFORE_EXPIRED).toBe(1830);
    expect(Object.isFrozen(DEFAULT_REFRESHER_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CLIENT_SETTING)).toBe(true);
  });

  it('keeps what it is given and merges endpoints one by one', () => {
    const clock = new SimulatedClock();
    const fetch = async () => new Response('{}');
    const r = resolveRefresherOptions({
      clock,
      fetch,
      waitForSignal: true,
      maxConcurrentCalls: 2,
      requestTimeoutMs: 500,
      endpoints: { api: 'http://127.0.0.1:9999' },
    });
    expect(r.clock).toBe(clock);
    expect(r.fetch).toBe(fetch);
    expect(r).toMatchObject({ waitForSignal: true, maxConcurrentCalls: 2, requestTimeoutMs: 500 });
    expect(r.endpoints).toEqual({ api: 'http://127.0.0.1:9999', work: 'https://qyapi.weixin.qq.com' });
  });

  it.each(OPTION_ERRORS)('rejects %s with a ConfigError naming the field', (_, options, field) => {
    const error = configErrorOf(() => resolveRefresherOptions(options as never));
    expect(error.field).toBe(field);
    expect(error.appid).toBeUndefined();
    expect(error.message).toContain(field);
  });

  it('rejects a clock without clearTimeout(), as its message says', () => {
    // The check reads now() and setTimeout() only; the scheduler calls clearTimeout() later.
    const clock = { now: () => 0, setTimeout: () => 1 };
    const error = configErrorOf(() => resolveRefresherOptions({ clock } as never));
    expect(error.field).toBe('clock');
  });
});

describe('createRefresher', () => {
  const quiet = () => ({
    clock: new SimulatedClock(),
    fetch: async () => {
      throw new Error('no network in this test');
    },
  });

  it('throws a ConfigError synchronously for a bad client, naming the client', () => {
    let error: unknown;
    try {
      createRefresher({ ...quiet(), clients: [{ kind: 'official_account', appid: 'wx_bad' }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('wx_bad');
    expect((error as ConfigError).field).toBe('secret');
    expect((error as ConfigError).message).not.toContain(SECRET);
  });

  it('throws a ConfigError synchronously for a client listed twice, naming it', () => {
    const client = { kind: 'official_account' as const, appid: 'wx_twice', secret: SECRET };
    const error = configErrorOf(() => createRefresher({ ...quiet(), clients: [client, client] }));
    expect(error.message).toContain('wx_twice');
    expect(error.message).not.toContain(SECRET);
  });

  it('throws a ConfigError synchronously for a bad refresher option', () => {
    const error = configErrorOf(() => createRefresher({ ...quiet(), maxConcurrentCalls: 0 }));
    expect(error.field).toBe('maxConcurrentCalls');
  });
});
