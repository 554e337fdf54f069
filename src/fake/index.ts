/**
 * `wechat-refresher/fake`: a faithful fake of the WeChat and WeCom token APIs, in-process and over
 * loopback HTTP, for the demo, the tests and the benchmarks (spec/wechat-api.md; see README.md).
 */

export type { FakeCall } from './call-log.js';
export type { FakeWeChat } from './create-fake-wechat.js';
export { createFakeWeChat } from './create-fake-wechat.js';
export type { MalformedVariant } from './envelope.js';
export { JSON_CONTENT_TYPE } from './envelope.js';
export type { FaultEffect, FaultHandle, FaultRule } from './faults.js';
export type { FakeListenOptions, FakeServer } from './http-adapter.js';
export type {
  FakeAgentConfig,
  FakeAppConfig,
  FakeAuthorizerConfig,
  FakeComponentConfig,
  FakeCorpConfig,
  FakeExpiresIn,
  FakeMintInfo,
  FakeQuotaOptions,
  FakeWeChatOptions,
  ResolvedFakeWeChatOptions,
} from './options.js';
export { DEFAULT_FAKE_QUOTAS, DEFAULT_FAKE_WECHAT_OPTIONS, resolveFakeWeChatOptions } from './options.js';
export type { SecretTarget } from './registry.js';
export type { TokenKind, TokenStatus } from './token-book.js';
