import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dayIn } from '../../admin/src/time.ts';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { launchChromium, noChromiumMessage, saveScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation, connectUnlockedCounter } from '../support/station.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const ROOT = path.resolve(import.meta.dirname, '../..');
const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
const MINUTE = 60_000;

/**
 * The admin's counter, reports, notice and backup screens in Debian's Chromium against a real
 * server: goods received and counted, a redemption made on a counter tablet's socket seen in
 * the day's receipts, voided, and closed out; the month's figures as a chart and a table; a
 * star list drafted, reviewed and published; a backup made now. Each step leaves the page for the next.
 */
describe.skipIf(skipWithoutChromium)('admin counter, reports, notices and backups in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  let counter: Socket;
  const people: { id: string; cardCode: string; name: string }[] = [];
  let riceId = '';

  beforeAll(async () => {
    buildAppsForTest(['admin']);
    station = await startStation();
    api = await adminClient(station);
    // A community's yearly star rule, so an hour of service earns a star in the test.
    await api.patch('/api/settings', { stars: { thresholds: [1, 2, 3, 4, 5], period: 'calendarYear' } });
    const team = (await api.post('/api/teams', { name: '银龄服务队' })).body;
    for (const [name, phone] of [['王秀英', '13900000001'], ['李建国', '13900000002'], ['张丽华', '13900000003']] as const) {
      const volunteer = await registerVolunteer(api, name, phone);
      await api.patch(`/api/volunteers/${volunteer.id}`, { teamIds: [team.id] });
      people.push({ ...volunteer, name });
    }
    // Today's activity, finished: the month's and the year's reports have hours to show.
    const now = Date.now();
    const activity = (await api.post('/api/activities', { title: '敬老院陪伴', theme: '助老', place: '幸福敬老院', startsAt: new Date(now - 200 * MINUTE).toISOString(), endsAt: new Date(now - 5 * MINUTE).toISOString() })).body;
    for (const [i, person] of people.entries()) {
      const minutes = 60 + 30 * i;
      const checkInAt = now - 190 * MINUTE;
      const added = await api.post('/api/attendance', { volunteerId: person.id, activityId: activity.id, checkInAt: new Date(checkInAt).toISOString(), checkOutAt: new Date(checkInAt + minutes * MINUTE).toISOString(), reason: '纸质签到表补录' });
      expect(added.status).toBe(201);
    }
    await api.post(`/api/volunteers/${people[0]!.id}/points`, { delta: 50, reason: '活动奖励' });
    const { token } = await pairDevice(api, 'counter', '一号柜台');
    counter = await connectUnlockedCounter(station.url, token);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${station.url}/admin/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '首页' }).waitFor();
  });

  afterAll(async () => {
    counter?.close();
    await browser?.close();
    await station?.destroy();
  });

  const nav = (label: string) => page.locator('.nav').getByRole('link', { name: label }).click();
  const dialog = () => page.locator('dialog[open]');
  const row = (text: string) => page.locator('tbody tr', { hasText: text });
  const dayInCenter = (date: Date) => dayIn(date, 'Asia/Shanghai');
  /** The whole page, for screens taller than the window (a chart above its table). */
  const saveFullPage = async (name: string) => {
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  test('adds goods, receives stock and corrects a count with a reason; low stock is pointed out', async () => {
    await nav('爱心超市');
    await page.getByText('还没有物品').waitFor();
    await page.getByRole('button', { name: '新增物品' }).click();
    await dialog().locator('input[name=name]').fill('大米 5kg');
    await dialog().locator('input[name=category]').fill('粮油');
    await dialog().locator('input[name=unit]').fill('袋');
    await dialog().locator('input[name=points]').fill('10');
    await dialog().locator('input[name=stock]').fill('3');
    await dialog().getByRole('button', { name: '新增物品' }).click();
    await row('大米 5kg').getByText('库存低').waitFor();
    await page.getByText('库存偏低，请及时补货：大米 5kg').waitFor();
    riceId = (await api.get('/api/goods')).body.items[0].id;

    await row('大米 5kg').getByRole('button', { name: '入库' }).click();
    await dialog().locator('input[name=amount]').fill('20');
    await dialog().locator('input[name=reason]').fill('街道配送');
    await dialog().getByRole('button', { name: '入库' }).click();
    await expect.poll(() => row('大米 5kg').getByTestId('stock').textContent()).toBe('23');

    // A count that differs needs a reason before it changes the books.
    await row('大米 5kg').getByRole('button', { name: '盘点更正' }).click();
    await dialog().locator('input[name=amount]').fill('21');
    await dialog().getByText('账面库存将更正 -2').waitFor();
    await dialog().getByRole('button', { name: '盘点更正' }).click();
    await dialog().getByText('请填写原因').waitFor();
    await dialog().locator('input[name=reason]').fill('破损 2 袋');
    await dialog().getByRole('button', { name: '盘点更正' }).click();
    await expect.poll(() => row('大米 5kg').getByTestId('stock').textContent()).toBe('21');
    await expect(row('大米 5kg').getByText('库存低').count()).resolves.toBe(0);

    // A photo for the counter: chosen in the file picker, shown as a thumbnail, removed again.
    const png = new PNG({ width: 3, height: 3 });
    png.data.fill(120);
    await row('大米 5kg').getByTestId('goods-photo-input').setInputFiles({ name: 'rice.png', mimeType: 'image/png', buffer: PNG.sync.write(png) });
    const thumbnail = row('大米 5kg').getByRole('img', { name: '大米 5kg的照片' });
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)).catch(() => 0)).toBe(3);
    await row('大米 5kg').getByRole('button', { name: '删除照片' }).click();
    await expect.poll(() => thumbnail.count()).toBe(0);
    await row('大米 5kg').getByText('上传照片').waitFor();

    await row('大米 5kg').getByRole('button', { name: '记录' }).click();
    await expect.poll(() => dialog().locator('tbody tr').count()).toBe(3);
    await dialog().getByText('破损 2 袋').waitFor();
    await dialog().getByRole('button', { name: '关闭' }).click();
    await saveScreenshot(page, 'admin-goods');
  });

  test('a counter tablet’s redemption shows in the day’s receipts and is voided with a reason', async () => {
    const balance = (await api.get(`/api/volunteers/${people[0]!.id}`)).body.points;
    const redeem = (quantity: number) => emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code: people[0]!.cardCode, items: [{ goodsId: riceId, quantity }] });
    const first = await redeem(2);
    const second = await redeem(1);
    if (!first.ok || !second.ok) throw new Error(`redeem failed: ${JSON.stringify([first, second])}`);
    // The open goods page hears stock:changed on the admin's live feed and shows the counter's stock change.
    await expect.poll(() => row('大米 5kg').getByTestId('stock').textContent(), { timeout: 10_000 }).toBe('18');

    await nav('兑换记录');
    await row(first.receiptNo).getByText('大米 5kg ×2').waitFor();
    await row(second.receiptNo).waitFor();
    await row(first.receiptNo).getByRole('button', { name: '作废' }).click();
    await dialog().locator('input[name=reason]').fill('数量点错了');
    await dialog().getByRole('button', { name: '作废' }).click();
    await row(first.receiptNo).getByText('已作废').waitFor();
    await row(first.receiptNo).getByText(/作废：数量点错了/).waitFor();
    await expect(row(first.receiptNo).getByRole('button', { name: '作废' }).count()).resolves.toBe(0);
    await page.getByText('有效 1 单，作废 1 单，共兑出 10 积分').waitFor();
    await saveScreenshot(page, 'admin-redemptions');
    // The void gave back 20 of the 30 points spent.
    expect((await api.get(`/api/volunteers/${people[0]!.id}`)).body.points).toBe(balance - 10);
  });

  test('the close-out adds up per counter and prints on A4', async () => {
    await page.getByRole('link', { name: '日结' }).click();
    await page.getByRole('heading', { name: /爱心超市日结单/ }).waitFor();
    expect(await page.getByTestId('total-redemptions').textContent()).toBe('1');
    expect(await page.getByTestId('total-voids').textContent()).toBe('1');
    expect(await page.getByTestId('total-points').textContent()).toBe('10');
    const counterRow = page.getByRole('table', { name: '各柜台' }).locator('tbody tr', { hasText: '一号柜台' });
    await expect(counterRow.locator('td').allTextContents()).resolves.toEqual(['一号柜台', '1', '1', '10', '大米 5kg ×1']);
    const stockRow = page.getByRole('table', { name: '物品库存' }).locator('tbody tr', { hasText: '大米 5kg' });
    await expect(stockRow.locator('td').allTextContents()).resolves.toEqual(['大米 5kg', '1', '20', '']);
    await saveScreenshot(page, 'admin-closeout');

    // On paper: no navigation, one A4 page.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.nav').isVisible()).resolves.toBe(false);
    await saveScreenshot(page, 'admin-closeout-print');
    const pdf = path.join(ROOT, 'test-artifacts', 'admin-closeout.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await page.emulateMedia({ media: null });
    const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' });
    // pdfinfo comes with poppler-utils, as for the other print tests; without it the PDF is still written.
    if (!info.error) {
      expect(info.stdout).toMatch(/Pages:\s+1\n/);
      expect(info.stdout).toMatch(/Page size:.*\(A4\)/);
    }
  });

  test('reports show the year’s hours as a chart and a table, with exports and print links', async () => {
    await nav('报表');
    await page.getByRole('radio', { name: '今年' }).click();
    const [from = '', , to = ''] = (await page.getByTestId('report-period').textContent())!.split(' ');
    expect(from).toMatch(/^\d{4}-01-01$/);
    const report = page.getByRole('region', { name: '按月时长' });
    await report.locator('.chart[data-drawn=true]').waitFor();
    // Every month of the year is a row, empty ones too; this month has the seeded 1 h + 1.5 h + 2 h.
    await expect.poll(() => report.locator('tbody tr').count()).toBe(12);
    const month = dayInCenter(new Date()).slice(0, 7);
    const monthRow = report.locator('tbody tr', { hasText: `${month.slice(0, 4)}年${Number(month.slice(5))}月` });
    await expect(monthRow.locator('td').allTextContents()).resolves.toEqual([expect.any(String), '3', '3', '4.5']);
    expect(await report.getByRole('link', { name: '导出 Excel' }).getAttribute('href')).toBe(`/api/reports/hours-by-month.xlsx?from=${from}&to=${to}`);
    await saveFullPage('admin-reports');

    await page.getByRole('tab', { name: '按服务队' }).click();
    const teams = page.getByRole('region', { name: '按服务队' });
    await teams.locator('tbody tr', { hasText: '银龄服务队' }).waitFor();
    await teams.locator('.chart[data-drawn=true]').waitFor();
    const ledger = await page.getByRole('link', { name: /活动台账/ }).getAttribute('href');
    expect(ledger).toBe(`/print/ledger?month=${month}`);
    expect((await api.get(ledger!)).status).toBe(200);
    expect(await page.getByRole('link', { name: /年度总结/ }).getAttribute('href')).toBe(`/print/year-summary?year=${from.slice(0, 4)}`);

    // The same screen in English, as a center's English-reading staff see it.
    await page.locator('.language-switch').selectOption('en');
    await page.getByRole('region', { name: 'By team' }).locator('.chart[data-drawn=true]').waitFor();
    await saveFullPage('admin-reports-en');
    await page.locator('.language-switch').selectOption('zh-CN');
  });

  test('a star list is drafted, reviewed with a reason, and published for 5 working days', async () => {
    await nav('公示');
    await page.getByRole('button', { name: '拟定公示名单' }).click();
    await dialog().getByText('年度星级志愿者').click();
    await dialog().getByRole('button', { name: '拟定名单' }).click();
    await page.getByRole('heading', { name: /年度星级志愿者公示/ }).waitFor();
    await page.getByText('草稿：名单 3 人').waitFor();
    for (const person of people) await row(person.name).waitFor();

    await row('张丽华').getByRole('button', { name: '移出名单' }).click();
    await dialog().locator('input[name=reason]').fill('本人申请不参评');
    await dialog().getByRole('button', { name: '移出名单' }).click();
    await page.getByText('草稿：名单 2 人').waitFor();
    await row('张丽华').getByText('已移出：本人申请不参评').waitFor();

    await page.getByRole('button', { name: '修改标题和联系方式' }).click();
    await dialog().locator('input[name=contact]').fill('社区服务站 王老师 0571-8888 8888');
    await dialog().getByRole('button', { name: '保存' }).click();
    await page.getByText('异议联系方式：社区服务站 王老师 0571-8888 8888').waitFor();

    await page.getByRole('button', { name: '发布公示' }).click();
    expect(await dialog().locator('input[name=workingDays]').inputValue()).toBe('5');
    await dialog().getByRole('button', { name: '发布公示' }).click();
    await page.getByTestId('notice-state').getByText(/公示中：.*（5 个工作日）/).waitFor();
    const printLink = page.getByRole('link', { name: '打印公示' });
    expect(await printLink.getAttribute('href')).toMatch(/^\/board\/notice\/[\w-]+$/);
    expect(await page.locator('.nav').getByRole('link', { name: '大屏' }).getAttribute('href')).toBe('/board/');

    await row('王秀英').getByRole('button', { name: '登记异议' }).click();
    await dialog().locator('textarea[name=content]').fill('有居民反映签到时长偏多');
    await dialog().getByRole('button', { name: '登记异议' }).click();
    await row('有居民反映签到时长偏多').getByText('待处理').waitFor();
    await saveFullPage('admin-notices');
    await row('有居民反映签到时长偏多').getByRole('button', { name: '处理' }).click();
    await dialog().locator('textarea[name=note]').fill('经核实签到记录无误');
    await dialog().getByRole('button', { name: '处理' }).click();
    await row('有居民反映签到时长偏多').getByText('异议不成立').waitFor();
  });

  test('backs up now and offers the file; the LAN page shows the kiosk address', async () => {
    await nav('备份');
    await page.getByText('还没有备份。').waitFor();
    await page.getByRole('button', { name: '立即备份' }).click();
    await page.getByText(/已备份 volunteer-station-.*3 位志愿者/).waitFor();
    const download = page.locator('tbody tr').first().getByRole('link', { name: '下载' });
    const href = await download.getAttribute('href');
    expect(href).toMatch(/^\/api\/backups\/volunteer-station-[\d-]+\.tar\.gz$/);
    await page.getByText('npm run restore --').waitFor();
    await saveScreenshot(page, 'admin-backups');

    // The entry point fills these in once it listens; here a LAN address is shown without being used.
    station.station.lan.httpPort = station.port;
    station.station.lan.addresses = () => ['192.168.1.20'];
    await nav('连接');
    await page.locator('.address[data-host="192.168.1.20"]').getByText(`http://192.168.1.20:${station.port}/kiosk/`).waitFor();
    await page.locator('.address').first().locator('.qr svg').waitFor();
    await saveScreenshot(page, 'admin-connection');
  });

  test('editing a volunteer clears emptied fields instead of keeping them; an evaluation score is recorded', async () => {
    const person = people[1]!;
    await api.patch(`/api/volunteers/${person.id}`, { address: '幸福里 3 栋', notes: '会理发' });
    await page.goto(`${station.url}/admin/volunteers/${person.id}`);
    await page.getByRole('button', { name: '编辑' }).click();
    await dialog().locator('input[name=address]').fill('');
    await dialog().locator('textarea[name=notes]').fill('');
    await dialog().getByText('清除已登记的手机号').click();
    await dialog().getByRole('button', { name: '保存' }).click();
    await dialog().waitFor({ state: 'detached' });
    const after = (await api.get(`/api/volunteers/${person.id}`)).body;
    expect(after).not.toHaveProperty('address');
    expect(after).not.toHaveProperty('notes');
    expect(after).not.toHaveProperty('phone');
    expect(after.name).toBe(person.name);

    await page.getByRole('button', { name: '评价' }).click();
    await dialog().locator('input[name=score]').fill('85');
    await dialog().getByRole('button', { name: '保存' }).click();
    await page.getByTestId('evaluation').getByText(/^85 分/).waitFor();
    await saveScreenshot(page, 'admin-volunteer-stars');
  });

  test('issues a service certificate for a period and opens it for printing', async () => {
    const person = people[2]!;
    await page.goto(`${station.url}/admin/volunteers/${person.id}`);
    await page.getByRole('button', { name: '开具证明' }).click();
    const popup = page.context().waitForEvent('page');
    await dialog().getByRole('button', { name: '开具并打开' }).click();
    await dialog().getByText(/已开具证明 .*：1 次服务，共 2 小时。/).waitFor();
    const certificate = await popup;
    await certificate.waitForLoadState();
    expect(certificate.url()).toMatch(/\/print\/certificates\/[\w-]+$/);
    await expect(certificate.locator('body').textContent()).resolves.toContain(person.name);
    await certificate.close();
    await dialog().getByRole('button', { name: '完成' }).click();
  });

  test('sets a counter PIN on the staff page, and staff change their own password', async () => {
    await nav('员工');
    await row('admin').getByRole('button', { name: '设置 PIN' }).click();
    await dialog().locator('input[name=secret]').fill('12');
    await dialog().getByRole('button', { name: '保存' }).click();
    await dialog().getByText('PIN 为 4 到 8 位数字').waitFor();
    await dialog().locator('input[name=secret]').fill('2468');
    await dialog().getByRole('button', { name: '保存' }).click();
    await dialog().getByRole('button', { name: '完成' }).click();
    await row('admin').getByText('已设置').waitFor();
    expect((await api.get('/api/staff')).body.items[0].hasPin).toBe(true);

    await page.getByRole('button', { name: '修改密码' }).click();
    await dialog().locator('input[name=current]').fill('not-my-password');
    await dialog().locator('input[name=next]').fill('a-new-password-1');
    await dialog().locator('input[name=confirm]').fill('a-new-password-1');
    await dialog().getByRole('button', { name: '修改密码' }).click();
    await dialog().getByText('当前密码不对。').waitFor();
    await dialog().locator('input[name=current]').fill(ADMIN_PASSWORD);
    await dialog().getByRole('button', { name: '修改密码' }).click();
    await dialog().getByText('密码已修改').waitFor();
    await dialog().getByRole('button', { name: '完成' }).click();
    // This browser stays signed in; the new password is the one that works now.
    await nav('员工');
    await row('admin').waitFor();
    expect((await new ApiClient(station.url).post('/api/auth/login', { username: 'admin', password: 'a-new-password-1' })).status).toBe(200);
  });

  test('the counter, report and notice screens fit a tablet held upright', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await nav('爱心超市');
    await row('大米 5kg').waitFor();
    await saveScreenshot(page, 'admin-goods-tablet');
    await nav('报表');
    await page.getByRole('region', { name: '按月时长' }).locator('tbody tr').first().waitFor();
    await saveScreenshot(page, 'admin-reports-tablet');
    await nav('公示');
    await row('年度星级志愿者公示').waitFor();
    await saveScreenshot(page, 'admin-notices-list-tablet');
    // Nothing wider than the screen but the tables, which scroll inside their frame.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
  });
});
