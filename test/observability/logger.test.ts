/**
 * The pino logger: levels, one line per refresh outcome from the core, and no secret or token
 * value in any line, even when a caller logs one by mistake.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createFakeWeChat } from '../../src/fake/index.js';
import { ConfigError, createRefresher } from '../../src/index.js';
import {
  createLogger,
  DEFAULT_LOGGER_OPTIONS,
  LOG_CENSOR,
  resolveLoggerOptions,
} from '../../src/observability/index.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination, records: () => lines.map((l) => JSON.parse(l)) };
}

describe('createLogger', () => {
  it('resolveLoggerOptions({}) is the defaults; a bad level is a ConfigError naming it', () => {
    expect(resolveLoggerOptions({})).toEqual({ ...DEFAULT_LOGGER_OPTIONS, destination: undefined });
    expect(() => resolveLoggerOptions({ level: 'loud' as never })).toThrow(ConfigError);
  });

  it('redacts secret and token fields at any of the first three levels', () => {
    const { destination, records } = capture();
    const logger = createLogger({ destination });
    logger.info(
      {
        secret: 's1-top',
        client: { appid: 'wx1', secret: 's2-nested', component: { secret: 's3-deep' } },
        event: { type: 'REFRESH_KEY', value: 'tok-value', token: 'tok-token' },
        headers: { authorization: 'Bearer tok-bearer' },
        access_token: 'tok-access',
      },
      'oops',
    );
    const [line] = records();
    const text = JSON.stringify(line);
    for (const v of [
      's1-top',
      's2-nested',
      's3-deep',
      'tok-value',
      'tok-token',
      'tok-bearer',
      'tok-access',
    ]) {
      expect(text).not.toContain(v);
    }
    expect(line.client.appid).toBe('wx1');
    expect(line.client.secret).toBe(LOG_CENSOR);
  });

  it('honours the level', () => {
    const { destination, records } = capture();
    const logger = createLogger({ destination, level: 'warn' });
    logger.info({}, 'hidden');
    logger.warn({}, 'shown');
    expect(records().map((r) => r.msg)).toEqual(['shown']);
  });

  it('carries one line per refresh outcome from the core, with no secret or token', async () => {
    const clock = new SimulatedClock();
    clock.set(Date.UTC(2025, 2, 10, 2));
    const fake = createFakeWeChat({
      clock,
      apps: [
        { appid: 'wx_ok', secret: 'log-secret-ok-1234' },
        { appid: 'wx_no', secret: 'log-secret-right-5678' },
      ],
    });
    const { destination, records } = capture();
    const refresher = createRefresher({
      clock,
      fetch: fake.fetch,
      logger: createLogger({ destination }),
      clients: [
        { kind: 'mini_program', appid: 'wx_ok', secret: 'log-secret-ok-1234' },
        { kind: 'mini_program', appid: 'wx_no', secret: 'log-secret-wrong-9012' },
      ],
    });
    await refresher.ready;
    const token = refresher.getToken('wx_ok', 'access_token')!;
    await refresher.stop();
    const outcomes = records().filter((r) => r.msg === 'refreshed' || r.msg === 'refresh failed');
    expect(outcomes.map((r) => [r.appid, r.msg, r.level])).toEqual(
      expect.arrayContaining([
        ['wx_ok', 'refreshed', 30],
        ['wx_no', 'refresh failed', 40],
      ]),
    );
    expect(outcomes).toHaveLength(2);
    expect(outcomes.find((r) => r.appid === 'wx_no').err).toMatchObject({ kind: 'configuration' });
    const text = JSON.stringify(records());
    for (const v of ['log-secret-ok-1234', 'log-secret-right-5678', 'log-secret-wrong-9012', token]) {
      expect(text).not.toContain(v);
    }
  });
});
