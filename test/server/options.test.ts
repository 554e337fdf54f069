/**
 * Server options (one defaults object, one resolver) and the bearer-token helpers.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { bearerOf } from '../../src/server/auth.js';
import {
  DEFAULT_SERVER_OPTIONS,
  generateToken,
  MIN_TOKEN_LENGTH,
  resolveServerOptions,
  tokenMatches,
} from '../../src/server/index.js';

describe('resolveServerOptions', () => {
  it('resolveServerOptions({}) is the defaults, with a generated token', () => {
    const { token, metrics, ...rest } = resolveServerOptions({});
    expect(rest).toEqual({ ...DEFAULT_SERVER_OPTIONS });
    expect(metrics).toBeUndefined();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveServerOptions({}).token).not.toBe(token);
  });

  it('binds loopback by default', () => {
    expect(DEFAULT_SERVER_OPTIONS.host).toBe('127.0.0.1');
  });

  it('throws a ConfigError naming the field', () => {
    const bad: Array<[object, string]> = [
      [{ token: 'short' }, 'token'],
      [{ token: 'has spaces in the token!!' }, 'token'],
      [{ port: 70000 }, 'port'],
      [{ port: 1.5 }, 'port'],
      [{ host: '' }, 'host'],
      [{ feedIntervalMs: 1 }, 'feedIntervalMs'],
    ];
    for (const [options, field] of bad) {
      expect(() => resolveServerOptions(options), field).toThrow(ConfigError);
      try {
        resolveServerOptions(options);
      } catch (error) {
        expect((error as ConfigError).field).toBe(field);
      }
    }
    expect(() => resolveServerOptions({ token: 'x'.repeat(MIN_TOKEN_LENGTH) })).not.toThrow();
  });
});

describe('bearer tokens', () => {
  it('tokenMatches compares whole tokens of any length', () => {
    const token = generateToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, token.slice(0, -1))).toBe(false);
    expect(tokenMatches(token, `${token}0`)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
  });

  it('bearerOf reads only the Bearer scheme', () => {
    expect(bearerOf('Bearer abc')).toBe('abc');
    expect(bearerOf('bearer abc')).toBe('abc');
    expect(bearerOf('Basic abc')).toBeUndefined();
    expect(bearerOf('abc')).toBeUndefined();
    expect(bearerOf(undefined)).toBeUndefined();
  });
});
