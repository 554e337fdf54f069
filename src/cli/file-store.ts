/**
 * The CLI's default token store: a keyv storage adapter keeping entries in memory and in one JSON
 * file, so a restart reuses tokens instead of spending quota (DESIGN.md "Store"). Writes are
 * debounced and atomic (temp file, then rename), the file is readable by its owner only, and
 * expired entries are dropped when the file is loaded.
 */
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Keyv from 'keyv';
import { ConfigError } from '../errors.js';
import { writePrivateFile } from './write-private-file.js';

/** Options of {@link FileStoreAdapter}. */
export interface FileStoreOptions {
  /** The JSON file. Its folder is created when missing. */
  path: string;
  /** Writes wait this long for more changes, in ms. @default 100 */
  debounceMs?: number;
  /** Current time for pruning expired entries. @default Date.now */
  now?: () => number;
  /** Told where an unreadable file was moved (it is then started empty). @default nothing */
  onCorrupt?: (movedTo: string) => void;
  /** Told of a background write that failed; the data stays pending and is written with the next change. */
  onWriteError?: (error: unknown) => void;
}

/** Defaults of {@link FileStoreOptions}. */
export const DEFAULT_FILE_STORE_OPTIONS = Object.freeze({ debounceMs: 100 });

/** Merges and validates the options. @throws ConfigError naming the field. */
export function resolveFileStoreOptions(
  options: FileStoreOptions,
): Required<Omit<FileStoreOptions, 'onCorrupt' | 'onWriteError'>> &
  Pick<FileStoreOptions, 'onCorrupt' | 'onWriteError'> {
  if (typeof options?.path !== 'string' || options.path === '') {
    throw new ConfigError(undefined, 'path', 'must be a file path');
  }
  const debounceMs = options.debounceMs ?? DEFAULT_FILE_STORE_OPTIONS.debounceMs;
  if (!Number.isFinite(debounceMs) || debounceMs < 0)
    throw new ConfigError(undefined, 'debounceMs', 'must be >= 0');
  return {
    path: options.path,
    debounceMs,
    now: options.now ?? Date.now,
    onCorrupt: options.onCorrupt,
    onWriteError: options.onWriteError,
  };
}

/** The entries of a token file, or undefined when it is not a JSON object. */
function parseTokens(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
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
  readonly #onWriteError: ((error: unknown) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #dirty = false;

  constructor(options: FileStoreOptions) {
    const resolved = resolveFileStoreOptions(options);
    this.path = resolved.path;
    this.#debounceMs = resolved.debounceMs;
    this.#onWriteError = resolved.onWriteError;
    const nowMs = resolved.now();
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined && text.trim() !== '') {
      const parsed = parseTokens(text);
      if (parsed === undefined) {
        // The file is only a cache of tokens: set it aside and start empty rather than refuse to start.
        const aside = `${this.path}.corrupt-${nowMs}`;
        renameSync(this.path, aside);
        resolved.onCorrupt?.(aside);
      } else {
        for (const [key, value] of Object.entries(parsed))
          if (!expired(value, nowMs)) this.#data.set(key, value);
      }
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
      // A background write that fails is reported, never an unhandled rejection.
      this.flush().catch((error: unknown) => this.#onWriteError?.(error));
    }, this.#debounceMs);
    this.#timer.unref();
  }

  /** Writes pending changes now; resolves once they are on disk. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // Writes run one after another, each writing the latest state. A failed write keeps the data
    // dirty and the chain alive, so the next change (or flush) tries again.
    const write = this.#writing.then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        await writePrivateFile(this.path, JSON.stringify(Object.fromEntries(this.#data)));
      } catch (error) {
        this.#dirty = true;
        throw error;
      }
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }
}

/** A Keyv (namespace `wechat`) over a {@link FileStoreAdapter}, failing fast on errors. */
export function createFileStore(options: FileStoreOptions): { keyv: Keyv; adapter: FileStoreAdapter } {
  const adapter = new FileStoreAdapter(options);
  const keyv = new Keyv({ store: adapter, namespace: 'wechat', throwOnErrors: true });
  return { keyv, adapter };
}
