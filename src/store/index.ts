/**
 * The store room's door (STYLE.md rule 4): what other rooms may use of the token cache and the keyv
 * persistence. Files inside src/store/ import each other directly; everyone else imports this.
 */

export type { RedisStoreOptions } from './redis-store.js';
export { createRedisStore, DEFAULT_REDIS_STORE_OPTIONS } from './redis-store.js';
export { TokenCache } from './token-cache.js';
export type { StoreKeyRef } from './token-store.js';
export { createMemoryStore, parseStoreMap, storeKeyOf, TokenStore } from './token-store.js';
