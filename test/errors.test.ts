import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorKindOf } from '../src/errors.js';
import {
  ConfigError,
  DependencyError,
  ERROR_CODES,
  RefresherError,
  type RefresherErrorCode,
  StoppedError,
  StoreError,
  WeChatApiError,
} from '../src/index.js';

const DOC_PATH = new URL('../docs/errors.md', import.meta.url);

interface DocRow {
  code: string;
  carriedBy: string;
  cells: string[];
}

/** The rows of the table in docs/errors.md whose first cell is a backticked code. */
function docRows(markdown: string): DocRow[] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter((cells) => /^`[A-Z_]+`$/.test(cells[0]))
    .map((cells) => ({ code: cells[0].slice(1, -1), carriedBy: cells[1], cells }));
}

/** Makes an error of a documented class carrying `code`, to check the table's "Carried by" column. */
const MAKE: Record<string, (code: RefresherErrorCode) => RefresherError> = {
  ConfigError: () => new ConfigError('wx1', 'secret', 'is required'),
  WeChatApiError: (code) =>
    new WeChatApiError(code as 'WR_ERR_WECHAT_API', 'call failed', { kind: 'transient' }),
  DependencyError: () => new DependencyError('no access_token'),
  StoreError: () => new StoreError('reading failed'),
  StoppedError: () => new StoppedError(),
  RefresherError: (code) => new RefresherError(code, 'failed'),
};

describe('docs/errors.md', () => {
  const rows = docRows(readFileSync(DOC_PATH, 'utf8'));
  const documented = rows.map((r) => r.code);
  const registered = Object.keys(ERROR_CODES);

  it('documents every code of ERROR_CODES', () => {
    const missing = registered.filter((code) => !documented.includes(code));
    expect(missing, 'codes in src/errors.ts ERROR_CODES missing from docs/errors.md').toEqual([]);
  });

  it('documents no code that ERROR_CODES does not have', () => {
    const unknown = documented.filter((code) => !registered.includes(code));
    expect(unknown, 'codes in docs/errors.md not in src/errors.ts ERROR_CODES').toEqual([]);
  });

  it('documents each code once, with a class, a meaning and what to do', () => {
    expect(new Set(documented).size).toBe(documented.length);
    for (const row of rows) {
      expect(row.cells, row.code).toHaveLength(4);
      for (const cell of row.cells) expect(cell.length, row.code).toBeGreaterThan(0);
    }
  });

  it('names for each code the class that carries it', () => {
    for (const row of rows) {
      const name = /^`(\w+)`/.exec(row.carriedBy)?.[1];
      if (name === undefined) {
        // Codes carried by no class are said to be so, and are not produced by any class here.
        expect(row.carriedBy, row.code).toMatch(/^none\b/);
        continue;
      }
      expect(Object.keys(MAKE), `${row.code}: unknown class ${name}`).toContain(name);
      const error = MAKE[name](row.code as RefresherErrorCode);
      expect(error.code, `${row.code} is carried by ${name}`).toBe(row.code);
      expect(error.name).toBe(name);
    }
  });
});

describe('ERROR_CODES', () => {
  it('names every code WR_ERR_<AREA>[_<WHAT>] with a description', () => {
    // WR_ERR_STORE predates the <WHAT> part and codes are never renamed (STYLE.md rule 9).
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^WR_ERR_[A-Z]+(_[A-Z]+)*$/);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });
});

describe('RefresherError', () => {
  it('is an Error with a code, a name and an ES2022 cause', () => {
    const cause = new Error('inner');
    const error = new RefresherError('WR_ERR_REFRESH_RESULT', 'no value', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('WR_ERR_REFRESH_RESULT');
    expect(error.name).toBe('RefresherError');
    expect(error.message).toBe('no value');
    expect(error.cause).toBe(cause);
  });

  it.each([
    [
      'ConfigError',
      () => new ConfigError('wx1', 'secret', 'is required'),
      ConfigError,
      'WR_ERR_CONFIG_INVALID',
    ],
    [
      'WeChatApiError',
      () =>
        new WeChatApiError('WR_ERR_WECHAT_API', 'errcode 40013', { errcode: 40013, kind: 'configuration' }),
      WeChatApiError,
      'WR_ERR_WECHAT_API',
    ],
    ['StoreError', () => new StoreError('writing failed'), StoreError, 'WR_ERR_STORE'],
    ['DependencyError', () => new DependencyError('no token'), DependencyError, 'WR_ERR_REFRESH_DEPENDENCY'],
    ['StoppedError', () => new StoppedError(), StoppedError, 'WR_ERR_REFRESHER_STOPPED'],
  ] as const)('%s is a RefresherError with its code and name', (name, make, cls, code) => {
    const error = make();
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(RefresherError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(Object.keys(ERROR_CODES)).toContain(error.code);
    expect(String(error)).toContain(name);
  });
});

describe('ConfigError', () => {
  it('names the appid and the field in its message and its properties', () => {
    const error = new ConfigError('wx_app_1', 'setting.refreshRetryInterval', 'must be at least 1 (seconds)');
    expect(error.message).toContain('wx_app_1');
    expect(error.message).toContain('setting.refreshRetryInterval');
    expect(error.message).toBe(
      "client 'wx_app_1': setting.refreshRetryInterval must be at least 1 (seconds)",
    );
    expect(error.appid).toBe('wx_app_1');
    expect(error.field).toBe('setting.refreshRetryInterval');
  });

  it('names only the field when no client is concerned', () => {
    const error = new ConfigError(undefined, 'maxConcurrentCalls', 'must be a positive integer');
    expect(error.message).toBe('maxConcurrentCalls must be a positive integer');
    expect(error.appid).toBeUndefined();
  });
});

describe('WeChatApiError', () => {
  it('carries errcode, kind, status and cause', () => {
    const cause = new TypeError('fetch failed');
    const api = new WeChatApiError('WR_ERR_WECHAT_API', 'errcode 45009', { errcode: 45009, kind: 'quota' });
    expect(api.errcode).toBe(45009);
    expect(api.kind).toBe('quota');
    expect(api.status).toBeUndefined();
    const http = new WeChatApiError('WR_ERR_WECHAT_HTTP', 'HTTP 502', { kind: 'transient', status: 502 });
    expect(http.status).toBe(502);
    expect(http.errcode).toBeUndefined();
    const net = new WeChatApiError('WR_ERR_WECHAT_NETWORK', 'timeout', { kind: 'transient', cause });
    expect(net.cause).toBe(cause);
  });
});

describe('DependencyError', () => {
  it('is transient unless told otherwise', () => {
    expect(new DependencyError('no token').kind).toBe('transient');
    expect(new DependencyError('no refresh token', 'configuration').kind).toBe('configuration');
  });
});

describe('errorKindOf', () => {
  it('reads the kind of WeChatApiError and DependencyError, and calls anything else transient', () => {
    expect(errorKindOf(new WeChatApiError('WR_ERR_WECHAT_API', 'x', { errcode: 45009, kind: 'quota' }))).toBe(
      'quota',
    );
    expect(errorKindOf(new DependencyError('x', 'configuration'))).toBe('configuration');
    expect(errorKindOf(new StoreError('x'))).toBe('transient');
    expect(errorKindOf(new Error('x'))).toBe('transient');
    expect(errorKindOf('a string')).toBe('transient');
    expect(errorKindOf(undefined)).toBe('transient');
  });
});
