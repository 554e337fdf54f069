/**
 * The runtime room's door (STYLE.md rule 4): the registry, scheduler and refresh loop behind the
 * facade. Only what other rooms use is named here; files inside src/runtime/ import each other directly.
 */
export type { CredentialEntry, EntryStats } from './entry.js';
export { contextOf } from './entry.js';
export type { RuntimeOptions } from './runtime.js';
export { Runtime } from './runtime.js';
