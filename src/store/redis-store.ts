/**
 * A Redis token store for fleets: keyv over @keyv/redis, configured to fail fast. Left at their
 * defaults, keyv and node-redis queue commands while Redis is down and calls hang for ever
 * (spec/stack.md §5); here a call fails at once with StoreError, tokens keep being served from
 * memory, and the client reconnects by itself.
 */
import KeyvRedis from '@keyv/redis';
import Keyv from 'keyv';

export interface RedisStoreOptions {
  /** Key namespace; keys are `<namespace>::<storeId>:<storeKey>`. @default 'wechat' */
  namespace?: string;
  /** Time to wait for a connection, in ms. @default 1000 */
  connectTimeoutMs?: number;
}

export const DEFAULT_REDIS_STORE_OPTIONS = Object.freeze({ namespace: 'wechat', connectTimeoutMs: 1000 });

/**
 * Creates a Keyv on Redis for `createRefresher({ store })`.
 *
 * @example
 * ```ts
 * const store = createRedisStore('redis://127.0.0.1:6379');
 * const refresher = createRefresher({ clients, store });
 * ```
 */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): Keyv {
  const { namespace, connectTimeoutMs } = { ...DEFAULT_REDIS_STORE_OPTIONS, ...options };
  const adapter = new KeyvRedis(
    { url, disableOfflineQueue: true, socket: { connectTimeout: connectTimeoutMs } },
    { namespace, throwOnErrors: true, throwOnConnectError: true, connectionTimeout: connectTimeoutMs },
  );
  // throwOnErrors must be set on both layers, or keyv swallows the adapter's errors (spec/stack.md §5).
  const keyv = new Keyv({ store: adapter, namespace, useKeyPrefix: false, throwOnErrors: true });
  // Errors surface as rejections; without a listener keyv would also emit them to nobody.
  keyv.on('error', () => {});
  return keyv;
}
