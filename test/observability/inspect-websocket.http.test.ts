/**
 * The `inspect` option with `@statelyai/inspect`'s createWebSocketInspector, over a real loopback
 * WebSocket: the frames an inspector UI receives show the machines and carry no secret or token.
 */
import { createWebSocketInspector } from '@statelyai/inspect';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createFakeWeChat } from '../../src/fake/index.js';
import { createRefresher } from '../../src/index.js';

describe('createWebSocketInspector', () => {
  it('receives the machines over a WebSocket, scrubbed', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((r) => wss.once('listening', r));
    const frames: string[] = [];
    wss.on('connection', (socket: { on(e: 'message', l: (d: unknown) => void): void }) =>
      socket.on('message', (data) => frames.push(String(data))),
    );
    const { port } = wss.address() as { port: number };
    const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` });
    const fake = createFakeWeChat({ apps: [{ appid: 'wx_ws', secret: 'ws-secret-2b2b2b' }] });
    const refresher = createRefresher({
      fetch: fake.fetch,
      inspect: inspector.inspect,
      clients: [{ kind: 'mini_program', appid: 'wx_ws', secret: 'ws-secret-2b2b2b' }],
    });
    await refresher.ready;
    const token = refresher.getToken('wx_ws', 'access_token')!;
    await refresher.refreshKey(
      'wx_ws',
      'wx_ws',
      'access_token',
      'pushed-token-7a7a7a7a',
      Math.floor(Date.now() / 1000) + 3600,
    );
    await expect.poll(() => frames.some((f) => f.includes('REFRESH_KEY')), { timeout: 5000 }).toBe(true);
    await refresher.stop();
    inspector.stop();
    await new Promise((r) => wss.close(r));
    const text = frames.join('\n');
    expect(frames.map((f) => JSON.parse(f).type)).toEqual(
      expect.arrayContaining(['@xstate.actor', '@xstate.snapshot']),
    );
    expect(text).toContain('client:wx_ws');
    for (const needle of ['ws-secret-2b2b2b', token, 'pushed-token-7a7a7a7a'])
      expect(text).not.toContain(needle);
  });
});
