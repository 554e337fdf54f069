/**
 * `status`, `refresh`, `pause`, `resume` against a server on a real loopback port, finding it by
 * flags, by environment or by the server.json a local `start` writes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/index.js';
import {
  buildProgram,
  type CommandResult,
  controlCommand,
  statusCommand,
  writeServerFile,
} from '../../src/cli/index.js';
import { listenRefresherServer, type RefresherServer } from '../../src/server/index.js';
import { makeRig, makeServer, type Rig, SECRETS, TOKEN } from '../server/helpers.js';

function io(env: Record<string, string> = {}, cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { out: (t) => out.push(t), err: { write: (t: string) => err.push(t) }, env, cwd };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

let rig: Rig;
let server: RefresherServer;
let url: string;

beforeAll(async () => {
  rig = await makeRig();
  server = makeServer(rig);
  url = await listenRefresherServer(server, { port: 0 });
});

afterAll(async () => {
  await server.close();
  await rig.refresher.stop();
});

describe('status', () => {
  it('prints health, counts and the worst clients first, without secrets', async () => {
    const t = io();
    expect(await statusCommand({ url }, t.io)).toBe(0);
    const lines = t.out().trim().split('\n');
    expect(lines[0]).toMatch(/degraded\s+clients=5 components=1 expired=1 stuck=0/);
    expect(lines[1]).toMatch(/^wx_bad\s+mini_program\s+retrying\s+expired .*access_token=none .*! WeChat/);
    expect(t.out()).toMatch(/wx_oa\s+official_account\s+idle\s+ok\s+ok=3 fail=0\s+access_token=2h00m/);
    for (const s of SECRETS) expect(t.out()).not.toContain(s);
  });

  it('prints JSON with --json', async () => {
    const t = io();
    await statusCommand({ url, json: true }, t.io);
    expect(JSON.parse(t.out()).health.status).toBe('degraded');
  });

  it('exits 2 when no server answers', async () => {
    const t = io();
    expect(await statusCommand({ url: 'http://127.0.0.1:9' }, t.io)).toBe(2);
    expect(t.err()).toMatch(/no server at/);
  });
});

describe('refresh, pause, resume', () => {
  it('refresh <appid> with the token refreshes and prints the client', async () => {
    const t = io();
    const before = rig.refresher._runtime.clients.get('wx_mp')!.stats.refreshes;
    expect(await controlCommand('refresh', 'wx_mp', { url, token: TOKEN }, t.io)).toBe(0);
    expect(t.out()).toMatch(/^refresh wx_mp: ok\nwx_mp\s+mini_program\s+idle/);
    expect(rig.refresher._runtime.clients.get('wx_mp')!.stats.refreshes).toBe(before + 1);
  });

  it('is refused (exit 1) with a wrong token, and does nothing', async () => {
    const t = io();
    const before = rig.refresher._runtime.clients.get('wx_mp')!.stats.refreshes;
    expect(await controlCommand('refresh', 'wx_mp', { url, token: 'wrong-token-1234567890' }, t.io)).toBe(1);
    expect(t.err()).toMatch(/refused/);
    expect(rig.refresher._runtime.clients.get('wx_mp')!.stats.refreshes).toBe(before);
  });

  it('says not found (exit 1) for an unknown appid, and needs a token (exit 2)', async () => {
    const t = io();
    expect(await controlCommand('pause', 'wx_ghost', { url, token: TOKEN }, t.io)).toBe(1);
    expect(t.err()).toMatch(/not found: wx_ghost/);
    expect(
      await controlCommand('pause', 'wx_mp', { url, dir: mkdtempSync(join(tmpdir(), 'wr-')) }, t.io),
    ).toBe(2);
  });

  it('takes URL and token from the environment, or from server.json', async () => {
    const a = io({ WECHAT_REFRESHER_URL: url, WECHAT_REFRESHER_TOKEN: TOKEN });
    expect(await controlCommand('pause', 'wx_mp', {}, a.io)).toBe(0);
    expect(a.out()).toMatch(/wx_mp\s+mini_program\s+paused/);
    const dir = mkdtempSync(join(tmpdir(), 'wr-'));
    await writeServerFile(join(dir, '.wechat-refresher'), { url, token: TOKEN, pid: 1 });
    const b = io({}, dir);
    expect(await controlCommand('resume', 'wx_mp', {}, b.io)).toBe(0);
    expect(b.out()).toMatch(/wx_mp\s+mini_program\s+idle/);
  });

  it('runs through the commander program: `refresh <appid> --store-id --store-key`', async () => {
    const t = io({ WECHAT_REFRESHER_TOKEN: TOKEN });
    const results: CommandResult[] = [];
    const program = buildProgram(t.io, (r) => {
      results.push(r);
    });
    await program.parseAsync(
      ['refresh', 'wx_oa', '--url', url, '--store-id', 'wx_oa', '--store-key', 'js_api_ticket'],
      {
        from: 'user',
      },
    );
    expect(results).toEqual([{ exitCode: 0 }]);
    expect(t.out()).toMatch(/^refresh wx_oa: ok/);
  });
});
