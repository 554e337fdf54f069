/**
 * Config files of `start`: JSON and TypeScript modules, and errors naming the field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../src/cli/index.js';
import { ConfigError } from '../../src/index.js';

const client = { kind: 'mini_program', appid: 'wx_cfg', secret: 'cfg-secret' };

describe('loadCliConfig', () => {
  it('reads a JSON file relative to the folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-cfg-'));
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ clients: [client], server: { port: 0 } }));
    expect(await loadCliConfig('c.json', dir)).toEqual({ clients: [client], server: { port: 0 } });
  });

  it('imports a TypeScript module (default or `config` export)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-cfg-'));
    writeFileSync(
      join(dir, 'a.ts'),
      `const port: number = 0;\nexport default { clients: [${JSON.stringify(client)}], server: { port } };\n`,
    );
    writeFileSync(join(dir, 'b.ts'), `export const config = { clients: [], store: 'memory' as const };\n`);
    expect((await loadCliConfig('a.ts', dir)).clients).toEqual([client]);
    expect(await loadCliConfig(join(dir, 'b.ts'))).toEqual({ clients: [], store: 'memory' });
  });

  it('throws a ConfigError naming what is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wr-cfg-'));
    writeFileSync(join(dir, 'no-clients.json'), '{}');
    writeFileSync(join(dir, 'broken.json'), '{');
    writeFileSync(join(dir, 'c.yaml'), 'clients: []');
    writeFileSync(join(dir, 'store.json'), '{"clients":[],"store":"redis"}');
    await expect(loadCliConfig('no-clients.json', dir)).rejects.toMatchObject({ field: 'clients' });
    await expect(loadCliConfig('broken.json', dir)).rejects.toThrow(ConfigError);
    await expect(loadCliConfig('c.yaml', dir)).rejects.toMatchObject({ field: 'config' });
    await expect(loadCliConfig('store.json', dir)).rejects.toMatchObject({ field: 'store' });
  });
});
