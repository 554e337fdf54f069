import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { ConfigError } from '../../src/errors.js';
import {
  createFakeWeChat,
  DEFAULT_FAKE_QUOTAS,
  DEFAULT_FAKE_WECHAT_OPTIONS,
  resolveFakeWeChatOptions,
} from '../../src/fake/index.js';

describe('resolveFakeWeChatOptions', () => {
  it('resolveFakeWeChatOptions({}) equals the documented defaults', () => {
    expect(resolveFakeWeChatOptions({})).toEqual(DEFAULT_FAKE_WECHAT_OPTIONS);
    expect(DEFAULT_FAKE_WECHAT_OPTIONS.clock).toBe(systemClock);
    expect(DEFAULT_FAKE_WECHAT_OPTIONS).toMatchObject({
      graceSec: 300,
      tokenLifetimeSec: 7200,
      utcOffsetMinutes: 480,
      stableForceIntervalSec: 30,
    });
    expect(DEFAULT_FAKE_QUOTAS).toMatchObject({
      tokenDaily: 2000,
      stableForceDaily: 20,
      clearQuotaMonthly: 10,
    });
    expect(Object.isFrozen(DEFAULT_FAKE_WECHAT_OPTIONS)).toBe(true);
  });

  it('merges quotas field by field', () => {
    const resolved = resolveFakeWeChatOptions({ quotas: { tokenDaily: 5 } });
    expect(resolved.quotas.tokenDaily).toBe(5);
    expect(resolved.quotas.stableForceDaily).toBe(20);
  });

  it('treats an undefined option as absent', () => {
    expect(resolveFakeWeChatOptions({ graceSec: undefined }).graceSec).toBe(300);
  });

  it.each([
    [{ graceSec: -1 }, 'graceSec'],
    [{ tokenLifetimeSec: 0 }, 'tokenLifetimeSec'],
    [{ utcOffsetMinutes: 1000 }, 'utcOffsetMinutes'],
    [{ quotas: { tokenDaily: 1.5 } }, 'quotas.tokenDaily'],
    [{ workExpiresIn: 'sometimes' as never }, 'workExpiresIn'],
    [{ expiresIn: -5 }, 'expiresIn'],
  ])('rejects %o with a ConfigError naming %s', (options, field) => {
    expect(() => resolveFakeWeChatOptions(options)).toThrow(ConfigError);
    try {
      resolveFakeWeChatOptions(options);
    } catch (error) {
      expect((error as ConfigError).field).toBe(field);
    }
  });

  it('rejects a registry entry without a secret, naming the app', () => {
    expect(() => createFakeWeChat({ apps: [{ appid: 'wx1', secret: '' }] })).toThrow(/client 'wx1': secret/);
    expect(() => createFakeWeChat({ corps: [{ corpid: 'ww1', agents: [{ id: '', secret: 's' }] }] })).toThrow(
      /agents\[0\]\.id/,
    );
  });

  it('refuses one appid as both app and component', () => {
    expect(() =>
      createFakeWeChat({
        apps: [{ appid: 'wx1', secret: 's' }],
        components: [{ appid: 'wx1', secret: 's' }],
      }),
    ).toThrow(ConfigError);
  });
});
