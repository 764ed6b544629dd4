import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { testImage } from '../support/phone.ts';
import { adminClient, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const PHONE = { width: 360, height: 740 };
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';

const screenshot = saveDocsScreenshot;

/**
 * The volunteer's phone, end to end in Chromium: a card scanned at the kiosk, 用手机查看, the
 * link opened in a second (phone-sized) browser context, the figures, a 随手拍 sent, staff accept
 * it, and the phone shows the points.
 */
describe.skipIf(skipWithoutChromium)('the volunteer’s phone', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let kioskPage: Page;
  let phoneContext: BrowserContext;
  let phone: Page;
  let volunteer: { id: string; cardNo: string; cardCode: string };
  let link = '';

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    await openActivityNow(api, '社区清洁');
    volunteer = await registerVolunteer(api, '王秀英', '13800138000');
    // Three hours served yesterday, so the phone has figures to show.
    const yesterday = new Date(Date.now() - 86400_000);
    const past = await api.post('/api/activities', { title: '敬老院陪伴', startsAt: new Date(yesterday.getTime() - 3600_000).toISOString(), endsAt: new Date(yesterday.getTime() + 3 * 3600_000).toISOString(), place: '敬老院' });
    const manual = await api.post('/api/attendance', { volunteerId: volunteer.id, activityId: past.body.id, checkInAt: new Date(yesterday.getTime() - 3600_000).toISOString(), checkOutAt: new Date(yesterday.getTime() + 2 * 3600_000).toISOString(), reason: '补录' });
    expect(manual.status).toBe(201);
    browser = await launchChromium();
    kioskPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    phoneContext = await browser.newContext({ viewport: PHONE, userAgent: ANDROID_UA, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    phone = await phoneContext.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  test('after a scan the kiosk shows 用手机查看 and a one-time QR code for the phone', async () => {
    const created = await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' });
    await kioskPage.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
    await kioskPage.locator('[data-screen=scanning]').waitFor();
    await kioskPage.locator('[data-testid=connection][data-status=online]').waitFor();
    // A USB scanner types the card's QR text and Enter.
    await typeLikeScanner(kioskPage, volunteer.cardCode);
    await kioskPage.locator('[data-screen=result][data-kind=success]').waitFor();
    await kioskPage.locator('[data-testid=phone-link]').click();
    const qr = kioskPage.locator('.phone-link-qr svg');
    await qr.waitFor({ timeout: 15_000 });
    link = (await kioskPage.locator('.phone-link-qr').getAttribute('data-url'))!;
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${station.port}/me/link/`));
    await screenshot(kioskPage, 'me-kiosk-phone-link');
  });

  test('the phone opens the link and sees its hours, points and star at 360 px', async () => {
    await phone.goto(link);
    expect(new URL(phone.url()).pathname).toBe('/me/');
    await phone.locator('[data-testid=figures]').waitFor();
    await expect(phone.locator('[data-testid=hours]').textContent()).resolves.toContain('3');
    await expect(phone.locator('[data-testid=points]').textContent()).resolves.toBe('3');
    await expect(phone.locator('[data-testid=next-star]').textContent()).resolves.toContain('97');
    await expect(phone.locator('[data-testid=records]').textContent()).resolves.toContain('敬老院陪伴');
    // Nothing is wider than the phone.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(phone, 'me-phone-figures');
    // The link was used: opening it again gives no second session.
    const again = await browser.newContext({ viewport: PHONE });
    const second = await again.newPage();
    await second.goto(link);
    await second.locator('[data-testid=signed-out]').waitFor();
    await expect(second.locator('[data-testid=signed-out]').textContent()).resolves.toContain('已经用过或已过期');
    await again.close();
  });

  test('the phone sends a 随手拍, staff accept it, and the phone shows the points and the state', async () => {
    await phone.locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: await testImage('png', { width: 1200, height: 900 }) });
    await phone.locator('.photo-pick img').waitFor();
    await phone.locator('label.chip', { hasText: '消防通道' }).click();
    await phone.locator('input[name=place]').fill('7号楼消防通道');
    await phone.locator('textarea[name=note]').fill('堆满了纸箱');
    await screenshot(phone, 'me-phone-snap-form');
    await phone.locator('button[type=submit]').click();
    await phone.locator('.ok[role=status]').waitFor();
    await phone.locator('.snap-item[data-status=pending]').waitFor();

    // Staff review it in the admin, in a browser of their own, signed in.
    const staffContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const [name, value] = api.cookie.split('=') as [string, string];
    await staffContext.addCookies([{ name, value, url: station.url }]);
    const admin = await staffContext.newPage();
    await admin.goto(`${station.url}/admin/snaps`);
    const row = admin.locator('tr', { hasText: '7号楼消防通道' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('王秀英');
    await expect(row.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    await screenshot(admin, 'me-admin-snap-queue');
    await row.locator('[data-testid=snap-accept]').click();
    const points = admin.locator('[data-testid=snap-points]');
    await expect(points.inputValue()).resolves.toBe('5');
    await admin.locator('dialog button[type=submit], .dialog button[type=submit]').first().click();
    await row.waitFor({ state: 'detached' });
    const accepted = (await api.get('/api/snaps?status=accepted')).body.items as { place: string; points: number; volunteer: { id: string } }[];
    expect(accepted).toEqual([expect.objectContaining({ place: '7号楼消防通道', points: 5, volunteer: expect.objectContaining({ id: volunteer.id }) })]);
    await staffContext.close();

    await phone.reload();
    await phone.locator('.snap-item[data-status=accepted]').waitFor();
    await expect(phone.locator('[data-testid=points]').textContent()).resolves.toBe('8');
    await expect(phone.locator('.snap-item').first().textContent()).resolves.toContain('+5 积分');
    await phone.locator('[data-testid=my-snaps]').scrollIntoViewIfNeeded();
    await screenshot(phone, 'me-phone-snap-accepted');
  });
  test('the phone signs up for an activity with places left and sees it confirmed at 360 px', async () => {
    const start = Date.now() + 2 * 86400_000;
    const created = await api.post('/api/activities', { title: '河道垃圾清理', place: '滨河公园', capacity: 10, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * 3600_000).toISOString() });
    expect(created.status).toBe(201);
    await phone.reload();
    const offered = phone.locator(`[data-testid=open-activities] [data-activity-id="${created.body.id}"]`);
    await offered.waitFor();
    await expect(offered.textContent()).resolves.toContain('还剩 10 个名额');
    await offered.locator('button.primary').click();
    const mine = phone.locator(`[data-testid=my-signups] [data-activity-id="${created.body.id}"][data-status=confirmed]`);
    await mine.waitFor();
    await expect(mine.textContent()).resolves.toContain('已报名');
    await expect(mine.textContent()).resolves.toContain('还剩 9 个名额');
    const staffList = (await api.get(`/api/activities/${created.body.id}/signups`)).body;
    expect(staffList.items).toEqual([expect.objectContaining({ volunteerId: volunteer.id, status: 'confirmed', by: `volunteer:${volunteer.id}` })]);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.locator('[data-testid=signups]').scrollIntoViewIfNeeded();
    await screenshot(phone, 'me-signups');
  });
  test('the phone lists a task dispatched to the volunteer and accepts it; the resident shows as a masked name only', async () => {
    const resident = await api.post('/api/residents', { name: '刘桂兰', phone: '13912345678', address: '幸福小区3栋502', tags: ['独居老人'] });
    expect(resident.status).toBe(201);
    const request = await api.post('/api/service-requests', { category: '代购', details: '买一袋米送上楼', residentId: resident.body.id, skills: [] });
    expect(request.status).toBe(201);
    expect((await api.post(`/api/service-requests/${request.body.id}/dispatch`, { volunteerIds: [volunteer.id] })).status).toBe(200);
    await phone.reload();
    const task = phone.locator('[data-testid=task][data-mine=dispatched]', { hasText: '买一袋米送上楼' });
    await task.waitFor();
    const text = (await phone.locator('[data-testid=tasks]').textContent())!;
    expect(text).toContain('刘*兰');
    for (const secret of ['刘桂兰', '13912345678', '502', '独居老人']) expect(text).not.toContain(secret);
    await task.locator('button.primary').click();
    await phone.locator('[data-testid=task][data-mine=accepted]', { hasText: '买一袋米送上楼' }).waitFor();
    expect((await api.get(`/api/service-requests/${request.body.id}`)).body.status).toBe('accepted');
    await phone.locator('[data-testid=tasks]').scrollIntoViewIfNeeded();
    await screenshot(phone, 'me-tasks');
  });
});
