import { createHash, X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLanServices, type LanServices } from '../../server/src/lan/lan-services.ts';
import { createLogger } from '../../server/src/logger.ts';
import { fakeCameraArgs, launchChromium, noChromiumMessage, saveScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { startStation, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const LAN_NAME = 'volunteer-station.lan';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../test-artifacts/screenshots');

/**
 * A tablet's view of the LAN: the kiosk opened under a LAN-style name that is not localhost, so
 * the browser applies its real secure-context rules. `--host-resolver-rules` maps that name to
 * 127.0.0.1 and sends every other name nowhere, so nothing leaves the machine. A tablet trusts
 * the CA by installing it; headless Chromium cannot be given a root, so the practical stand-in is
 * `--ignore-certificate-errors-spki-list` with the server certificate's key hash: Chromium then
 * treats the connection as valid (a secure context), as a tablet that trusts the CA does.
 */
describe.skipIf(skipWithoutChromium)('HTTPS kiosk in a browser', () => {
  let t: TestStation;
  let lan: LanServices;
  let trusting: Browser;
  let untrusting: Browser;
  let httpsPort: number;
  const contexts: BrowserContext[] = [];

  const resolverRules = `--host-resolver-rules=MAP ${LAN_NAME} 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost`;

  beforeAll(async () => {
    t = await startStation();
    // Shown on the setup page as the PC's Wi-Fi address; nothing is ever sent to it.
    t.station.lan.addresses = () => ['192.168.1.23'];
    lan = await startLanServices(t.station, { ...t.station.ctx.config, extraHostnames: [LAN_NAME] }, { logger: createLogger('error'), clock: t.station.ctx.clock, httpsListenPort: 0 });
    httpsPort = t.station.lan.https!.port;
    const serverCert = new X509Certificate(await fs.readFile(path.join(t.dataDir, 'tls', 'server.pem')));
    const spki = createHash('sha256').update(serverCert.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    trusting = await launchChromium([...fakeCameraArgs(), resolverRules, `--ignore-certificate-errors-spki-list=${spki}`]);
    untrusting = await launchChromium([...fakeCameraArgs(), resolverRules]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await trusting?.close();
    await untrusting?.close();
    await lan?.stop();
    await t?.destroy();
  });

  async function tablet(browser: Browser, viewport = { width: 1024, height: 768 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    contexts.push(context);
    return context.newPage();
  }

  const httpUrl = (pathName: string) => `http://${LAN_NAME}:${t.port}${pathName}`;
  const httpsUrl = (pathName: string) => `https://${LAN_NAME}:${httpsPort}${pathName}`;
  const cameraWorks = (page: Page) =>
    page.evaluate(async () => {
      if (!navigator.mediaDevices?.getUserMedia) return false;
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      const live = stream.getVideoTracks().length > 0;
      stream.getTracks().forEach((track) => track.stop());
      return live;
    });

  test('over HTTPS under a LAN name, with the CA trusted, the kiosk is a secure context and the camera works', async () => {
    const page = await tablet(trusting);
    await page.goto(httpsUrl('/kiosk/'));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(await cameraWorks(page)).toBe(true);
  });

  test('the same page over plain HTTP under that name is not a secure context and has no camera', async () => {
    const page = await tablet(trusting);
    // The gate would move this tablet to HTTPS; the "handheld scanner only" choice keeps it on HTTP.
    await page.context().addCookies([{ name: 'vs_kiosk_http', value: '1', url: httpUrl('/kiosk/') }]);
    await page.goto(httpUrl('/kiosk/'));
    expect(page.url()).toBe(httpUrl('/kiosk/'));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    expect(await page.evaluate(() => typeof navigator.mediaDevices?.getUserMedia)).toBe('undefined');
  });

  test('a tablet that trusts the CA is moved from HTTP to HTTPS, keeping the pairing code', async () => {
    const page = await tablet(trusting);
    await page.goto(httpUrl('/kiosk/?pair=ABC123'));
    await page.waitForURL((url) => url.protocol === 'https:', { timeout: 10_000 });
    expect(page.url()).toMatch(new RegExp(`^https://${LAN_NAME.replace(/\./g, '\\.')}:${httpsPort}/kiosk/`));
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
  });

  test('a tablet that does not trust it yet stays on HTTP and is told what to do', async () => {
    const page = await tablet(untrusting);
    await page.goto(httpUrl('/kiosk/?pair=ABC123'));
    await page.locator('#gate-untrusted').waitFor({ state: 'visible', timeout: 10_000 });
    expect(page.url()).toBe(httpUrl('/kiosk/?pair=ABC123'));
    await expect(page.locator('#gate-untrusted').innerText()).resolves.toContain('设置向导');
    await saveScreenshot(page, 'setup-gate-untrusted');
  });

  test('the setup guide on a tablet that does not trust the CA yet says no to both checks', async () => {
    const page = await tablet(untrusting);
    await page.goto(httpUrl('/setup/'));
    await expect.poll(() => page.locator('#check-trust').getAttribute('data-state'), { timeout: 10_000 }).toBe('no');
    expect(await page.locator('#check-secure').getAttribute('data-state')).toBe('no');
    await page.locator('#test-camera').click();
    expect(await page.locator('#check-camera').getAttribute('data-state')).toBe('no');
    await expect(page.locator('#camera-message').innerText()).resolves.toContain('HTTPS');
    await saveScreenshot(page, 'setup-tablet-untrusted');
  });

  test('the setup guide over HTTPS on a trusting tablet says yes, and the camera test passes', async () => {
    const page = await tablet(trusting, { width: 820, height: 1180 });
    await page.goto(httpsUrl('/setup/'));
    await expect.poll(() => page.locator('#check-trust').getAttribute('data-state'), { timeout: 10_000 }).toBe('yes');
    expect(await page.locator('#check-secure').getAttribute('data-state')).toBe('yes');
    await page.locator('#test-camera').click();
    await expect.poll(() => page.locator('#check-camera').getAttribute('data-state'), { timeout: 10_000 }).toBe('yes');
    await saveScreenshot(page, 'setup-tablet-trusted');
  });

  test('the setup guide on the PC shows a code that opens it on a tablet', async () => {
    const page = await tablet(untrusting, { width: 1280, height: 900 });
    await page.goto(`http://localhost:${t.port}/setup/`);
    await expect(page.locator('.open-on-tablet figcaption').innerText()).resolves.toContain(`http://192.168.1.23:${t.port}/setup/`);
    await saveScreenshot(page, 'setup-pc');
    await fs.mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'setup-pc-full.png'), fullPage: true });
  });
});
