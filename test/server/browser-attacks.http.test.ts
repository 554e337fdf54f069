/**
 * What a hostile web page can do to a refresher server on this machine: open a WebSocket to it
 * (browsers apply no same-origin rule there), read it through DNS rebinding (a foreign Host name),
 * or flood the feed with a huge message. Over real sockets, since these are socket-level checks.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listenRefresherServer, type RefresherServer } from '../../src/server/index.js';
import { makeRig, makeServer, type Rig } from './helpers.js';

let rig: Rig;
let server: RefresherServer;
let url: string;

beforeAll(async () => {
  rig = await makeRig();
  server = makeServer(rig, { port: 0 });
  url = await listenRefresherServer(server);
});

afterAll(async () => {
  await server.close();
  await rig.refresher.stop();
});

/** A GET with a Host header of our choosing (fetch does not let one set it). */
function getWithHost(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the feed and collects what arrives until it closes or 300 ms pass. */
async function openFeed(headers: Record<string, string>, send?: string) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/live`, { headers });
  const messages: string[] = [];
  ws.on('message', (d: Buffer) => messages.push(String(d)));
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  await new Promise((resolve) => ws.once('open', resolve));
  if (send) ws.send(send);
  const code = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(0), 300))]);
  ws.terminate();
  return { messages, code };
}

describe('a hostile page against the loopback server', () => {
  it('gets no live feed from another origin; the page’s own origin does', async () => {
    const evil = await openFeed({ origin: 'https://evil.example' });
    expect(evil.code).toBe(1008);
    expect(evil.messages).toEqual([]);
    const own = await openFeed({ origin: url });
    expect(own.messages.some((m) => m.includes('"hello"'))).toBe(true);
  });

  it('cannot read the API under a rebound host name (421); loopback names work', async () => {
    const port = new URL(url).port;
    const res = await getWithHost('/api/clients', `attacker.example:${port}`);
    expect(res.status).toBe(421);
    expect(res.body).not.toContain('wx_');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await getWithHost('/healthz', host)).status).toBe(200);
    }
  });

  it('closes a connection that sends a message over 64 KiB, and keeps serving', async () => {
    const huge = JSON.stringify({
      type: 'watch',
      appids: Array.from({ length: 20_000 }, (_, i) => `wx${i}`),
    });
    const flooded = await openFeed({}, huge);
    expect(flooded.code).toBe(1009);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
