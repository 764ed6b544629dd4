import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { layoutProblems } from '../support/layout.ts';
import { ADMIN_PASSWORD, adminClient, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * A portrait as a tablet's front camera gives it: 900×1200, a JPEG with the phone's EXIF and a
 * GPS position (a simple drawn face, so the screenshots show what a photo looks like).
 */
async function cameraPortrait(shirt: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="1200">
    <rect width="900" height="1200" fill="#cfd8e3"/>
    <ellipse cx="450" cy="1180" rx="400" ry="330" fill="${shirt}"/>
    <rect x="390" y="700" width="120" height="160" fill="#e8b894"/>
    <ellipse cx="450" cy="520" rx="210" ry="250" fill="#f0c8a4"/>
    <path d="M240 470 Q260 230 450 240 Q640 230 660 470 Q600 330 450 330 Q300 330 240 470 Z" fill="#3a2d28"/>
    <circle cx="375" cy="520" r="18" fill="#3a2d28"/><circle cx="525" cy="520" r="18" fill="#3a2d28"/>
    <path d="M380 640 Q450 690 520 640" stroke="#a0524a" stroke-width="12" fill="none" stroke-linecap="round"/>
  </svg>`;
  return sharp(Buffer.from(svg))
    .withExif({ IFD0: { Make: 'TabletCam', Model: 'Front-1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 5678/100' } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

describe.skipIf(skipWithoutChromium)('volunteer photos in the browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let li: { id: string; cardCode: string };
  let zhang: { id: string; cardCode: string };
  const boardSeen: string[] = [];

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    await openActivityNow(api, '社区清洁');
    li = await registerVolunteer(api, '李秀英', '13900139101');
    zhang = await registerVolunteer(api, '张建华', '13900139102');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  const adminPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const login = await context.request.post(`${station.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status()).toBe(200);
    return page;
  };

  const pairedPage = async (mode: 'checkin' | 'board', viewport: { width: number; height: number }): Promise<Page> => {
    const created = await api.post('/api/devices', { name: mode === 'board' ? '大厅电视' : '大厅签到机', mode });
    const page = await (await browser.newContext({ viewport })).newPage();
    await page.goto(`${station.url}/${mode === 'board' ? 'board' : 'kiosk'}/?pair=${created.body.pairingCode}`);
    return page;
  };

  /** The element's bottom edge is inside the window (the result screen would scroll otherwise, and nobody scrolls a kiosk). */
  const expectOnScreen = async (page: Page, selector: string) => {
    const { bottom, height } = await page.locator(selector).evaluate((element) => ({ bottom: Math.round(element.getBoundingClientRect().bottom), height: window.innerHeight }));
    expect(bottom).toBeLessThanOrEqual(height);
  };

  /** Whether an <img> has really loaded a picture (not just been put in the page). */
  const loadedSize = (page: Page, selector: string) =>
    page.waitForFunction((sel) => {
      const image = document.querySelector<HTMLImageElement>(sel);
      return image && image.complete && image.naturalWidth > 0 ? { width: image.naturalWidth, height: image.naturalHeight } : null;
    }, selector, { timeout: 20_000 }).then((handle) => handle.jsonValue());

  test('staff take a photo on the volunteer’s record: consent first, then it shows there, shrunk to 480 px', { timeout: 120_000 }, async () => {
    const page = await adminPage({ width: 1024, height: 768 });
    await page.goto(`${station.url}/admin/volunteers/${li.id}`);
    const panel = page.locator('[data-testid=volunteer-photo]');
    await panel.getByText('还没有照片').waitFor();
    // The camera button is a file input that opens the tablet's front camera.
    await expect(panel.locator('[data-testid=volunteer-photo-camera]').getAttribute('capture')).resolves.toBe('user');
    await expect(panel.locator('[data-testid=volunteer-photo-camera]').getAttribute('accept')).resolves.toBe('image/*');
    await panel.locator('[data-testid=volunteer-photo-camera]').setInputFiles({ name: 'camera.jpg', mimeType: 'image/jpeg', buffer: await cameraPortrait('#2f6fb0') });

    const save = page.locator('[data-testid=volunteer-photo-save]');
    await save.waitFor();
    expect(await save.isDisabled()).toBe(true);
    await page.locator('[data-testid=volunteer-photo-consent]').check();
    await saveDocsScreenshot(page, 'volunteer-photo-consent-1024x768');
    await save.click();

    expect(await loadedSize(page, '[data-testid=volunteer-photo-image]')).toEqual({ width: 360, height: 480 });
    expect((await api.get(`/api/volunteers/${li.id}`)).body.photo).toMatchObject({ width: 360, height: 480, takenBy: 'staff:admin' });
    expect(await layoutProblems(page, 'main')).toEqual([]);
    await panel.scrollIntoViewIfNeeded();
    await saveDocsScreenshot(page, 'volunteer-photo-record-1024x768');

    await page.setViewportSize({ width: 800, height: 1280 });
    await page.reload();
    await loadedSize(page, '[data-testid=volunteer-photo-image]');
    expect(await layoutProblems(page, 'main')).toEqual([]);
    await page.locator('[data-testid=volunteer-photo]').scrollIntoViewIfNeeded();
    await saveDocsScreenshot(page, 'volunteer-photo-record-800x1280');
    await page.context().close();
  });

  test('the kiosk shows the photo of the volunteer just scanned; the board shows the sign-in and no photo', { timeout: 120_000 }, async () => {
    // The second volunteer's photo is uploaded from a file, as on a PC without a camera.
    const page = await adminPage({ width: 1024, height: 768 });
    await page.goto(`${station.url}/admin/volunteers/${zhang.id}`);
    await page.locator('[data-testid=volunteer-photo-file]').setInputFiles({ name: 'zhang.jpg', mimeType: 'image/jpeg', buffer: await cameraPortrait('#b0452f') });
    await page.locator('[data-testid=volunteer-photo-consent]').check();
    await page.locator('[data-testid=volunteer-photo-save]').click();
    await loadedSize(page, '[data-testid=volunteer-photo-image]');
    await page.context().close();

    const board = await pairedPage('board', { width: 1280, height: 720 });
    board.on('request', (request) => boardSeen.push(`request ${request.url()}`));
    board.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => boardSeen.push(`frame ${String(payload)}`)));
    await board.locator('.connection.online').waitFor({ timeout: 20_000 });

    const kiosk = await pairedPage('checkin', { width: 800, height: 1280 });
    await kiosk.locator('[data-testid=connection][data-status=online]').waitFor({ timeout: 20_000 });
    await typeLikeScanner(kiosk, li.cardCode);
    await kiosk.locator('[data-screen=result][data-kind=success]', { hasText: '李*英' }).waitFor({ timeout: 10_000 });
    expect(await loadedSize(kiosk, '[data-testid=result-photo]')).toEqual({ width: 360, height: 480 });
    expect(await kiosk.locator('[data-testid=result-photo]').getAttribute('src')).toMatch(/^\/api\/kiosk-photos\/[\w-]{24}$/);
    expect(await layoutProblems(kiosk)).toEqual([]);
    await expectOnScreen(kiosk, '.result-continue');
    await saveDocsScreenshot(kiosk, 'kiosk-result-photo-800x1280');

    // The next card replaces the result at once, with its own photo.
    await kiosk.setViewportSize({ width: 1024, height: 768 });
    await typeLikeScanner(kiosk, zhang.cardCode);
    await kiosk.locator('[data-screen=result][data-kind=success]', { hasText: '张*华' }).waitFor({ timeout: 10_000 });
    const zhangPhoto = await loadedSize(kiosk, '[data-testid=result-photo]');
    expect(zhangPhoto).toEqual({ width: 360, height: 480 });
    expect(await layoutProblems(kiosk)).toEqual([]);
    // The photo must not push the answer off a landscape tablet: its last line is on screen.
    await expectOnScreen(kiosk, '.result-continue');
    // In the corner there, clear of every line of the answer.
    const overlaps = await kiosk.evaluate(() => {
      const photo = document.querySelector('[data-testid=result-photo]')!.getBoundingClientRect();
      return [...document.querySelectorAll('.result-name, .result-title, .result-line, .result-figures, .result button, .result-continue')]
        .filter((element) => {
          const box = element.getBoundingClientRect();
          return box.left < photo.right && box.right > photo.left && box.top < photo.bottom && box.bottom > photo.top;
        })
        .map((element) => element.className);
    });
    expect(overlaps).toEqual([]);
    await saveDocsScreenshot(kiosk, 'kiosk-result-photo-1024x768');

    // The board heard both sign-ins, and nothing it loaded or received carries a photo.
    await board.getByText('张*华').first().waitFor({ timeout: 15_000 });
    await board.getByText('李*英').first().waitFor({ timeout: 15_000 });
    expect(await board.locator('img').evaluateAll((images) => images.map((i) => (i as HTMLImageElement).src).filter((src) => /photo/i.test(src)))).toEqual([]);
    expect(boardSeen.length).toBeGreaterThan(0);
    expect(boardSeen.filter((line) => /kiosk-photos|\/photo|"photo/i.test(line))).toEqual([]);
    expect(await board.content()).not.toMatch(/kiosk-photos|volunteer-photo/);
  });
});
