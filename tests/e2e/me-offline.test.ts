import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MeLinkAck } from '../../server/src/protocol/events.ts';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { testImage } from '../support/phone.ts';
import { adminClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const PHONE = { width: 360, height: 740 };
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';

/** The parts of a multipart/form-data body, as the server would read them. */
function multipartParts(body: Buffer, contentType: string): { name: string; type?: string; data: Buffer }[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: { name: string; type?: string; data: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(at + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    parts.push({ name: /name="([^"]+)"/.exec(headers)?.[1] ?? '', type: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1], data: part.subarray(headerEnd + 4) });
    at = next;
  }
  return parts;
}

/**
 * The phone's 随手拍 on a weak Wi-Fi, in Chromium at 360×740: photos are shrunk on the phone
 * before they are sent, a snap taken while the Wi-Fi is down waits in IndexedDB and goes out once
 * when it is back, and a resend after a lost answer never makes a second snap.
 */
describe.skipIf(skipWithoutChromium)('the phone’s 随手拍 without Wi-Fi', () => {
  let station: TestStation;
  let api: ApiClient;
  let kiosk: Socket;
  let browser: Browser;
  let context: BrowserContext;
  let phone: Page;

  const snapsAt = async (place: string) => ((await api.get('/api/snaps')).body.items as { place: string }[]).filter((s) => s.place === place).length;

  async function fillSnap(place: string, photo: Buffer, type = 'image/png') {
    await phone.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: type, buffer: photo });
    await phone.locator('.photo-pick img').waitFor();
    await phone.locator('label.chip', { hasText: '垃圾' }).click();
    await phone.locator('input[name=place]').fill(place);
  }

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    const volunteer = await registerVolunteer(api, '周骑手', '13700006666');
    const link = await emitWithAck<MeLinkAck>(kiosk, 'me:link', { code: volunteer.cardCode });
    if (!link.ok) throw new Error(JSON.stringify(link));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, userAgent: ANDROID_UA, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    phone = await context.newPage();
    await phone.goto(link.url);
    await phone.locator('[data-testid=figures]').waitFor();
  }, 60_000);

  afterAll(async () => {
    kiosk?.close();
    await browser?.close();
    await station?.destroy();
  });

  test('a large photo is shrunk on the phone to a JPEG of at most 1600 px before it is sent', { timeout: 90_000 }, async () => {
    let sent: { body: Buffer; contentType: string } | undefined;
    await phone.route('**/api/me/snaps', async (route) => {
      if (route.request().method() === 'POST') sent = { body: route.request().postDataBuffer()!, contentType: (await route.request().allHeaders())['content-type']! };
      await route.continue();
    });
    // A 12-megapixel camera picture, as a PNG so the page cannot pass it through untouched.
    await fillSnap('东门垃圾桶旁', await testImage('png', { width: 4000, height: 3000 }));
    await phone.locator('button[type=submit]').click();
    await phone.locator('.ok[role=status]').waitFor();
    await phone.unroute('**/api/me/snaps');
    expect(sent).toBeDefined();
    const photo = multipartParts(sent!.body, sent!.contentType).find((part) => part.name === 'photo')!;
    expect(photo.type).toBe('image/jpeg');
    const meta = await sharp(photo.data).metadata();
    expect(meta.format).toBe('jpeg');
    expect(Math.max(meta.width!, meta.height!)).toBe(1600);
    expect(meta.height).toBe(1200);
    expect(await snapsAt('东门垃圾桶旁')).toBe(1);
  });

  test('a snap sent with the Wi-Fi down waits on the phone and arrives exactly once when the Wi-Fi is back', { timeout: 120_000 }, async () => {
    await context.setOffline(true);
    await fillSnap('北门快递柜旁', await testImage('png', { width: 800, height: 600 }));
    await phone.locator('textarea[name=note]').fill('纸箱堆了三天');
    await phone.locator('button[type=submit]').click();
    await phone.locator('.warning[role=status]').waitFor();
    await expect(phone.locator('[data-testid=outbox]').textContent()).resolves.toBe('待发送 1 条');
    // It is in IndexedDB, not only in the page: a reload while offline would keep it.
    const stored = await phone.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('vs-me');
          open.onsuccess = () => {
            const count = open.result.transaction('outbox').objectStore('outbox').count();
            count.onsuccess = () => resolve(count.result);
            count.onerror = () => reject(count.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    expect(stored).toBe(1);
    expect(await snapsAt('北门快递柜旁')).toBe(0);
    await phone.locator('[data-testid=outbox]').scrollIntoViewIfNeeded();
    await saveDocsScreenshot(phone, 'me-phone-snap-queued');

    await context.setOffline(false);
    await phone.locator('[data-testid=outbox]').waitFor({ state: 'detached', timeout: 60_000 });
    await phone.locator('.snap-item', { hasText: '北门快递柜旁' }).waitFor();
    expect(await snapsAt('北门快递柜旁')).toBe(1);
    // Another visit flushes again: nothing is left to send, nothing new arrives.
    await phone.reload();
    await phone.locator('.snap-item', { hasText: '北门快递柜旁' }).waitFor();
    expect(await snapsAt('北门快递柜旁')).toBe(1);
  });

  test('when the answer is lost after the server took the snap, the resend by the same client id makes no second snap', { timeout: 120_000 }, async () => {
    let cut = 0;
    // The request reaches the server; the phone never hears back (the Wi-Fi dropped on the way back).
    await phone.route('**/api/me/snaps', async (route) => {
      if (route.request().method() !== 'POST' || cut > 0) return route.continue();
      cut++;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await fillSnap('3号楼单元门口', await testImage('jpeg', { width: 800, height: 600 }), 'image/jpeg');
    await phone.locator('button[type=submit]').click();
    await phone.locator('.warning[role=status]').waitFor();
    expect(cut).toBe(1);
    expect(await snapsAt('3号楼单元门口')).toBe(1);
    await phone.unroute('**/api/me/snaps');

    // Back online: the queue resends the same snap with the same client id.
    const resent = phone.waitForResponse((response) => response.url().endsWith('/api/me/snaps') && response.request().method() === 'POST');
    await phone.evaluate(() => window.dispatchEvent(new Event('online')));
    expect((await resent).status()).toBe(201);
    await phone.locator('[data-testid=outbox]').waitFor({ state: 'detached', timeout: 60_000 });
    expect(await snapsAt('3号楼单元门口')).toBe(1);
    await phone.locator('.snap-item', { hasText: '3号楼单元门口' }).waitFor();
    await expect(phone.locator('.snap-item', { hasText: '3号楼单元门口' }).count()).resolves.toBe(1);
  });
});
