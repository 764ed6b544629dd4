import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { layoutProblems } from '../support/layout.ts';
import { linkPhone, sendSnap, testImage } from '../support/phone.ts';
import { adminClient, connectSocket, pairDevice, registerVolunteer, type ApiClient, type TestStation, startStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/** The common budget tablet or an old office screen: what the admin must work on without sideways scrolling. */
const SMALL_SCREEN = { width: 1024, height: 768 };
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';

/**
 * The staff side of 随手拍 and the phone link, in Chromium: the review queue on a 1024×768 screen
 * (decline with a reason), the month filter in the center's zone, a volunteer's linked phones
 * (list, revoke), the 随手拍 settings, and the board's 随手拍 panel.
 */
describe.skipIf(skipWithoutChromium)('随手拍 and phones in the admin and on the board', () => {
  let station: TestStation;
  let api: ApiClient;
  let kiosk: Socket;
  let phone: ApiClient;
  let browser: Browser;
  let staff: BrowserContext;
  let admin: Page;
  let volunteer: { id: string; cardNo: string; cardCode: string };

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    volunteer = await registerVolunteer(api, '赵骑手', '13700003333');
    phone = await linkPhone(kiosk, station.url, volunteer.cardCode);
    browser = await launchChromium();
    staff = await browser.newContext({ viewport: SMALL_SCREEN, locale: 'zh-CN' });
    const [name, value] = api.cookie.split('=') as [string, string];
    await staff.addCookies([{ name, value, url: station.url }]);
    admin = await staff.newPage();
  }, 60_000);

  /** The TV board in a staff-signed-in browser of its own (a staff session may open it like a paired board). */
  async function openBoard(): Promise<Page> {
    const board = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const [name, value] = api.cookie.split('=') as [string, string];
    await board.context().addCookies([{ name, value, url: station.url }]);
    await board.goto(`${station.url}/board/`);
    return board;
  }

  afterAll(async () => {
    kiosk?.close();
    await browser?.close();
    await station?.destroy();
  });

  test('the review queue at 1024×768 shows 不采纳 on screen beside 采纳; declining asks for the reason, which the phone then shows', async () => {
    // A long place and note, as riders write them, so the table is as wide as it gets.
    const long = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'ebike-charging', place: '幸福小区 12 号楼 2 单元门口东侧的自行车棚里面', note: '有人从三楼窗户拉了一根很长的电线下来给电动车充电，线就搭在车棚顶上，下雨天很危险。' });
    expect(long.status).toBe(201);
    await admin.goto(`${station.url}/admin/snaps`);
    const row = admin.locator('tr', { hasText: '自行车棚' });
    await row.waitFor();
    const decline = row.locator('[data-testid=snap-decline]');
    await decline.waitFor();
    await saveDocsScreenshot(admin, 'me-admin-snap-queue-1024');
    // On screen without scrolling sideways: inside the window and inside the table's own box.
    const box = (await decline.boundingBox())!;
    const table = (await admin.locator('.table-wrap').first().boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(table.x);
    expect(box.x + box.width).toBeLessThanOrEqual(Math.min(table.x + table.width, SMALL_SCREEN.width));
    expect(await admin.locator('.table-wrap').first().evaluate((wrap) => wrap.scrollWidth <= wrap.clientWidth)).toBe(true);
    expect(await layoutProblems(admin)).toEqual([]);

    await decline.click();
    const dialog = admin.locator('dialog[open], .dialog').first();
    await dialog.locator('input[name=reason]').waitFor();
    // No reason, no decline: the volunteer must learn why.
    await dialog.locator('button[type=submit]').click();
    await dialog.locator('.field__error').waitFor();
    await dialog.locator('input[name=reason]').fill('车棚属于物业管理，已转给物业处理');
    await dialog.locator('button[type=submit]').click();
    await row.waitFor({ state: 'detached' });
    const mine = (await phone.get('/api/me/snaps')).body.items as { id: string; status: string; reviewNote?: string }[];
    expect(mine.find((s) => s.id === long.body.id)).toMatchObject({ status: 'declined', reviewNote: '车棚属于物业管理，已转给物业处理' });
  });

  test('the month filter starts at the center’s month (Asia/Shanghai), not UTC’s, just after midnight on the 1st', async () => {
    const page = await staff.newPage();
    // 01:30 on 1 December in Beijing is still 30 November in UTC.
    await page.clock.setFixedTime(new Date('2026-11-30T17:30:00Z'));
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/snaps') asked.push(new URL(request.url()).searchParams.get('month') ?? '');
    });
    await page.goto(`${station.url}/admin/snaps`);
    const month = page.locator('input[type=month]');
    await month.waitFor();
    await expect(month.inputValue()).resolves.toBe('2026-12');
    await page.waitForFunction(() => document.querySelector('[data-testid=snap-report]') !== null);
    expect(asked).toContain('2026-12');
    expect(asked).not.toContain('2026-11');
    await page.close();
  });

  test('a volunteer’s record lists their linked phones (linked, last used) and staff revoke one: the phone is signed out', async () => {
    expect((await phone.get('/api/me')).status).toBe(200);
    await admin.goto(`${station.url}/admin/volunteers/${volunteer.id}`);
    const panel = admin.locator('[data-testid=phones]');
    await panel.locator('.phone-state--active').waitFor();
    const rows = panel.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    const text = (await rows.first().textContent())!;
    await expect(rows.first().locator('.phone-state--active').textContent()).resolves.toBe('有效');
    // Linked and last-used times, not dashes: the phone has just been used.
    expect(text.match(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    await panel.scrollIntoViewIfNeeded();
    await saveDocsScreenshot(admin, 'me-admin-phones');

    await panel.locator('[data-testid=phone-revoke]').click();
    await admin.locator('[data-testid=phone-revoke-confirm]').click();
    await panel.locator('.phone-state--revoked', { hasText: '已停用' }).waitFor();
    await expect(panel.locator('[data-testid=phone-revoke]').count()).resolves.toBe(0);
    expect((await phone.get('/api/me')).status).toBe(401);
    const listed = (await api.get(`/api/volunteers/${volunteer.id}/phones`)).body.items as { state: string }[];
    expect(listed.map((p) => p.state)).toEqual(['revoked']);
    // A new link at the kiosk brings the phone back.
    const lostPhone = await linkPhone(kiosk, station.url, volunteer.cardCode);
    expect((await lostPhone.get('/api/me')).status).toBe(200);
    await admin.reload();
    await panel.locator('.phone-state--active').waitFor();

    // Reissuing the card (a lost wallet with card and phone) signs out every phone, and the list says why.
    await admin.locator('button', { hasText: '补办卡片' }).click();
    await admin.locator('button', { hasText: '确定补办' }).click();
    await panel.locator('.phone-state--card-reissued', { hasText: '已补卡失效' }).waitFor();
    await expect(panel.locator('[data-testid=phone-revoke]').count()).resolves.toBe(0);
    expect((await lostPhone.get('/api/me')).status).toBe(401);
    const reissued = (await api.get(`/api/volunteers/${volunteer.id}`)).body as { cardCode: string };
    phone = await linkPhone(kiosk, station.url, reissued.cardCode);
    expect((await phone.get('/api/me')).status).toBe(200);
  });

  test('the board shows this month’s 随手拍 count and the latest handled by category and place, with no name and no photo by default', async () => {
    const sent = await sendSnap(phone, { photo: await testImage('png'), type: 'image/png', filename: 'a.png', category: 'lighting', place: '3号楼2单元楼道', note: '灯坏了' });
    expect(sent.status).toBe(201);
    expect((await api.post(`/api/snaps/${sent.body.id}/review`, { accepted: true })).status).toBe(200);
    expect((await api.post(`/api/snaps/${sent.body.id}/resolve`, { note: '物业已换灯泡' })).status).toBe(200);

    const board = await openBoard();
    const panel = board.locator('[data-testid=board-snaps]');
    await panel.waitFor();
    // Two reports this month (one declined, one handled), whatever the state.
    await expect(panel.locator('[data-testid=board-snaps-count]').textContent()).resolves.toBe('本月上报 2 条');
    const item = panel.locator('.board-snap');
    await expect(item.count()).resolves.toBe(1);
    const line = (await item.first().textContent())!;
    expect(line).toContain('楼道照明');
    expect(line).toContain('3号楼2单元楼道');
    const shown = (await panel.textContent())!;
    for (const secret of ['赵骑手', '赵*手', '灯坏了', '物业已换灯泡', '自行车棚']) expect(shown).not.toContain(secret);
    await expect(panel.locator('img').count()).resolves.toBe(0);
    expect(await layoutProblems(board)).toEqual([]);
    await saveDocsScreenshot(board, 'me-board-snaps');
    await board.close();
  });

  test('the 随手拍 settings screen changes a category’s default points and the board thumbnails; review and board use them', async () => {
    await admin.goto(`${station.url}/admin/snaps`);
    await admin.locator('[data-testid=snap-settings-link]').click();
    const form = admin.locator('[data-testid=snap-settings]');
    await form.waitFor();
    await expect(admin.locator('[data-testid=snap-points-lighting]').inputValue()).resolves.toBe('3');
    await admin.locator('[data-testid=snap-points-lighting]').fill('7');
    await admin.locator('[data-testid=snap-board-thumbnails]').check();
    await admin.evaluate(() => window.scrollTo(0, 0));
    await saveDocsScreenshot(admin, 'me-admin-snap-settings');
    await form.locator('button[type=submit]').click();
    await form.locator('.notice--ok').waitFor();
    const settings = (await api.get('/api/settings')).body as { snaps: { categories: { key: string; points: number }[]; boardThumbnails: boolean } };
    expect(settings.snaps.categories.find((c) => c.key === 'lighting')?.points).toBe(7);
    expect(settings.snaps.boardThumbnails).toBe(true);
    // An emptied box is pointed out, not saved as nothing.
    await admin.locator('[data-testid=snap-points-rubbish]').fill('');
    await form.locator('button[type=submit]').click();
    await form.locator('.field__error').first().waitFor();
    expect(((await api.get('/api/settings')).body.snaps.categories as { key: string; points: number }[]).find((c) => c.key === 'rubbish')?.points).toBe(2);

    // The review dialog now offers 7 points for a lighting report.
    const sent = await sendSnap(phone, { photo: await testImage('jpeg'), category: 'lighting', place: '5号楼地下车库', note: '' });
    expect(sent.status).toBe(201);
    await admin.goto(`${station.url}/admin/snaps`);
    const row = admin.locator('tr', { hasText: '5号楼地下车库' });
    await row.locator('[data-testid=snap-accept]').click();
    await expect(admin.locator('[data-testid=snap-points]').inputValue()).resolves.toBe('7');

    // And the board shows the handled report's thumbnail.
    const board = await openBoard();
    const thumb = board.locator('[data-testid=board-snaps] img');
    await thumb.waitFor();
    await board.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid=board-snaps] img');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await board.close();
  });

  test('the phone page is readable at 360 px: nothing wider than the screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, userAgent: PHONE_UA, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const [name, value] = phone.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: station.url }]);
    const page = await context.newPage();
    await page.goto(`${station.url}/me/`);
    await page.locator('[data-testid=my-snaps] .snap-item').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await layoutProblems(page)).toEqual([]);
    await page.locator('[data-testid=my-snaps]').scrollIntoViewIfNeeded();
    await saveDocsScreenshot(page, 'me-phone-snap-states');
    await context.close();
  });
});
