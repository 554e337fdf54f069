/**
 * PAUSE and RESUME: an operator stops automatic refresh of one client (pain point: a retry loop
 * burning quota) and starts it again; manual refreshes still work while paused.
 */
import { describe, expect, it } from 'vitest';
import { harness, MP, OA } from './setup.js';

const TOKEN = '/cgi-bin/token';

describe('pause and resume', () => {
  it('a paused client makes no call when its keys come due; resume refreshes what is due at once', async () => {
    const h = harness({ clients: [MP, OA] });
    await h.refresher.ready;
    expect(await h.refresher.pause('mp1')).toBe('ok');
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('paused');
    h.fake.clearCalls();
    await h.advance(6000_000);
    // Only oa1 refreshed.
    expect(h.fake.calls.every((c) => c.appids.includes('oa1'))).toBe(true);
    const token = h.refresher.getToken('mp1', 'access_token');
    expect(await h.refresher.resume('mp1')).toBe('ok');
    await h.advance(0);
    expect(h.fake.calls.filter((c) => c.path === TOKEN && c.appids.includes('mp1'))).toHaveLength(1);
    expect(h.refresher.getToken('mp1', 'access_token')).not.toBe(token);
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('idle');
    await h.refresher.stop();
  });

  it('pausing stops a retry loop; resuming keeps the back-off instead of hammering WeChat', async () => {
    const h = harness({ clients: [MP], fake: { apps: [{ appid: 'mp1', secret: 'wrong' }] } });
    await h.refresher.ready;
    await h.advance(60_000);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.pause('mp1');
    await h.advance(86_400_000);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.resume('mp1');
    await h.advance(0);
    expect(h.calls(TOKEN)).toBe(2);
    await h.advance(120_000);
    expect(h.calls(TOKEN)).toBe(3);
    await h.refresher.stop();
  });

  it('a manual refresh while paused works and leaves the client paused', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    await h.refresher.pause('mp1');
    const token = h.refresher.getToken('mp1', 'access_token');
    expect(await h.refresher.refresh('mp1')).toBe('ok');
    expect(h.refresher.getToken('mp1', 'access_token')).not.toBe(token);
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('paused');
    await h.advance(86_400_000 - 1);
    expect(h.calls(TOKEN)).toBe(2);
    await h.refresher.stop();
  });

  it('a client paused before startMonitor makes no call until resumed; unknown appids are not_found', async () => {
    const h = harness({ clients: [MP], waitForSignal: true });
    await h.refresher.pause('mp1');
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('paused');
    await h.refresher.startMonitor();
    expect(h.calls(TOKEN)).toBe(0);
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('paused');
    await h.refresher.resume('mp1');
    await h.advance(0);
    expect(h.calls(TOKEN)).toBe(1);
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('idle');
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(2);
    expect(await h.refresher.pause('nobody')).toBe('not_found');
    expect(await h.refresher.resume('nobody')).toBe('not_found');
    await h.refresher.stop();
  });

  it('pause then resume during an in-flight refresh leaves the client monitored', async () => {
    const h = harness({ clients: [MP] });
    await h.refresher.ready;
    const refreshing = h.refresher.refresh('mp1');
    await h.refresher.pause('mp1');
    await h.refresher.resume('mp1');
    await refreshing;
    expect(h.refresher._runtime.clients.get('mp1')!.state).toBe('idle');
    await h.advance(5400_000);
    expect(h.calls(TOKEN)).toBe(3);
    await h.refresher.stop();
  });
});
