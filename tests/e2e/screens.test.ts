import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fakeCameraArgs, launchChromium, noChromiumMessage, saveScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { openPairedKiosk, unlockCounterPage } from '../support/kiosk-pages.ts';
import { layoutProblems, TABLET_VIEWPORTS } from '../support/layout.ts';
import { adminClient, ADMIN_PASSWORD, connectSocket, openActivityNow, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const STAFF = { username: 'lihua', password: 'counter-pass-1', pin: '4821' };
/** The sizes every screen is photographed at: the common budget tablet, and a tall one on a stand. */
const PHOTO_VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
] as const;
const sizeName = (viewport: { width: number; height: number }) => `${viewport.width}x${viewport.height}`;
/**
 * DOCS_SCREENSHOTS=1 also writes every photograph to docs/screenshots/tablet-<name>.png (a
 * palette PNG, a fraction of the size) and rewrites the list in docs/screenshots/README.md.
 * Off by default: a test run does not change the documentation.
 */
const DOCS = path.resolve(import.meta.dirname, '../../docs/screenshots');
const writeDocs = process.env.DOCS_SCREENSHOTS === '1';
const photographed = new Map<string, string>();

/** Photographs the page (test-artifacts/screenshots/screens/) and, with DOCS_SCREENSHOTS=1, for docs/. */
async function photograph(page: Page, name: string, caption: string): Promise<void> {
  const file = await saveScreenshot(page, `screens/${name}`);
  photographed.set(name, caption);
  if (writeDocs) await sharp(file).png({ palette: true, quality: 90, compressionLevel: 9, effort: 8 }).toFile(path.join(DOCS, `tablet-${name}.png`));
}

/** The list of the screens pass in docs/screenshots/README.md, between its markers, in a stable order. */
async function writeDocsIndex(): Promise<void> {
  const readme = path.join(DOCS, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- screens:start -->';
  const end = '<!-- screens:end -->';
  const lines = [...photographed.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, caption]) => `- [tablet-${name}.png](tablet-${name}.png): ${caption}`);
  await writeFile(readme, `${text.slice(0, text.indexOf(start) + start.length)}\n${lines.join('\n')}\n${text.slice(text.indexOf(end))}`);
}

/** The admin's routes, read from its router so a new page is photographed without a change here. */
function adminRoutes(): string[] {
  const source = readFileSync(path.resolve(import.meta.dirname, '../../admin/src/app.tsx'), 'utf8');
  return [...source.matchAll(/\{ pattern: '(\/[^']*)'/g)].map((match) => match[1]!);
}

/**
 * Every kiosk and admin screen on the tablets centers really have: nothing off the edge of the
 * window, no label broken inside a word, and a photograph of each screen at 1024×768 and
 * 800×1280 (test-artifacts/screenshots/screens/) for a person to look at. One server, one
 * browser, many pages.
 */
describe.skipIf(skipWithoutChromium)('every screen on real tablet sizes', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let volunteer: { id: string; cardNo: string; cardCode: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    const staff = await api.post('/api/staff', { username: STAFF.username, displayName: '李华', role: 'counter', password: STAFF.password });
    expect(staff.status).toBe(201);
    expect((await api.patch(`/api/staff/${staff.body.id}`, { pin: STAFF.pin })).status).toBe(200);
    await openActivityNow(api, '社区清洁');
    volunteer = await registerVolunteer(api, '张三明', '13800138001');
    expect((await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 60, reason: '测试积分' })).status).toBe(201);
    // Names that broke inside a word on the shelf (洗衣/液, 大米/5kg).
    const shelf = [
      { name: '大米5kg', category: '粮油', unit: '袋', points: 20, stock: 10 },
      { name: '洗衣液', category: '日用品', unit: '瓶', points: 15, stock: 4, lowStockThreshold: 5 },
      { name: '毛巾', category: '日用品', unit: '条', points: 10, stock: 6 },
      { name: '食用油', category: '粮油', unit: '桶', points: 50, stock: 5 },
    ];
    for (const goods of shelf) expect((await api.post('/api/goods', goods)).status).toBe(201);
    browser = await launchChromium(fakeCameraArgs());
  });

  afterAll(async () => {
    if (writeDocs && photographed.size > 0) await writeDocsIndex();
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await station?.destroy();
  });

  const newPage = async (viewport: { width: number; height: number } = PHOTO_VIEWPORTS[0]): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  };
  const adminPage = async (): Promise<Page> => {
    const page = await newPage();
    const login = await page.context().request.post(`${station.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status()).toBe(200);
    return page;
  };
  const pairedKiosk = async (mode: 'checkin' | 'counter', name: string): Promise<Page> => openPairedKiosk(await newPage(), api, mode, name);
  /** Checks the screen at every tablet size; photographs it at the two photo sizes. */
  const checkEverySize = async (page: Page, name: string, caption: string, ready: () => Promise<unknown>) => {
    for (const viewport of TABLET_VIEWPORTS) {
      await page.setViewportSize(viewport);
      await ready();
      // Layout settles in the frame after a resize.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      expect(await layoutProblems(page), `${name} at ${sizeName(viewport)}`).toEqual([]);
      if (PHOTO_VIEWPORTS.some((size) => size.width === viewport.width && size.height === viewport.height)) {
        await photograph(page, `kiosk-${name}-${sizeName(viewport)}`, `${caption} (${sizeName(viewport)})`);
      }
    }
  };

  test('the check-in kiosk fits every tablet, turned either way: scanning, keypad, result', async () => {
    const page = await pairedKiosk('checkin', '大厅签到机');
    await checkEverySize(page, 'scanning', '签到机：等待刷卡', () => page.locator('[data-screen=scanning]').waitFor());

    await page.getByRole('button', { name: '忘带卡' }).click();
    const keypad = page.locator('[data-screen=keypad]');
    const display = page.locator('[data-testid=keypad-display]');
    await checkEverySize(page, 'keypad', '签到机：忘带卡，输入卡号', () => keypad.waitFor());
    // The empty number box keeps a line's height: nothing jumps at the first digit.
    const emptyBox = await display.boundingBox();
    await keypad.getByRole('button', { name: '1', exact: true }).click();
    const firstDigitBox = await display.boundingBox();
    expect(emptyBox!.height).toBeGreaterThan(60);
    expect(firstDigitBox).toEqual(emptyBox);
    await keypad.getByRole('button', { name: '返回' }).click();

    await typeLikeScanner(page, volunteer.cardCode);
    const result = page.locator('[data-screen=result]', { hasText: '签到成功' });
    // The result screen goes by itself after a few seconds: photograph it at the two sizes only.
    for (const viewport of PHOTO_VIEWPORTS) {
      await page.setViewportSize(viewport);
      await result.waitFor();
      expect(await layoutProblems(page), `result at ${sizeName(viewport)}`).toEqual([]);
      await photograph(page, `kiosk-result-${sizeName(viewport)}`, `签到机：签到成功 (${sizeName(viewport)})`);
    }
  }, 120_000);

  test('the counter fits every tablet: the unlock screen, the scanning screen, the shelf with a cart', async () => {
    const page = await pairedKiosk('counter', '爱心超市柜台');
    await checkEverySize(page, 'counter-locked', '兑换台：工作人员解锁', () => page.locator('[data-screen=counter-locked]').waitFor());
    await page.setViewportSize(PHOTO_VIEWPORTS[0]);
    await unlockCounterPage(page, STAFF);
    await checkEverySize(page, 'counter-scan', '兑换台：等待刷卡', () => page.locator('[data-screen=counter-scan]').waitFor());

    await typeLikeScanner(page, volunteer.cardCode);
    await page.locator('[data-screen=counter-shop]').waitFor();
    await page.locator('.goods[data-goods="大米5kg"]').click();
    await page.locator('.goods[data-goods="大米5kg"]').click();
    await checkEverySize(page, 'counter-shop', '兑换台：货架和购物车', () => page.locator('[data-screen=counter-shop]').waitFor());

    await page.locator('[data-testid=confirm]').click();
    const receipt = page.locator('[data-screen=counter-receipt]');
    // The receipt goes by itself after a while: photograph it at the two sizes only.
    for (const viewport of PHOTO_VIEWPORTS) {
      await page.setViewportSize(viewport);
      await receipt.waitFor();
      expect(await layoutProblems(page), `receipt at ${sizeName(viewport)}`).toEqual([]);
      await photograph(page, `kiosk-counter-receipt-${sizeName(viewport)}`, `兑换台：兑换小票 (${sizeName(viewport)})`);
    }
  }, 120_000);

  test('import at 1024×768: a second file replaces the first one’s result; the preview shows team and masked phone; row messages do not repeat the row', async () => {
    const page = await newPage();
    const login = await page.context().request.post(`${station.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status()).toBe(200);
    await page.goto(`${station.url}/admin/volunteers/import`);
    const csv = (rows: string[]) => Buffer.from(`\uFEFF姓名,手机号,服务队\n${rows.join('\n')}\n`, 'utf8');
    const input = page.locator('input[type=file]');
    await input.setInputFiles({ name: 'first.csv', mimeType: 'text/csv', buffer: csv(['王一明,13800000011,环保队', '李二芳,123,环保队']) });
    await page.getByRole('button', { name: '检查文件' }).click();
    await expect(page.getByTestId('import-count').textContent()).resolves.toBe('1');
    const errorRows = page.getByRole('table', { name: /有问题的行/ }).locator('tbody tr');
    await expect(errorRows.count()).resolves.toBe(1);
    await expect(errorRows.first().textContent()).resolves.not.toMatch(/第\d+行/);

    await input.setInputFiles({ name: 'second.csv', mimeType: 'text/csv', buffer: csv(['赵三强,13800000013,助老队', '钱四红,13800000014,助老队', '孙五英,13800000015,助老队']) });
    // The first file's result goes as soon as another file is chosen.
    await page.getByTestId('import-count').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '检查文件' }).click();
    await expect(page.getByTestId('import-count').textContent()).resolves.toBe('3');
    const previewRows = page.getByRole('table', { name: '将导入的人' }).locator('tbody tr');
    await expect(previewRows.count()).resolves.toBe(3);
    const first = (await previewRows.first().textContent()) ?? '';
    expect(first).toContain('助老队');
    expect(first).toContain('138****0013');
    expect(first).not.toContain('13800000013');
    expect(await layoutProblems(page)).toEqual([]);
    await photograph(page, 'admin-import-preview-1024x768', '后台：导入名册的预览 (1024x768)');
  });

  test('activities at 1024×768: buttons follow what an activity is now; a saved activity in another week brings its week up; the year summary is a year', async () => {
    const page = await adminPage();
    const activities = (await api.get('/api/activities')).body.items as { id: string; title: string }[];
    const running = activities.find((a) => a.title === '社区清洁')!;
    // Planned, but inside its window: it already takes sign-ins, so it offers to end them.
    await page.goto(`${station.url}/admin/activities/${running.id}`);
    const actions = page.locator('main .actions').first();
    await actions.getByRole('button', { name: '结束活动' }).waitFor();
    await expect(actions.getByRole('button', { name: '开始签到' }).count()).resolves.toBe(0);
    await expect(actions.getByRole('button', { name: '取消活动' }).count()).resolves.toBe(0);

    const yesterday = Date.now() - 24 * 3600_000;
    const finished = await api.post('/api/activities', { title: '昨天的义诊', startsAt: new Date(yesterday - 2 * 3600_000).toISOString(), endsAt: new Date(yesterday).toISOString() });
    expect(finished.status).toBe(201);
    await page.goto(`${station.url}/admin/activities/${finished.body.id}`);
    await page.getByRole('button', { name: '复制' }).waitFor();
    await expect(page.getByRole('button', { name: '开始签到' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: '取消活动' }).count()).resolves.toBe(0);

    await page.goto(`${station.url}/admin/activities`);
    await page.locator('.page__actions').getByRole('button', { name: '新建活动' }).click();
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 21 * 24 * 3600_000));
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[name=title]').fill('三周后的讲座');
    await dialog.locator('input[name=startsAt]').fill(`${day}T09:00`);
    await dialog.locator('input[name=endsAt]').fill(`${day}T11:00`);
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.locator('.week__item', { hasText: '三周后的讲座' }).waitFor();

    await page.goto(`${station.url}/admin/reports`);
    const thisYear = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    // The summary asks for the whole calendar year, not the month chosen for the other reports.
    const wholeYear = page.waitForRequest((request) => request.url().includes(`/api/reports/year-summary?from=${thisYear}-01-01&to=${thisYear}-12-31`));
    await page.getByRole('tab', { name: '年度总结' }).click();
    await wholeYear;
    const year = page.getByRole('combobox', { name: '总结年度' });
    await expect(year.inputValue()).resolves.toBe(thisYear);
    const lastYear = String(Number(thisYear) - 1);
    const previous = page.waitForRequest((request) => request.url().includes(`/api/reports/year-summary?from=${lastYear}-01-01&to=${lastYear}-12-31`));
    await year.selectOption(lastYear);
    await previous;
    await photograph(page, 'admin-reports-year-summary-1024x768', '后台：报表 → 年度总结 (1024x768)');
  });

  test('teams name their leaders; /board/, /setup/, /verify/ and /print/ load without a 404 (their icon included)', async () => {
    const team = await api.post('/api/teams', { name: '环保服务队', leaderIds: [volunteer.id] });
    expect(team.status).toBe(201);
    const page = await adminPage();
    await page.goto(`${station.url}/admin/teams`);
    const row = page.locator('tbody tr', { hasText: '环保服务队' });
    await expect(row.textContent()).resolves.toContain('张三明');

    const year = new Date().getFullYear();
    const certificate = await api.post(`/api/volunteers/${volunteer.id}/certificates`, { from: `${year}-01-01`, to: `${year}-12-31` });
    expect(certificate.status).toBe(201);
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    for (const path of ['/board/', '/setup/', `/verify/${certificate.body.number}`, `/print/ledger?month=${year}-01`]) {
      await page.goto(`${station.url}${path}`);
      await page.waitForLoadState('networkidle');
    }
    expect(missing).toEqual([]);
  });

  test('a paired hall TV shows 在线 on 设备 while its board is connected, 离线 once it goes', async () => {
    const { deviceId, token } = await pairDevice(api, 'board', '大厅电视');
    const page = await adminPage();
    await page.goto(`${station.url}/admin/devices`);
    const row = page.locator('tbody tr', { hasText: '大厅电视' });
    await row.filter({ hasText: '离线' }).waitFor();
    const tv = await connectSocket(station.url, '/board', { token });
    try {
      await page.reload();
      await row.filter({ hasText: '在线' }).waitFor();
      expect(((await api.get('/api/devices')).body.items as { id: string; online: boolean }[]).find((d) => d.id === deviceId)?.online).toBe(true);
    } finally {
      tv.close();
    }
    await expect.poll(async () => ((await api.get('/api/devices')).body.items as { id: string; online: boolean }[]).find((d) => d.id === deviceId)?.online, { timeout: 10_000 }).toBe(false);
  });

  test('every admin page is photographed at 1024×768 and 800×1280 with nothing off the screen', async () => {
    const page = await adminPage();
    const activities = (await api.get('/api/activities')).body.items as { id: string }[];
    const notice = await api.post('/api/notices', { kind: 'newStars', from: '2026-01-01', to: '2026-01-31' });
    expect(notice.status).toBe(201);
    const training = await api.post('/api/trainings', { title: '急救培训', category: '急救', date: '2026-01-10', hours: 2 });
    expect(training.status).toBe(201);
    // A page with an id in its address is photographed on one of these.
    const ids: Record<string, string> = { volunteers: volunteer.id, activities: activities[0]!.id, notices: notice.body.id, trainings: training.body.id };
    const routes = adminRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const problems: string[] = [];
    const unphotographed: string[] = [];
    for (const route of routes) {
      const section = route.split('/')[1]!;
      if (route.includes(':') && !ids[section]) {
        unphotographed.push(route);
        continue;
      }
      const address = route.replace(/:[a-z]+/i, ids[section] ?? '');
      const name = `admin${route.replaceAll('/', '-').replace(/:[a-z]+/i, 'one')}`;
      await page.setViewportSize(PHOTO_VIEWPORTS[0]);
      await page.goto(`${station.url}/admin${address}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const viewport of PHOTO_VIEWPORTS) {
        await page.setViewportSize(viewport);
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        for (const problem of await layoutProblems(page)) problems.push(`${route} at ${sizeName(viewport)}: ${problem.problem} ${problem.element} (${problem.detail})`);
        const title = ((await page.locator('main h1').first().textContent()) ?? '').trim();
        await photograph(page, `${name}-${sizeName(viewport)}`, `后台：${title}（/admin${route}）(${sizeName(viewport)})`);
      }
    }
    if (unphotographed.length > 0) console.log(`screens: no id to photograph ${unphotographed.join(', ')} with; add one to \`ids\``);
    expect(problems).toEqual([]);
  }, 480_000);

  test('the board (a paired hall TV), /setup/, /verify/ and /me/ are photographed at 1024×768 and 800×1280 with nothing off the screen', async () => {
    const page = await newPage();
    const device = await api.post('/api/devices', { name: '大厅电视二', mode: 'board' });
    expect(device.status).toBe(201);
    await page.goto(`${station.url}/board/?pair=${device.body.pairingCode}`);
    await page.locator('.connection.online').waitFor();
    const year = new Date().getFullYear();
    const certificate = await api.post(`/api/volunteers/${volunteer.id}/certificates`, { from: `${year}-01-01`, to: `${year}-12-31` });
    expect(certificate.status).toBe(201);
    const problems: string[] = [];
    const screens: { name: string; caption: string; open: () => Promise<unknown> }[] = [
      { name: 'board', caption: '大屏：志愿服务实时看板', open: async () => undefined },
      { name: 'setup', caption: '/setup/：平板设置向导', open: () => page.goto(`${station.url}/setup/`) },
      { name: 'verify', caption: '/verify/：证明查验页', open: () => page.goto(`${station.url}/verify/${certificate.body.number}`) },
      { name: 'me', caption: '/me/：志愿者手机页（未登录）', open: () => page.goto(`${station.url}/me/`) },
    ];
    for (const screen of screens) {
      await screen.open();
      await page.waitForLoadState('networkidle');
      for (const viewport of PHOTO_VIEWPORTS) {
        await page.setViewportSize(viewport);
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        for (const problem of await layoutProblems(page)) problems.push(`${screen.name} at ${sizeName(viewport)}: ${problem.problem} ${problem.element} (${problem.detail})`);
        await photograph(page, `${screen.name}-${sizeName(viewport)}`, `${screen.caption} (${sizeName(viewport)})`);
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  test('the kiosk’s 我的记录 after a card, at 1024×768 and 800×1280', async () => {
    const page = await pairedKiosk('checkin', '大厅签到机二');
    await page.getByRole('button', { name: '我的记录' }).click();
    await typeLikeScanner(page, volunteer.cardCode);
    const record = page.locator('[data-screen=record]');
    for (const viewport of PHOTO_VIEWPORTS) {
      await page.setViewportSize(viewport);
      await record.waitFor();
      expect(await layoutProblems(page), `record at ${sizeName(viewport)}`).toEqual([]);
      await photograph(page, `kiosk-record-${sizeName(viewport)}`, `签到机：我的记录 (${sizeName(viewport)})`);
    }
  }, 90_000);
});
