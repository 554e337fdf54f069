/**
 * wechat-refresher: keeps WeChat access tokens and tickets fresh for many apps at once.
 * The public surface (API.md); `wechat-refresher/fake` and `wechat-refresher/server` are subpaths.
 */
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export {
  DEFAULT_CLIENT_SETTING,
  DEFAULT_REFRESHER_OPTIONS,
  HUB_CLIENT_REFRESH_BEFORE_EXPIRED,
} from './config.js';
export type { ErrorKind, RefresherErrorCode } from './errors.js';
export {
  ConfigError,
  DependencyError,
  ERROR_CODES,
  RefresherError,
  StoppedError,
  StoreError,
  WeChatApiError,
} from './errors.js';
export type { Refresher } from './refresher.js';
export { createRefresher } from './refresher.js';
export { defaultRefreshOptions } from './settings.js';
export type { RedisStoreOptions } from './store/index.js';
export { createMemoryStore, createRedisStore } from './store/index.js';
export type {
  ClientConfig,
  ClientOptions,
  ClientSetting,
  ComponentRef,
  DefaultKeyRef,
  FailureInfo,
  MiniProgramClient,
  OfficialAccountClient,
  RefreshContext,
  RefresherEventName,
  RefresherEvents,
  RefresherLogger,
  RefresherOptions,
  RefreshOption,
  RefreshResult,
  Role,
  StoreKey,
  StoreMap,
  WorkAgent,
  WorkClient,
} from './types.js';
