import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toLocalInput } from '../../admin/src/time.ts';
import { runAutoClose } from '../../server/src/attendance/auto-close.ts';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, saveScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { ApiClient, connectSocket, emitWithAck, pairDevice, startStation, type TestStation } from '../support/station.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const ROOT = path.resolve(import.meta.dirname, '../..');
const SAMPLE = path.resolve(ROOT, 'tests/fixtures/volunteer-register-sample.xlsx');
const PASSWORD = 'center-admin-1';
const ZONE = 'Asia/Shanghai';

/** Real time, shifted by hand: "three hours later" without waiting three hours. */
const clock = { offsetMs: 0, now() { return new Date(Date.now() + this.offsetMs); } };

/**
 * The admin in Debian's Chromium against a real server started without ADMIN_PASSWORD: one
 * community worker's first day, in order. Each step leaves the app signed in for the next.
 */
describe.skipIf(skipWithoutChromium)('admin in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The server serves admin/dist and kiosk/dist: build them when their sources changed (a no-op after `npm test`).
    buildAppsForTest(['admin', 'kiosk']);
    station = await startStation({ adminPassword: null, clock });
    browser = await launchChromium();
    // A 10-inch tablet in landscape, the smallest screen the admin is designed for besides portrait.
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  const nav = (label: string) => page.locator('.nav').getByRole('link', { name: label }).click();

  /** GET /api/devices requests the page makes within `ms` that no `devices:changed` on the server explains. */
  async function unexplainedDeviceFetches(ms: number): Promise<number> {
    let hints = 0;
    let used = 0;
    let unexplained = 0;
    const onHint = () => hints++;
    const onRequest = (request: { url(): string; method(): string }) => {
      if (new URL(request.url()).pathname !== '/api/devices' || request.method() !== 'GET') return;
      if (used < hints) used++;
      else unexplained++;
    };
    station.station.ctx.notifications.on('devices:changed', onHint);
    page.on('request', onRequest);
    await new Promise((resolve) => setTimeout(resolve, ms));
    page.off('request', onRequest);
    station.station.ctx.notifications.off('devices:changed', onHint);
    return unexplained;
  }
  const dialog = () => page.locator('dialog[open]');

  test('first run asks for the admin account, then signs in with it', async () => {
    await page.goto(`${station.url}/admin/`);
    await page.getByRole('heading', { name: '创建管理员账号' }).waitFor();
    await saveScreenshot(page, 'admin-setup');
    await page.fill('input[name=password]', PASSWORD);
    await page.fill('input[name=confirm]', 'something-else');
    await page.getByRole('button', { name: '创建并登录' }).click();
    await page.getByText('两次输入的密码不一致').waitFor();
    await page.fill('input[name=confirm]', PASSWORD);
    await page.getByRole('button', { name: '创建并登录' }).click();
    // The home page comes first after login (issue 12).
    await page.getByRole('heading', { name: '首页' }).waitFor();
    expect(page.url()).toBe(`${station.url}/admin/home`);
    api = await new ApiClient(station.url).login('admin', PASSWORD);
  });

  test('login: a wrong password is explained, the right one opens the register', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '工作人员登录' }).waitFor();
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('用户名或密码不对。').waitFor();
    await saveScreenshot(page, 'admin-login');
    await page.fill('input[name=password]', PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '首页' }).waitFor();
    await nav('志愿者');
    await page.getByRole('heading', { name: '志愿者' }).waitFor();
  });

  test('imports the center’s Excel register: preview with row errors, then import', async () => {
    await page.getByRole('link', { name: '导入名册' }).click();
    await page.setInputFiles('input[type=file]', SAMPLE);
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByRole('heading', { name: '预览：还没有导入' }).waitFor();
    const toImport = Number(await page.getByTestId('import-count').textContent());
    expect(toImport).toBeGreaterThan(10);
    await expect(page.getByRole('table', { name: /有问题的行/ }).locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await saveScreenshot(page, 'admin-import-preview');
    await page.getByRole('button', { name: `确认导入 ${toImport} 人` }).click();
    await page.getByRole('heading', { name: '导入结果' }).waitFor();
    expect((await api.get('/api/volunteers?limit=1')).body.total).toBe(toImport);
    await saveScreenshot(page, 'admin-import-done');
  });

  test('registers a volunteer; an under-14 needs a guardian first', async () => {
    await nav('志愿者');
    await page.getByText(/^共 \d+ 人$/).waitFor();
    await saveScreenshot(page, 'admin-volunteers');
    // Pinyin initials find 郑凤英 from the imported register, as staff type on a Chinese keyboard.
    await page.fill('input[type=search]', 'zfy');
    await page.getByText('共 1 人').waitFor();
    await page.locator('tbody tr', { hasText: '郑凤英' }).waitFor();
    await page.fill('input[type=search]', '');

    await page.getByRole('button', { name: '登记志愿者' }).click();
    await dialog().locator('input[name=name]').fill('林小雨');
    await dialog().locator('input[name=phone]').fill('1380013');
    await dialog().locator('input[name=birthYear]').fill(String(new Date().getFullYear() - 10));
    await dialog().getByRole('button', { name: '登记并发卡' }).click();
    await dialog().getByText('请填写 11 位手机号，以 1 开头').waitFor();
    await dialog().getByText('未满 14 周岁，请填写已同意的监护人姓名').waitFor();
    await saveScreenshot(page, 'admin-volunteer-form');
    await dialog().locator('input[name=phone]').fill('13800138888');
    await dialog().locator('input[name=guardianName]').fill('林芳');
    await dialog().getByRole('button', { name: '登记并发卡' }).click();
    await page.getByRole('heading', { name: /林小雨/ }).waitFor();
    await page.getByText('138****8888').waitFor();

    // Seeing the full number is a deliberate, audited act.
    await page.getByRole('button', { name: '显示完整号码' }).click();
    await page.getByText('13800138888').waitFor();
    expect((await api.get('/api/audit?q=volunteer.revealed')).body.items).toHaveLength(1);
    await saveScreenshot(page, 'admin-volunteer');
  });

  test('prints the new volunteer’s card with the verified QR image', async () => {
    const [volunteer] = (await api.get(`/api/volunteers?q=${encodeURIComponent('林小雨')}`)).body.items;
    await page.getByRole('button', { name: '打印卡片' }).click();
    await page.locator('.print-page[data-ready=true]').waitFor();
    const card = page.locator('.card');
    await expect(card.count()).resolves.toBe(1);
    await expect(card.textContent()).resolves.toContain(volunteer.cardNo);
    const qr = card.locator('img');
    expect(await qr.getAttribute('src')).toBe(`/api/volunteers/${volunteer.id}/qr.png?serial=1`);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(100);
    await page.getByRole('button', { name: '返回' }).click();
    await page.getByRole('heading', { name: /林小雨/ }).waitFor();
  });

  test('adds a kiosk and pairs it by opening the pairing address the admin shows', async () => {
    await nav('设备');
    await page.getByRole('button', { name: '添加设备' }).click();
    await dialog().locator('input[name=name]').fill('大厅签到机');
    await dialog().getByRole('button', { name: '添加并显示配对码' }).click();
    const shown = dialog().getByTestId('pairing-url');
    await shown.waitFor();
    await dialog().locator('.qr svg').waitFor();
    await saveScreenshot(page, 'admin-device-pairing');
    const url = (await shown.textContent())!.trim();
    expect(url).toMatch(new RegExp(`^${station.url}/kiosk/\\?pair=\\d{8}$`));

    const tablet = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await tablet.goto(url);
    await expect
      .poll(async () => (await api.get('/api/devices')).body.items[0]?.pairedAt, { timeout: 15_000 })
      .toEqual(expect.any(String));
    // The admin's live feed turns the dialog to "paired" without a reload.
    await dialog().getByText('“大厅签到机”已配对成功。').waitFor({ timeout: 10_000 });
    await dialog().getByRole('button', { name: '完成' }).click();
    await page.locator('[data-state=online]').waitFor({ timeout: 10_000 });
    await page.locator('[data-live=on]').waitFor({ timeout: 10_000 });
    await saveScreenshot(page, 'admin-devices');

    // No polling: over 15 s the page fetches the device list only on a hint of the live feed (a
    // page polling every 15 s or faster fails here; the window is a measurement, not a wait)…
    expect(await unexplainedDeviceFetches(15_000)).toBe(0);
    // …yet a tablet going offline and coming back shows within seconds, each time.
    await tablet.goto('about:blank');
    await page.locator('[data-state=offline]').waitFor({ timeout: 8_000 });
    await tablet.goto(`${station.url}/kiosk/`);
    await page.locator('[data-state=online]').waitFor({ timeout: 8_000 });
    await tablet.close();
    await page.locator('[data-state=offline]').waitFor({ timeout: 8_000 });
  });

  test('lists a phone-digit lock-out provoked at a kiosk as it happens, and lifts it (audited)', async () => {
    const volunteer = (await api.post('/api/volunteers', { name: '韩守信', phone: '13800002468' })).body;
    const kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin', '三楼签到机')).token });
    const lookup = (phoneLast4: string) => emitWithAck<{ ok: boolean; error?: { code: string } }>(kiosk, 'volunteer:lookup', { code: volunteer.cardNo, phoneLast4 });
    const panel = page.locator('.digit-locks');
    await panel.getByText('现在没有锁定。').waitFor();
    for (let i = 0; i < 5; i++) await lookup(String(1000 + i));
    expect(await lookup('2468')).toMatchObject({ ok: false, error: { code: 'CARD_LOCKED' } });

    // The lock-out arrives over the live feed: card number, masked name, the tablet, until when.
    const row = panel.locator('tbody tr', { hasText: volunteer.cardNo });
    await row.waitFor({ timeout: 10_000 });
    await expect(row.textContent()).resolves.toContain(`${volunteer.cardNo} 韩*信`);
    await expect(row.textContent()).resolves.toContain('三楼签到机');
    expect(await panel.textContent()).not.toContain('韩守信');
    await row.scrollIntoViewIfNeeded();
    await saveDocsScreenshot(page, 'admin-digit-locks');

    await row.getByRole('button', { name: '解除锁定' }).click();
    await dialog().getByRole('button', { name: '解除锁定' }).click();
    await panel.getByText(`已解除“${volunteer.cardNo} 韩*信”的锁定。`).waitFor();
    await panel.getByText('现在没有锁定。').waitFor();
    const audit = [...station.station.ctx.store.state.records.audit.values()].map((entry) => `${entry.action} ${entry.target}`);
    expect(audit).toContain(`card.digits-unlocked card:${volunteer.cardNo}`);
    expect(await lookup('2468')).toMatchObject({ ok: true });
    kiosk.close();
  });

  test('fixes a forgotten sign-out from the review queue; the ledger gets a reversing entry', async () => {
    const start = clock.now();
    const activity = (await api.post('/api/activities', { title: '社区助老', startsAt: new Date(start.getTime() - 3600_000).toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString() })).body;
    const [volunteer] = (await api.get(`/api/volunteers?q=${encodeURIComponent('林小雨')}`)).body.items;
    const kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin', '二楼签到机')).token });
    const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: volunteer.cardCode, scannedAt: start.toISOString() });
    expect(ack).toMatchObject({ ok: true, action: 'check-in' });
    kiosk.close();
    // Three hours later nobody has signed out: the server closes it at the end and flags it.
    clock.offsetMs += 3 * 3600_000;
    expect(await runAutoClose(station.station.ctx)).toBe(1);

    await nav('审核');
    const row = page.locator('tbody tr', { hasText: '林小雨' });
    await row.getByText('待审核').waitFor();
    await saveScreenshot(page, 'admin-review');
    await row.getByRole('button', { name: '修正签退' }).click();
    const leftAt = toLocalInput(new Date(start.getTime() + 45 * 60_000), ZONE);
    await dialog().locator('input[name=checkOutAt]').fill(leftAt);
    await dialog().getByRole('button', { name: '保存' }).click();
    await dialog().getByText('请填写原因，它会记入台账和操作日志').waitFor();
    await dialog().locator('input[name=reason]').fill('家中有事提前离开，忘记签退');
    await saveScreenshot(page, 'admin-fix-checkout');
    await dialog().getByRole('button', { name: '保存' }).click();
    await page.getByText('没有待审核的签到。').waitFor();

    const ledger = (await api.get(`/api/volunteers/${volunteer.id}/ledger`)).body;
    expect(ledger.items.map((e: { kind: string; delta: number }) => [e.kind, e.delta])).toEqual([['attendance', 0.5], ['reversal', -1], ['attendance', 1]]);
    expect((await api.get('/api/audit?q=attendance.corrected')).body.items[0].summary).toContain('忘记签退');

    await page.goto(`${station.url}/admin/activities/${activity.id}`);
    await page.locator('tbody tr', { hasText: '林小雨' }).waitFor();
    await saveScreenshot(page, 'admin-activity-attendance');
  });

  test('the other screens render, in Chinese and in English, on a tablet held either way', async () => {
    await nav('活动');
    await page.locator('.week__item', { hasText: '社区助老' }).waitFor();
    await saveScreenshot(page, 'admin-activities');
    const exportHref = await page.getByRole('link', { name: '导出这段时间的签到（Excel）' }).getAttribute('href');
    const exported = await fetch(`${station.url}${exportHref}`, { headers: { cookie: api.cookie } });
    expect(exported.headers.get('content-type')).toContain('spreadsheetml');
    await nav('队伍');
    await page.locator('tbody tr').first().waitFor();
    await saveScreenshot(page, 'admin-teams');
    await nav('员工');
    await page.locator('tbody tr', { hasText: 'admin' }).waitFor();
    await saveScreenshot(page, 'admin-staff');
    await nav('设置');
    await page.locator('input[name=centerName]').waitFor();
    await saveScreenshot(page, 'admin-settings');
    // The holiday calendar: a wrong line is named, the name goes once the list is edited, and a
    // saved list comes back from the server as days, shown again as ranges.
    const holidays = page.locator('textarea[name=holidays]');
    const wrongLine = page.getByText(/这些不是日期或日期段：十月一日/);
    await holidays.fill('2026-10-01~2026-10-03\n十月一日');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await wrongLine.waitFor();
    await holidays.press('End');
    await holidays.press('Backspace');
    await wrongLine.waitFor({ state: 'detached' });
    await holidays.fill('2026-10-01~2026-10-03\n2026-10-05');
    await page.locator('textarea[name=workdays]').fill('2026-09-27');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '设置已保存。' }).waitFor();
    expect((await api.get('/api/settings')).body.calendar).toEqual({ holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-05'], workdays: ['2026-09-27'] });
    await page.reload();
    await expect.poll(() => holidays.inputValue()).toBe('2026-10-01~2026-10-03\n2026-10-05');
    await nav('日志');
    await page.fill('input[type=search]', 'attendance');
    await page.getByRole('cell', { name: '修正签退' }).first().waitFor();
    await saveScreenshot(page, 'admin-audit');

    // The English switch is remembered by this browser.
    await page.getByRole('combobox', { name: '界面语言' }).selectOption('en');
    await nav('Volunteers');
    await page.getByRole('button', { name: 'Register a volunteer' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Volunteers' }).waitFor();
    await saveScreenshot(page, 'admin-volunteers-en');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');

    await page.setViewportSize({ width: 800, height: 1280 });
    await page.getByRole('heading', { name: '志愿者' }).waitFor();
    await saveScreenshot(page, 'admin-tablet-portrait');
  });
});
