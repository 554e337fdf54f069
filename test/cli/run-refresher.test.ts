/**
 * runRefresher, the engine of `start` and `demo`: clients beyond the first batch are added batch
 * by batch after monitoring starts, the bar counts every one, and stop() flushes the file store.
 */
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliIo, createFileStore, runRefresher } from '../../src/cli/index.js';
import type { ClientConfig, ClientSetting } from '../../src/index.js';

function clients(n: number): Array<[ClientConfig, ClientSetting]> {
  return Array.from({ length: n }, (_, i) => [
    { kind: 'mini_program', appid: `wx_run_${i}` },
    {
      refreshOptions: [
        {
          storeId: `wx_run_${i}`,
          storeKey: 'access_token',
          refresh: async () => ({ value: `v-${i}`, expiresIn: 7200 }),
        },
      ],
    },
  ]);
}

describe('runRefresher', () => {
  it('starts every client, the first batch at once and the rest batch by batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-run-'));
    const err: string[] = [];
    const io: CliIo = { out: () => {}, err: { write: (t: string) => err.push(t) }, env: {}, cwd: dir };
    const fileStore = createFileStore({ path: join(dir, 'tokens.json') });
    const running = await runRefresher(
      {
        clients: clients(7),
        batchSize: 3,
        store: fileStore.keyv,
        fileStore: fileStore.adapter,
        dir,
        server: false,
        logLevel: 'silent',
      },
      io,
    );
    await running.started;
    expect(running.refresher.clients()).toHaveLength(7);
    for (let i = 0; i < 7; i++)
      expect(running.refresher.getToken(`wx_run_${i}`, 'access_token')).toBe(`v-${i}`);
    expect(err.join('')).toMatch(/starting clients \[#+\] 7\/7 100%\n$/);
    expect(running.url).toBeUndefined();
    await running.stop();
    expect(existsSync(join(dir, 'tokens.json'))).toBe(true);
  });

  it('registers every client at once, unstarted, when the config waits for a signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-run-'));
    const io: CliIo = { out: () => {}, err: { write: () => true }, env: {}, cwd: dir };
    const running = await runRefresher(
      {
        clients: clients(5),
        batchSize: 2,
        dir,
        server: false,
        logLevel: 'silent',
        refresher: { waitForSignal: true },
      },
      io,
    );
    await running.started;
    expect(running.refresher.clients()).toHaveLength(5);
    expect(running.refresher.getToken('wx_run_0', 'access_token')).toBeUndefined();
    await running.stop();
  });

  it('shows a generated control token on a terminal only, never one the operator chose', async () => {
    const shown = async (isTTY: boolean, token?: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'wr-run-'));
      const err: string[] = [];
      const io: CliIo = {
        out: () => {},
        err: { write: (t: string) => err.push(t), isTTY },
        env: {},
        cwd: dir,
      };
      const running = await runRefresher(
        { clients: clients(1), dir, server: { port: 0, token }, logLevel: 'silent' },
        io,
      );
      await running.started;
      const printed = err.join('').includes(running.token!);
      await running.stop();
      return printed;
    };
    expect(await shown(true)).toBe(true);
    expect(await shown(false)).toBe(false);
    expect(await shown(true, 'operator-chosen-token-0123456789')).toBe(false);
  });

  it('rewrites an existing looser server.json at mode 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-run-'));
    writeFileSync(join(dir, 'server.json'), '{}', { mode: 0o644 });
    const io: CliIo = { out: () => {}, err: { write: () => true }, env: {}, cwd: dir };
    const running = await runRefresher(
      { clients: clients(1), dir, server: { port: 0 }, logLevel: 'silent' },
      io,
    );
    await running.started;
    expect(statSync(join(dir, 'server.json')).mode & 0o777).toBe(0o600);
    await running.stop();
  });
});
