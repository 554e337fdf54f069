/**
 * What every WeChat endpoint function needs from the outside world (STYLE.md rule 11): the injected
 * `fetch`, the hosts to call, and how long to wait.
 */

/** Base URLs of the two WeChat hosts. A base may carry a path prefix (`http://127.0.0.1:4000/api`). */
export interface WeChatEndpoints {
  /** Official Account / Mini Program / third-party platform host. */
  api: string;
  /** WeCom (企业微信) host. */
  work: string;
}

/** The injected I/O of the WeChat boundary; built once by the refresher and passed to every call. */
export interface WeChatDeps {
  /** Every HTTP call goes through this (the fake's `fetch` in tests). */
  fetch: typeof globalThis.fetch;
  /** Hosts to call; see {@link DEFAULT_ENDPOINTS}. */
  endpoints: WeChatEndpoints;
  /**
   * Per-call limit covering the request and the body read, in milliseconds.
   * @default 10_000
   */
  timeoutMs?: number;
  /** Aborts every call in flight (e.g. when the refresher stops). */
  signal?: AbortSignal;
}

/** The real WeChat hosts (spec/wechat-api.md §0). */
export const DEFAULT_ENDPOINTS: Readonly<WeChatEndpoints> = Object.freeze({
  api: 'https://api.weixin.qq.com',
  work: 'https://qyapi.weixin.qq.com',
});

/** Used when {@link WeChatDeps.timeoutMs} is not set. */
export const DEFAULT_TIMEOUT_MS = 10_000;
