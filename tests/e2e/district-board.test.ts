import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { freePort } from '../support/child-server.ts';
import { HUB_ADMIN_PASSWORD, HUB_VIEWER_PASSWORD, startHubProcess, waitFor, type HubProcess } from '../support/hub.ts';
import { postgresOrSkip, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);
const pgBin = postgresOrSkip();

/**
 * The district hall board in real Chromium, served by hub process 2, while the station's link
 * goes to hub process 1: a scan at the station's kiosk must appear on the board without a
 * reload (through the Socket.IO PostgreSQL adapter), with a masked name only.
 */
describe.skipIf(!pgBin || skipWithoutChromium)('district hall board (PostgreSQL, Chromium)', () => {
  let postgres: TestPostgres;
  const hubs: HubProcess[] = [];
  let station: TestStation;
  let kiosk: Socket;
  let browser: Browser;
  const people: { id: string; cardCode: string; name: string }[] = [];

  beforeAll(async () => {
    postgres = await startPostgres(pgBin!);
    hubs.push(...(await Promise.all([freePort(), freePort()].map(async (port) => startHubProcess(postgres.url, await port)))));
    const admin = new ApiClient(hubs[0]!.url);
    await admin.post('/api/district/login', { password: HUB_ADMIN_PASSWORD });
    const centers = [];
    for (const [name, street] of [['东风社区驿站', '东风街道'], ['西湖社区驿站', '西湖街道'], ['南山社区驿站', '南山街道']] as const) {
      centers.push((await admin.post('/api/district/centers', { name, street })).body);
    }
    station = await startStation();
    const api = await new ApiClient(station.url).login();
    await api.patch('/api/settings', { repeatWindowSeconds: 0, centerName: '东风社区驿站' });
    await openActivityNow(api, '河道巡查');
    for (const [name, phone] of [['欧阳明华', '13911112222'], ['李桂兰', '13922223333'], ['王建国', '13933334444']]) people.push({ ...(await registerVolunteer(api, name!, phone)), name: name! });
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    // The station's link goes to hub process 1 only.
    expect((await api.request('PUT', '/api/hub-link', { url: hubs[0]!.url, joinKey: centers[0].joinKey })).status).toBe(200);
    await waitFor('the station linked', async () => (await api.get('/api/hub-link')).body.state === 'idle');
    // Two people already serving before the board opens.
    for (const person of people.slice(0, 2)) await scan(person);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    kiosk?.close();
    await station?.destroy();
    await Promise.all(hubs.map((hub) => hub.kill()));
    await postgres?.stop();
  }, 60_000);

  async function scan(person: { cardCode: string }): Promise<void> {
    const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: person.cardCode, scannedAt: new Date().toISOString() });
    expect(ack.ok).toBe(true);
  }

  async function openBoard(width: number, height: number): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(`${hubs[1]!.url}/district-board/`);
    // The hub asks for a sign-in; the viewer's password is enough.
    await page.locator('#password').fill(HUB_VIEWER_PASSWORD);
    await page.locator('#login button[type=submit]').click();
    await page.locator('#connection[data-state=live]').waitFor({ timeout: 30_000 });
    return page;
  }

  it('shows who is serving across centers and today\'s figures, updates live when a scan reaches hub process 1, and never shows a full name', async () => {
    const page = await openBoard(1920, 1080);
    try {
      expect(await page.locator('h1').textContent()).toBe('区级志愿服务大屏');
      await page.locator('#serving li').nth(1).waitFor({ timeout: 30_000 });
      expect(await page.locator('#serving li .name').allTextContents()).toEqual(expect.arrayContaining(['欧**华', '李*兰']));
      expect(await page.locator('#centers tr').count()).toBe(3);
      const row = page.locator('#centers tr', { hasText: '东风社区驿站' });
      expect(await row.locator('td').allTextContents()).toEqual(['东风社区驿站', '2', '2', '2', '0']);

      // A scan at the station, linked to hub process 1; the page is on hub process 2 and is not reloaded.
      const loads: string[] = [];
      page.on('load', () => loads.push(page.url()));
      await scan(people[2]!);
      await page.locator('#serving li .name', { hasText: '王*国' }).waitFor({ timeout: 30_000 });
      await waitFor('today\'s figures updated', async () => (await row.locator('td').allTextContents()).join('|') === '东风社区驿站|3|3|3|0', 30_000);
      expect(await page.locator('#total-onsite').textContent()).toBe('3');
      // A sign-out takes the person off the list.
      await scan(people[0]!);
      await waitFor('the sign-out shown', async () => !(await page.locator('#serving li .name').allTextContents()).includes('欧**华'), 30_000);
      await waitFor('the figures after the sign-out', async () => (await page.locator('#total-onsite').textContent()) === '2', 30_000);
      expect(loads).toEqual([]);
      const text = (await page.locator('body').textContent()) ?? '';
      for (const person of people) {
        expect(text).not.toContain(person.name);
      }
      expect(text).not.toMatch(/139\d{8}/);
      await saveDocsScreenshot(page, 'district-board-1920x1080');

      // English from its catalog.
      await page.locator('#language').click();
      expect(await page.locator('h1').textContent()).toBe('District volunteer board');
      expect(await page.locator('#connection').textContent()).toBe('Live');
      await page.locator('#language').click();
    } finally {
      await page.close();
    }
  }, 120_000);

  it('fits a 1024×768 screen, and a wrong password is refused', async () => {
    const page = await openBoard(1024, 768);
    try {
      await page.locator('#serving li').first().waitFor({ timeout: 30_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      await saveDocsScreenshot(page, 'district-board-1024x768');
    } finally {
      await page.close();
    }
    const stranger = await browser.newPage();
    try {
      await stranger.goto(`${hubs[1]!.url}/district-board/`);
      await stranger.locator('#password').fill('not-the-password');
      await stranger.locator('#login button[type=submit]').click();
      await waitFor('the refusal', async () => (await stranger.locator('#login-error').textContent()) === '密码不正确。', 30_000);
      expect(await stranger.locator('#board').isHidden()).toBe(true);
    } finally {
      await stranger.close();
    }
  }, 120_000);
}, 300_000);
