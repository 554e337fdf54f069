/** The WeChat boundary against the in-process fake (`fake.fetch`, real hosts, no sockets). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../../src/wechat/index.js';
import { wechatContract } from './wechat-contract.js';

wechatContract('in-process', { describe, it, expect }, async (fake) => ({
  deps: { fetch: fake.fetch, endpoints: { ...DEFAULT_ENDPOINTS } },
  close: async () => {},
}));
