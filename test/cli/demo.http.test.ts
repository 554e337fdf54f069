/**
 * `wechat-refresher demo` through the commander program: the fake on loopback, every client of
 * the mix started (authorizers included, through the pushed ticket and refresh tokens), the one
 * broken app failing in words, the dashboard URL and token printed, server.json written and
 * removed on stop. Faults are off here so every assertion is deterministic.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildProgram,
  type CliIo,
  type CommandResult,
  demoFixture,
  readServerFile,
} from '../../src/cli/index.js';

describe('demo', () => {
  it('the fixture mixes kinds, a component with authorizers and a WeCom corp', () => {
    const fixture = demoFixture({ clients: 40 });
    expect(fixture.clients).toHaveLength(40);
    const kinds = fixture.clients.map(([c]) => c.kind);
    expect(new Set(kinds)).toEqual(new Set(['official_account', 'mini_program', 'work']));
    expect(fixture.clients.filter(([c]) => c.kind !== 'work' && c.component)).toHaveLength(3);
    expect(fixture.refreshTokens).toHaveLength(3);
  });

  it('runs on loopback and prints the dashboard URL; piped stderr never gets the token', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wr-demo-'));
    const err: string[] = [];
    const io: CliIo = { out: () => {}, err: { write: (t: string) => err.push(t) }, env: {}, cwd };
    let result: CommandResult | undefined;
    const program = buildProgram(io, (r) => {
      result = r;
    });
    await program.parseAsync(
      ['demo', '--port', '0', '--clients', '30', '--fault-rate', '0', '--log-level', 'silent'],
      { from: 'user' },
    );
    if (!result || !('running' in result)) throw new Error('demo did not start');
    const { running, close } = result;
    try {
      await running.started;
      const text = err.join('');
      expect(text).toMatch(/fake WeChat on http:\/\/127\.0\.0\.1:\d+ \(api\)/);
      // stderr is not a terminal here (as under systemd or docker): the token stays in server.json.
      expect(text).toContain(
        `dashboard: ${running.url} (control token in ${join(cwd, '.wechat-refresher', 'server.json')})`,
      );
      expect(text).not.toContain(running.token);
      expect(text).toMatch(/starting clients \[#+\] 31\/31 100%/);
      const info = await readServerFile(join(cwd, '.wechat-refresher'));
      expect(info).toMatchObject({ url: running.url, token: running.token, pid: process.pid });
      const health = await (await fetch(`${running.url}/healthz`)).json();
      expect(health).toMatchObject({ clients: 30, components: 1 });
      const legacy = health.problems.find((p: { appid: string }) => p.appid === 'wxdemo_oa_legacy');
      expect(legacy.advice).toMatch(/Needs a person/);
      expect(running.refresher.getToken('wxdemo_auth_cafe', 'access_token')).toBeDefined();
      expect(running.refresher.getToken('wwdemo_corp_1000002', 'agent_js_api_ticket')).toBeDefined();
    } finally {
      await running.stop();
      await close?.();
    }
    expect(existsSync(join(cwd, '.wechat-refresher', 'server.json'))).toBe(false);
    expect(existsSync(join(cwd, '.wechat-refresher', 'demo-tokens.json'))).toBe(true);
  });
});
