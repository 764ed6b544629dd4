import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, startStation, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * A tablet whose first download of the app shell failed (the Wi-Fi dropped mid-install) must
 * still end up with its offline shell without anyone reloading it: kiosks run for weeks.
 */
describe.skipIf(skipWithoutChromium)('kiosk app shell after a failed install', () => {
  let station: TestStation;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    station = await startStation();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 800, height: 1280 }, serviceWorkers: 'allow' });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  test('the kiosk registers its service worker again once the network is back, and is then served offline', async () => {
    const api = await adminClient(station);
    const created = await api.post('/api/devices', { name: '走廊签到机', mode: 'checkin' });
    expect(created.status).toBe(201);

    // Every shell download fails while the "Wi-Fi is down": the first install cannot complete.
    let refused = 0;
    await context.route('**/kiosk/sw.js', async (route) => {
      refused++;
      await route.abort('internetdisconnected');
    });
    await page.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
    await page.locator('[data-screen=scanning]').waitFor();
    await expect.poll(() => refused, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.active?.state ?? 'none'))).resolves.toBe('none');

    // The network comes back: no reload, the page itself tries again.
    await context.unroute('**/kiosk/sw.js');
    await context.setOffline(true);
    await context.setOffline(false);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });

    // Proof the shell is cached: with the server gone, a reload still shows the kiosk.
    const { dataDir, port } = station;
    await station.stop();
    await page.reload();
    await page.locator('[data-screen=scanning]').waitFor({ timeout: 20_000 });
    station = await startStation({ dataDir, port });
  }, 120_000);
});
