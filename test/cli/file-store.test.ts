/**
 * The CLI's file store: keyv round trip, debounced atomic writes, owner-only file, expired entries
 * dropped on load, and a refresher restart that reuses stored tokens instead of calling WeChat.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStore, DEFAULT_FILE_STORE_OPTIONS, resolveFileStoreOptions } from '../../src/cli/index.js';
import { createFakeWeChat } from '../../src/fake/index.js';
import { ConfigError, createRefresher } from '../../src/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'wr-file-store-'));

describe('createFileStore', () => {
  it('resolveFileStoreOptions fills the defaults and names a bad field', () => {
    const now = () => 1;
    expect(resolveFileStoreOptions({ path: '/x/t.json', now })).toEqual({
      path: '/x/t.json',
      now,
      ...DEFAULT_FILE_STORE_OPTIONS,
      onCorrupt: undefined,
      onWriteError: undefined,
    });
    expect(() => resolveFileStoreOptions({ path: '' })).toThrow(ConfigError);
    expect(() => resolveFileStoreOptions({ path: 'a', debounceMs: -1 })).toThrow(ConfigError);
  });

  it('set(key, value) and get(key) round-trip, through the file', async () => {
    const path = join(tmp(), 'deep', 'tokens.json');
    const a = createFileStore({ path, debounceMs: 5 });
    await a.keyv.set('wx1:access_token', { value: 'v1', expired_time: 2_000_000_000 });
    await a.keyv.set('wx2:access_token', { value: 'v2', expired_time: 2_000_000_000 }, 60_000);
    await a.keyv.delete('wx2:access_token');
    expect(await a.keyv.get('wx1:access_token')).toEqual({ value: 'v1', expired_time: 2_000_000_000 });
    await a.adapter.flush();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(path, '..'))).toEqual(['tokens.json']);
    const b = createFileStore({ path });
    expect(await b.keyv.get('wx1:access_token')).toEqual({ value: 'v1', expired_time: 2_000_000_000 });
    expect(await b.keyv.get('wx2:access_token')).toBeUndefined();
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')))).toEqual(['wechat:wx1:access_token']);
  });

  it('batches writes and drops expired entries on load', async () => {
    const path = join(tmp(), 'tokens.json');
    const a = createFileStore({ path, debounceMs: 10_000 });
    for (let i = 0; i < 100; i++) await a.keyv.set(`k${i}`, { value: `v${i}` }, i % 2 === 0 ? 1 : undefined);
    await a.adapter.flush();
    await new Promise((r) => setTimeout(r, 5));
    expect(createFileStore({ path }).adapter.size).toBe(50);
  });

  it('loads an empty file as empty, and sets a corrupt one aside instead of refusing to start', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'empty.json'), '');
    expect(createFileStore({ path: join(dir, 'empty.json') }).adapter.size).toBe(0);
    for (const [name, text] of [
      ['truncated.json', '{"wechat:a":"{\\"value'],
      ['null.json', 'null'],
      ['array.json', '[1,2]'],
    ]) {
      writeFileSync(join(dir, name), text);
      const moved: string[] = [];
      const store = createFileStore({ path: join(dir, name), onCorrupt: (to) => moved.push(to) });
      expect(store.adapter.size).toBe(0);
      expect(moved).toHaveLength(1);
      expect(readFileSync(moved[0], 'utf8')).toBe(text);
    }
  });

  it('survives a failed write: reports it, keeps the data pending, and writes it once the disk recovers', async () => {
    const dir = tmp();
    const path = join(dir, 'tokens.json');
    const errors: unknown[] = [];
    const a = createFileStore({ path, debounceMs: 1, onWriteError: (e) => errors.push(e) });
    // A directory where the file should be makes the rename fail (as a full or read-only disk would).
    mkdirSync(path);
    await a.keyv.set('wx1:access_token', { value: 'v1', expired_time: 2_000_000_000 });
    await expect(a.adapter.flush()).rejects.toThrow();
    await a.keyv.set('wx2:access_token', { value: 'v2', expired_time: 2_000_000_000 });
    await new Promise((r) => setTimeout(r, 20));
    expect(errors.length).toBeGreaterThan(0);
    rmSync(path, { recursive: true });
    await a.adapter.flush();
    const b = createFileStore({ path });
    expect(await b.keyv.get('wx1:access_token')).toEqual({ value: 'v1', expired_time: 2_000_000_000 });
    expect(await b.keyv.get('wx2:access_token')).toEqual({ value: 'v2', expired_time: 2_000_000_000 });
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('lets a restarted refresher reuse its tokens without calling WeChat', async () => {
    const path = join(tmp(), 'tokens.json');
    const fake = createFakeWeChat({ apps: [{ appid: 'wx_fs', secret: 'fs-secret' }] });
    const clients = [{ kind: 'official_account' as const, appid: 'wx_fs', secret: 'fs-secret' }];
    const first = createFileStore({ path });
    const a = createRefresher({ fetch: fake.fetch, store: first.keyv, clients });
    await a.ready;
    const token = a.getToken('wx_fs', 'access_token');
    await a.stop();
    await first.adapter.flush();
    expect(fake.callCount()).toBe(3);

    const b = createRefresher({ fetch: fake.fetch, store: createFileStore({ path }).keyv, clients });
    await b.ready;
    expect(b.getToken('wx_fs', 'access_token')).toBe(token);
    expect(fake.callCount()).toBe(3);
    await b.stop();
  });
});
