/**
 * `status`, `refresh`, `pause`, `resume`: commands against a running server. The URL and token
 * come from flags, then `WECHAT_REFRESHER_URL` / `WECHAT_REFRESHER_TOKEN`, then the `server.json`
 * a local `start` or `demo` wrote.
 */
import { resolve } from 'node:path';
import type { ClientView, HealthReport, ListPage } from '../server/index.js';
import type { CliIo } from './io.js';
import { DEFAULT_CLI_DIR, readServerFile } from './server-file.js';

export interface RemoteOptions {
  url?: string;
  token?: string;
  /** Folder holding `server.json`. @default './.wechat-refresher' */
  dir?: string;
  /** Print the raw JSON. */
  json?: boolean;
  /** fetch to use. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
}

/** Exit codes: 0 done, 1 refused or failed, 2 server unreachable or not configured. */
export type ExitCode = 0 | 1 | 2;

const DEFAULT_URL = 'http://127.0.0.1:7380';

async function target(options: RemoteOptions, io: CliIo): Promise<{ url: string; token?: string }> {
  const file = await readServerFile(resolve(io.cwd, options.dir ?? DEFAULT_CLI_DIR));
  const url = options.url ?? io.env.WECHAT_REFRESHER_URL ?? file?.url ?? DEFAULT_URL;
  const token =
    options.token ?? io.env.WECHAT_REFRESHER_TOKEN ?? (file && file.url === url ? file.token : undefined);
  return { url: url.replace(/\/+$/, ''), token };
}

function fmtLeft(expiresAtSec: number, nowMs: number): string {
  if (expiresAtSec === 0) return 'none';
  const s = Math.round(expiresAtSec - nowMs / 1000);
  if (s <= 0) return 'expired';
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line per client: appid, state, health, counts, keys with time left, the error. */
export function formatClient(v: ClientView, nowMs: number): string {
  const keys = v.keys.map((k) => `${k.storeKey}=${fmtLeft(k.expiresAtSec, nowMs)}`).join(' ');
  const err = v.keys.find((k) => k.lastError)?.lastError;
  const tail = err ? `  ! ${err.message}` : '';
  return `${v.appid.padEnd(24)} ${v.kind.padEnd(16)} ${v.state.padEnd(10)} ${v.health.padEnd(8)} ok=${v.refreshes} fail=${v.failures}  ${keys}${tail}`;
}

async function request(
  fetchFn: typeof globalThis.fetch,
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: any } | undefined> {
  try {
    const res = await fetchFn(url, init);
    return { status: res.status, body: await res.json().catch(() => ({})) };
  } catch {
    return undefined;
  }
}

/** `status`: health, counts, and the clients that need attention. */
export async function statusCommand(options: RemoteOptions, io: CliIo): Promise<ExitCode> {
  const { url } = await target(options, io);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const health = await request(fetchFn, `${url}/healthz`);
  if (!health) {
    io.err.write(`no server at ${url} (start one with \`wechat-refresher start\` or \`demo\`)\n`);
    return 2;
  }
  const page = await request(fetchFn, `${url}/api/clients?sort=attention&limit=20`);
  if (options.json) {
    io.out(`${JSON.stringify({ health: health.body, clients: page?.body }, null, 2)}\n`);
    return 0;
  }
  const h = health.body as HealthReport;
  io.out(
    `${url}  ${h.status}${h.ready ? '' : ' (not ready)'}  clients=${h.clients} components=${h.components} ` +
      `expired=${h.expired} stuck=${h.stuck} retrying=${h.retrying} paused=${h.paused}\n`,
  );
  const list = page?.body as ListPage | undefined;
  if (list?.items) {
    for (const v of list.items) io.out(`${formatClient(v, list.nowMs)}\n`);
    if (list.total > list.items.length) io.out(`… ${list.total - list.items.length} more (worst first)\n`);
  }
  return 0;
}

/** `refresh <appid>` (and `pause`, `resume`): the control routes, with the bearer token. */
export async function controlCommand(
  action: 'refresh' | 'pause' | 'resume',
  appid: string,
  options: RemoteOptions & { storeId?: string; storeKey?: string },
  io: CliIo,
): Promise<ExitCode> {
  const { url, token } = await target(options, io);
  if (!token) {
    io.err.write(
      'no token: pass --token, set WECHAT_REFRESHER_TOKEN, or run where the server wrote server.json\n',
    );
    return 2;
  }
  const body =
    options.storeId && options.storeKey ? { storeId: options.storeId, storeKey: options.storeKey } : {};
  const res = await request(
    options.fetch ?? globalThis.fetch,
    `${url}/api/clients/${encodeURIComponent(appid)}/${action}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  if (!res) {
    io.err.write(`no server at ${url}\n`);
    return 2;
  }
  if (options.json) io.out(`${JSON.stringify(res.body, null, 2)}\n`);
  if (res.status === 401) {
    io.err.write('refused: wrong token\n');
    return 1;
  }
  if (res.status === 404) {
    io.err.write(`not found: ${appid}\n`);
    return 1;
  }
  if (res.status !== 200) {
    io.err.write(`${action} failed: ${res.body?.message ?? res.status}\n`);
    return 1;
  }
  if (!options.json) {
    io.out(`${action} ${appid}: ${res.body.result}\n`);
    if (res.body.client) io.out(`${formatClient(res.body.client, res.body.nowMs)}\n`);
  }
  return 0;
}
