/**
 * `server.json` in the CLI's folder: where a running `start`/`demo` serves and its control token,
 * readable by the owner only, so `status` and `refresh` on the same machine need no flags.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writePrivateFile } from './write-private-file.js';

/** The CLI's folder unless told otherwise. */
export const DEFAULT_CLI_DIR = '.wechat-refresher';
export const SERVER_FILE = 'server.json';

export interface ServerFile {
  url: string;
  token: string;
  pid: number;
}

/** Writes `<dir>/server.json` (mode 0600). */
export async function writeServerFile(dir: string, info: ServerFile): Promise<string> {
  const path = join(dir, SERVER_FILE);
  await writePrivateFile(path, `${JSON.stringify(info, null, 2)}\n`);
  return path;
}

/** Reads `<dir>/server.json`, or undefined when there is none. */
export async function readServerFile(dir: string): Promise<ServerFile | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, SERVER_FILE), 'utf8')) as Partial<ServerFile>;
    if (typeof parsed.url !== 'string' || typeof parsed.token !== 'string') return undefined;
    return { url: parsed.url, token: parsed.token, pid: Number(parsed.pid) };
  } catch {
    return undefined;
  }
}

/** Removes `<dir>/server.json` if it is ours. */
export async function removeServerFile(dir: string, pid: number = process.pid): Promise<void> {
  const info = await readServerFile(dir);
  if (info && info.pid === pid) await rm(join(dir, SERVER_FILE), { force: true });
}
