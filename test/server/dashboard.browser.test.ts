/**
 * The dashboard in real headless Chromium (Debian's build, driven by playwright-core), over the
 * demo exactly as `wechat-refresher demo` runs it (fake WeChat on loopback, the mixed set of apps,
 * the real clock): the clients are listed, a click on Refresh moves the token's expiry and raises
 * the refresh count, the state chart shows the client's state, nothing is loaded from elsewhere.
 * A screenshot lands in test-results/. Skipped, saying so, only when no Chromium binary exists.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo, DemoUpstream, Running } from '../../src/cli/index.js';
import { runRefresher, startDemoUpstream } from '../../src/cli/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM)
  console.warn(`dashboard.browser.test: skipped, no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);

const quiet: CliIo = { out: () => {}, err: { write: () => true }, env: {}, cwd: process.cwd() };

describe.skipIf(!HAS_CHROMIUM)('dashboard in Chromium', () => {
  let upstream: DemoUpstream;
  let running: Running;
  let browser: Browser;

  beforeAll(async () => {
    upstream = await startDemoUpstream({ faultRate: 0 });
    running = await runRefresher(
      {
        clients: upstream.fixture.clients,
        dir: `${process.cwd()}/.scratch/browser-test`,
        server: { host: '127.0.0.1', port: 0 },
        logLevel: 'silent',
        refresher: { endpoints: { api: upstream.server.api, work: upstream.server.work } },
        beforeMonitor: (refresher) => upstream.seed(refresher),
      },
      quiet,
    );
    await running.started;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
    await upstream?.server.close();
  });

  it('lists the clients; Refresh moves the expiry and raises the count', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(running.url!) && !r.url().startsWith(running.url!.replace('http', 'ws')))
        foreign.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${running.url}/#token=${running.token}`);

    const row = page.locator('tr[data-appid="wxdemo_oa_news"]');
    await row.waitFor();
    expect(await page.locator('#clients tbody tr').count()).toBe(11);
    for (const appid of [
      'wxdemo_mp_booking',
      'wxdemo_auth_store',
      'wwdemo_corp',
      'wxdemo_platform',
      'wxdemo_oa_legacy',
    ]) {
      await expect.poll(() => page.locator(`tr[data-appid="${appid}"]`).count()).toBe(1);
    }
    // The broken app is first, its error in words.
    await expect
      .poll(() => page.locator('#clients tbody tr').first().getAttribute('data-appid'))
      .toBe('wxdemo_oa_legacy');
    expect(
      await page.locator('tr[data-appid="wxdemo_oa_legacy"] [data-field="last-error"]').textContent(),
    ).toMatch(/access_token: .*40001/);
    // The token fragment was read and dropped from the address bar.
    expect(page.url()).not.toContain('token=');

    const expiry = row.locator('li[data-store-key="access_token"] .countdown');
    const refreshes = row.locator('[data-field="refreshes"]');
    const beforeAt = Number(await expiry.getAttribute('data-expires-at'));
    const beforeCount = Number(await refreshes.textContent());
    expect(beforeCount).toBeGreaterThanOrEqual(3);
    await expect.poll(() => expiry.textContent()).toMatch(/^\d+:\d\d$/);

    // Expiry instants are whole seconds: let one pass so the new token's expiry differs.
    await page.waitForTimeout(1100);
    await row.locator('button[data-action="refresh"]').click();
    await expect
      .poll(async () => Number(await row.locator('[data-field="refreshes"]').textContent()))
      .toBeGreaterThanOrEqual(beforeCount + 3);
    const afterAt = Number(
      await row.locator('li[data-store-key="access_token"] .countdown').getAttribute('data-expires-at'),
    );
    expect(afterAt).toBeGreaterThan(beforeAt);
    expect(running.refresher.getStoreMap('wxdemo_oa_news', 'access_token')!.expired_time).toBe(afterAt);

    // Details and the state chart, drawn from the machine definition, with the client's state lit.
    await row.locator('td').first().click();
    await page.locator('#detail h3').getByText('wxdemo_oa_news').waitFor();
    await expect.poll(() => page.locator('#chart .node').count()).toBe(8);
    await expect.poll(() => page.locator('#chart .node.current').getAttribute('data-state')).toBe('idle');
    await expect.poll(() => page.locator('#live').textContent()).toBe('live');
    await expect
      .poll(() => page.locator('#events').textContent())
      .toContain('wxdemo_oa_news access_token refreshed');

    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('pages and filters', async () => {
    const page = await browser.newPage();
    await page.goto(running.url!);
    await page.locator('#clients tbody tr').first().waitFor();
    await page.locator('#q').fill('auth_');
    await expect.poll(() => page.locator('#clients tbody tr').count()).toBe(3);
    await page.locator('#q').fill('');
    await page.locator('#kind').selectOption('work');
    await expect.poll(() => page.locator('#clients tbody tr').count()).toBe(1);
    await page.close();
  });

  it('asks for the token before control, and a wrong one is refused', async () => {
    const page = await browser.newPage();
    await page.goto(running.url!);
    const row = page.locator('tr[data-appid="wxdemo_mp_coupons"]');
    await row.waitFor();
    const before = await row.locator('[data-field="refreshes"]').textContent();
    page.once('dialog', (d) => d.accept('not-the-token-000000'));
    await row.locator('button[data-action="refresh"]').click();
    await expect.poll(() => page.locator('#notice').textContent()).toMatch(/refused the token/);
    expect(await row.locator('[data-field="refreshes"]').textContent()).toBe(before);
    await page.close();
  });
});
