/**
 * The CLI's default token store: a keyv storage adapter keeping entries in memory and in one JSON
 * file, so a restart reuses tokens instead of spending quota (DESIGN.md "Store"). Writes are
 * debounced and atomic (temp file, then rename), the file is readable by its owner only, and
 * expired entries are dropped when the file is loaded.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import { ConfigError } from '../errors.js';

/** Options of {@link FileStoreAdapter}. */
export interface FileStoreOptions {
  /** The JSON file. Its folder is created when missing. */
  path: string;
  /** Writes wait this long for more changes, in ms. @default 100 */
  debounceMs?: number;
  /** Current time for pruning expired entries. @default Date.now */
  now?: () => number;
}

/** Defaults of {@link FileStoreOptions}. */
export const DEFAULT_FILE_STORE_OPTIONS = Object.freeze({ debounceMs: 100 });

/** Merges and validates the options. @throws ConfigError naming the field. */
export function resolveFileStoreOptions(options: FileStoreOptions): Required<FileStoreOptions> {
  if (typeof options?.path !== 'string' || options.path === '') {
    throw new ConfigError(undefined, 'path', 'must be a file path');
  }
  const debounceMs = options.debounceMs ?? DEFAULT_FILE_STORE_OPTIONS.debounceMs;
  if (!Number.isFinite(debounceMs) || debounceMs < 0)
    throw new ConfigError(undefined, 'debounceMs', 'must be >= 0');
  return { path: options.path, debounceMs, now: options.now ?? Date.now };
}

/** Whether a keyv-serialized entry has an `expires` in the past. */
function expired(raw: unknown, nowMs: number): boolean {
  if (typeof raw !== 'string') return false;
  try {
    const { expires } = JSON.parse(raw) as { expires?: unknown };
    return typeof expires === 'number' && expires < nowMs;
  } catch {
    return false;
  }
}

/** A keyv storage adapter (Map-like) persisted to one JSON file. */
export class FileStoreAdapter {
  /** Set by keyv. */
  namespace?: string;
  readonly path: string;
  readonly #data = new Map<string, unknown>();
  readonly #debounceMs: number;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(options: FileStoreOptions) {
    const resolved = resolveFileStoreOptions(options);
    this.path = resolved.path;
    this.#debounceMs = resolved.debounceMs;
    const nowMs = resolved.now();
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined && text.trim() !== '') {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      for (const [key, value] of Object.entries(parsed))
        if (!expired(value, nowMs)) this.#data.set(key, value);
    }
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
  }

  get size(): number {
    return this.#data.size;
  }

  get(key: string): unknown {
    return this.#data.get(key);
  }

  has(key: string): boolean {
    return this.#data.has(key);
  }

  set(key: string, value: unknown): boolean {
    this.#data.set(key, value);
    this.#schedule();
    return true;
  }

  delete(key: string): boolean {
    const had = this.#data.delete(key);
    if (had) this.#schedule();
    return had;
  }

  clear(): void {
    this.#data.clear();
    this.#schedule();
  }

  keys(): IterableIterator<string> {
    return this.#data.keys();
  }

  #schedule(): void {
    this.#dirty = true;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#debounceMs);
    this.#timer.unref();
  }

  /** Writes pending changes now; resolves once they are on disk. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // Writes run one after another, each writing the latest state.
    this.#writing = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      const text = JSON.stringify(Object.fromEntries(this.#data));
      const tmp = `${this.path}.${process.pid}.tmp`;
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, this.path);
    });
    return this.#writing;
  }
}

/** A Keyv (namespace `wechat`) over a {@link FileStoreAdapter}, failing fast on errors. */
export function createFileStore(options: FileStoreOptions): { keyv: Keyv; adapter: FileStoreAdapter } {
  const adapter = new FileStoreAdapter(options);
  const keyv = new Keyv({ store: adapter, namespace: 'wechat', throwOnErrors: true });
  return { keyv, adapter };
}
