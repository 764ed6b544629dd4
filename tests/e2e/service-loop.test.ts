import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fakeCameraArgs, hasFfmpeg, launchChromium, makeCardVideo, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, openActivityNow, startStation, type ApiClient, type TestStation } from '../support/station.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);
else if (!hasFfmpeg) console.log('ffmpeg not found (install the Debian package ffmpeg): the service loop test is skipped, its accept step needs the fake camera');

const LANDSCAPE = { width: 1024, height: 768 };
const PORTRAIT = { width: 800, height: 1280 };
/** The resident's phone: it must never appear on the kiosk's task screen or on the board. */
const RESIDENT_PHONE = '13712345678';
const RESIDENT_NAME = '欧阳秀英';

interface Volunteer {
  id: string;
  cardNo: string;
  cardCode: string;
}

/**
 * 群众点单 → 中心派单 → 志愿者接单 → 群众评单, in Debian's Chromium against a real server, as a
 * center lives it: a resident asks at the kiosk, staff dispatch in the admin, the volunteer shows
 * their card to the kiosk's camera and accepts, staff record the minutes, the resident rates at
 * the kiosk; the hall TV's wish wall follows every step live. Each step leaves the screens for
 * the next, and screenshots of each screen go to docs/screenshots/.
 */
describe.skipIf(skipWithoutChromium || !hasFfmpeg)('the service loop in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let kiosk: Page;
  let admin: Page;
  let board: Page;
  let workDir: string;
  let repairer: Volunteer;
  let other: Volunteer;
  let requestNumber = '';
  let requestId = '';

  beforeAll(async () => {
    buildAppsForTest(['admin', 'kiosk', 'board']);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vs-service-e2e-'));
    station = await startStation();
    api = await adminClient(station);
    // A sign-in needs something open; the task button follows a sign-in.
    await openActivityNow(api, '便民服务日');
    const register = async (body: Record<string, unknown>): Promise<Volunteer> => {
      const response = await api.post('/api/volunteers', body);
      expect(response.status).toBe(201);
      return response.body;
    };
    repairer = await register({ name: '周志强', phone: '13800138101', grid: '二网格', skills: ['维修'] });
    other = await register({ name: '吴秀兰', phone: '13800138102', grid: '五网格' });
    browser = await launchChromium(fakeCameraArgs());
    kiosk = await browser.newPage({ viewport: LANDSCAPE });
    admin = await browser.newPage({ viewport: LANDSCAPE });
    board = await browser.newPage({ viewport: LANDSCAPE });
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** A screenshot in landscape, and one in portrait too for kiosk screens (tablets stand either way). */
  const shoot = async (page: Page, name: string, portrait = false) => {
    await saveDocsScreenshot(page, `service-${name}-1024x768`);
    if (!portrait) return;
    await page.setViewportSize(PORTRAIT);
    await saveDocsScreenshot(page, `service-${name}-800x1280`);
    await page.setViewportSize(LANDSCAPE);
  };
  const requestView = async () => (await api.get(`/api/service-requests/${requestId}`)).body;
  const hoursOf = async (volunteer: Volunteer): Promise<number> => (await api.get(`/api/volunteers/${volunteer.id}`)).body.hours;

  test('the hall TV shows an empty wish wall, live', async () => {
    const created = await api.post('/api/devices', { name: '心愿墙电视', mode: 'board' });
    await board.goto(`${station.url}/board/?pair=${created.body.pairingCode}&view=wishes`);
    await board.locator('[data-screen=wish-wall]').waitFor();
    await board.locator('.connection.online').waitFor();
    await expect(board.locator('.wish-open').textContent()).resolves.toContain('现在没有等待中的求助');
  });

  test('a resident asks for help at the kiosk with big buttons and gets a number to read aloud', async () => {
    const created = await api.post('/api/devices', { name: '大厅自助机', mode: 'checkin' });
    await kiosk.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
    await kiosk.locator('[data-testid=connection][data-status=online]').waitFor();
    await kiosk.locator('[data-testid=activity]', { hasText: '便民服务日' }).waitFor();
    await shoot(kiosk, 'kiosk-scanning', true);

    await kiosk.locator('[data-action=ask-help]').click();
    const help = kiosk.locator('[data-screen=help]');
    await help.waitFor();
    await shoot(kiosk, 'kiosk-help-categories', true);
    await help.locator('[data-category=维修]').click();
    // The phone on the big digit pad: 下一步 waits for all 11 digits.
    const pad = kiosk.locator('[data-screen=help-phone]');
    await pad.waitFor();
    for (const digit of RESIDENT_PHONE.slice(0, 7)) await pad.locator('.keypad-keys').getByRole('button', { name: digit, exact: true }).click();
    await expect(pad.locator('[data-action=phone-next]').isDisabled()).resolves.toBe(true);
    for (const digit of RESIDENT_PHONE.slice(7)) await pad.locator('.keypad-keys').getByRole('button', { name: digit, exact: true }).click();
    await shoot(kiosk, 'kiosk-help-phone', true);
    await pad.locator('[data-action=phone-next]').click();
    const form = kiosk.locator('[data-screen=help-form]');
    await form.waitFor();
    await form.locator('input[name=details]').fill('厨房水龙头漏水');
    await form.locator('input[name=place]').fill('幸福小区3号楼');
    await form.locator('input[name=requesterName]').fill(RESIDENT_NAME);
    await shoot(kiosk, 'kiosk-help-form', true);
    await form.locator('[data-action=send-help]').click();
    const sent = kiosk.locator('[data-screen=help-sent]');
    await sent.waitFor();
    requestNumber = ((await sent.locator('[data-testid=help-number]').textContent()) ?? '').replace(/^.*：/, '').trim();
    expect(requestNumber).toMatch(/^\d{4}-\d{4}$/);
    await shoot(kiosk, 'kiosk-help-sent', true);

    const list = await api.get('/api/service-requests?status=open');
    const made = list.body.items.find((r: { number: string }) => r.number === requestNumber);
    expect(made).toMatchObject({ category: '维修', details: '厨房水龙头漏水', source: 'kiosk', status: 'open', phone: expect.stringContaining('5678') });
    requestId = made.id;
    await sent.getByRole('button', { name: '返回' }).click();
    await kiosk.locator('[data-screen=scanning]').waitFor();
  });

  test('the wish wall shows the new need at once, with a masked name and no phone or place', async () => {
    const wish = board.locator(`.wish[data-wish="${requestNumber}"]`);
    await wish.waitFor();
    const text = (await wish.textContent()) ?? '';
    expect(text).toContain('维修');
    // A four-character name keeps its first and last characters only.
    expect(text).toContain('欧**英');
    const page = (await board.locator('body').textContent()) ?? '';
    for (const secret of [RESIDENT_NAME, RESIDENT_PHONE, '5678', '幸福小区', '水龙头']) expect(page).not.toContain(secret);
    await shoot(board, 'board-wish-wall-open');
  });

  test('staff see the request in the admin, the suggestions with their reasons, and dispatch it', async () => {
    const login = await admin.context().request.post(`${station.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status()).toBe(200);
    await admin.goto(`${station.url}/admin/requests`);
    const row = admin.locator(`[data-request="${requestNumber}"]`);
    await row.waitFor();
    await shoot(admin, 'admin-requests');
    await row.click();
    const dialog = admin.locator('dialog[open]');
    await dialog.getByRole('heading', { name: `${requestNumber} · 维修` }).waitFor();
    const suggestions = dialog.locator('.match-list li');
    await suggestions.first().waitFor();
    // The resident's words name no skill or grid: nothing sets the two volunteers apart yet.
    await expect.poll(() => suggestions.count()).toBe(2);
    await expect(suggestions.first().textContent()).resolves.toContain('无特别匹配项');

    // Staff complete the request from the call back: the skill it needs and the grid.
    await dialog.locator('[data-action=edit-request]').click();
    const form = dialog.locator('[data-form=edit-request]');
    await form.locator('input[name=skills]').fill('维修');
    await form.locator('input[name=grid]').fill('二网格');
    await form.getByRole('button', { name: '保存' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(async () => (await suggestions.first().textContent()) ?? '', { timeout: 15_000 }).toContain('技能 +40（维修）');
    const first = (await suggestions.first().textContent()) ?? '';
    expect(first).toContain('周志强');
    expect(first).toContain('同网格 +20（二网格）');
    expect(first).toContain('匹配分 60');
    expect(first).not.toContain('[object Object]');
    await shoot(admin, 'admin-request-suggestions');

    await dialog.locator('.match-list li', { hasText: '周志强' }).locator('input[type=checkbox]').check();
    await dialog.getByRole('button', { name: /派单给选中的志愿者/ }).click();
    await dialog.locator('.plain-list li', { hasText: '周志强 · 待接单' }).waitFor();
    expect((await requestView()).status).toBe('dispatched');
    await shoot(admin, 'admin-request-dispatched');
    await dialog.getByRole('button', { name: '关闭' }).click();
  });

  test('the wish wall moves the request to “being helped”', async () => {
    await board.locator(`.wish-progress [data-wish="${requestNumber}"][data-status=dispatched]`).waitFor();
    expect(await board.locator(`.wish-open [data-wish="${requestNumber}"]`).count()).toBe(0);
  });

  test('the volunteer shows the card to the kiosk camera, sees 我的任务 and accepts with one tap', async () => {
    const card = await fetch(`${station.url}/api/volunteers/${repairer.id}/qr.png`, { headers: { cookie: api.cookie } });
    expect(card.status).toBe(200);
    const png = path.join(workDir, 'card.png');
    await writeFile(png, new Uint8Array(await card.arrayBuffer()));
    const video = path.join(workDir, 'card.y4m');
    await makeCardVideo([png], video);

    const cameraBrowser = await launchChromium(fakeCameraArgs(video));
    try {
      const camera = await cameraBrowser.newPage({ viewport: LANDSCAPE });
      const created = await api.post('/api/devices', { name: '摄像头自助机', mode: 'checkin' });
      await camera.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
      await camera.locator('[data-testid=connection][data-status=online]').waitFor();
      // Decoding a camera feed on a loaded 2-core machine can take many seconds.
      const taskButton = camera.locator('[data-screen=result][data-kind=success] [data-action=my-tasks]');
      await taskButton.waitFor({ timeout: 90_000 });
      await expect(camera.locator('[data-screen=result]').textContent()).resolves.toContain('周*强');
      await expect(taskButton.textContent()).resolves.toContain('您有 1 个任务等待接单');
      await shoot(camera, 'kiosk-result-with-tasks');
      await taskButton.click();

      const tasks = camera.locator('[data-screen=tasks]');
      await tasks.waitFor();
      const task = tasks.locator(`[data-task="${requestNumber}"]`);
      await expect(task.textContent()).resolves.toContain('派给您的');
      const taskText = (await tasks.textContent()) ?? '';
      expect(taskText).toContain('欧**英');
      for (const secret of [RESIDENT_NAME, RESIDENT_PHONE, '5678', '幸福小区']) expect(taskText).not.toContain(secret);
      await shoot(camera, 'kiosk-my-tasks', true);
      await task.locator('[data-action=accept]').click();
      await task.locator('[data-testid=task-accepted]').waitFor();
      await shoot(camera, 'kiosk-task-accepted', true);
    } finally {
      await cameraBrowser.close();
    }
    const view = await requestView();
    expect(view.status).toBe('accepted');
    expect(view.assignments).toEqual([expect.objectContaining({ volunteerId: repairer.id, status: 'accepted' })]);
    }, 180_000);

  test('the wish wall shows it as taken', async () => {
    await board.locator(`.wish-progress [data-wish="${requestNumber}"][data-status=accepted]`).waitFor();
    await board.locator(`.wish-accepted [data-wish="${requestNumber}"]`).waitFor();
    await shoot(board, 'board-wish-wall-accepted');
  });

  test('staff mark it done with the minutes; the hours are credited once', async () => {
    const before = await hoursOf(repairer);
    await admin.locator(`[data-request="${requestNumber}"]`).click();
    const dialog = admin.locator('dialog[open]');
    await dialog.locator('input[name=minutes]').fill('90');
    await dialog.locator('input[name=note]').fill('换了水龙头阀芯');
    await shoot(admin, 'admin-request-complete');
    await dialog.getByRole('button', { name: '服务完成' }).click();
    await dialog.locator('.badge', { hasText: '已完成' }).waitFor();
    await shoot(admin, 'admin-request-done');
    await dialog.getByRole('button', { name: '关闭' }).click();

    expect(await hoursOf(repairer)).toBeCloseTo(before + 1.5, 5);
    expect(await hoursOf(other)).toBe(0);
    const again = await api.post(`/api/service-requests/${requestId}/complete`, { minutes: 90 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REQUEST_STATE');
    expect(await hoursOf(repairer)).toBeCloseTo(before + 1.5, 5);
    const records = (await api.get(`/api/volunteers/${repairer.id}/service-records`)).body.items;
    expect(records).toEqual([expect.objectContaining({ kind: 'request', sourceId: requestId, creditedMinutes: 90 })]);
  });

  test('the wish wall counts the month’s completed service and the person served', async () => {
    await expect.poll(() => board.locator(`[data-wish="${requestNumber}"]`).count(), { timeout: 15_000 }).toBe(0);
    const tiles = board.locator('[data-testid=wish-tiles] .tile-value');
    await expect.poll(async () => (await tiles.nth(1).textContent())?.trim(), { timeout: 15_000 }).toBe('1次');
    await expect(tiles.nth(2).textContent()).resolves.toBe('1人');
    await expect(tiles.nth(3).textContent()).resolves.toBe('1.5小时');
    await shoot(board, 'board-wish-wall-month');
  });

  test('the resident rates it at the kiosk with the request number and the phone’s last 4 digits', async () => {
    const keys = (screen: string) => kiosk.locator(`[data-screen=${screen}] .keypad-keys`);
    const type = async (screen: string, digits: string) => {
      for (const digit of digits) await keys(screen).getByRole('button', { name: digit, exact: true }).click();
    };
    await kiosk.locator('[data-action=rate-service]').click();
    await type('rate-number', requestNumber.replace('-', ''));
    await expect(kiosk.locator('[data-testid=rate-display]').textContent()).resolves.toBe(requestNumber);
    await shoot(kiosk, 'kiosk-rate-number', true);
    await kiosk.locator('[data-screen=rate-number]').getByRole('button', { name: '下一步' }).click();

    // Wrong digits are refused with a plain sentence, and nothing is rated.
    await type('rate-phone', '0000');
    await kiosk.locator('[data-screen=rate-phone]').getByRole('button', { name: '下一步' }).click();
    await kiosk.locator('[data-score="5"]').click();
    await kiosk.locator('[data-action=send-rating]').click();
    await kiosk.locator('[data-screen=rate-number] [role=alert]', { hasText: '对不上' }).waitFor();
    expect((await requestView()).status).toBe('done');

    await kiosk.locator('[data-screen=rate-number]').getByRole('button', { name: '下一步' }).click();
    await type('rate-phone', RESIDENT_PHONE.slice(-4));
    await shoot(kiosk, 'kiosk-rate-phone', true);
    await kiosk.locator('[data-screen=rate-phone]').getByRole('button', { name: '下一步' }).click();
    const stars = kiosk.locator('[data-screen=rate-stars]');
    await stars.locator('[data-score="4"]').click();
    await stars.getByRole('button', { name: '态度很好' }).click();
    await stars.getByText('满意', { exact: true }).waitFor();
    await shoot(kiosk, 'kiosk-rate-stars', true);
    await stars.locator('[data-action=send-rating]').click();
    await kiosk.locator('[data-screen=rate-thanks]').waitFor();
    await shoot(kiosk, 'kiosk-rate-thanks', true);

    const view = await requestView();
    expect(view.status).toBe('rated');
    expect(view.rating).toMatchObject({ score: 4, comment: '态度很好' });
    // Rating credits nothing more.
    expect(await hoursOf(repairer)).toBeCloseTo(1.5, 5);
  });

  test('the admin shows the rating and the whole history', async () => {
    await admin.reload();
    await admin.locator(`[data-request="${requestNumber}"]`).click();
    const dialog = admin.locator('dialog[open]');
    await dialog.getByText('★★★★ 态度很好').waitFor();
    const history = (await dialog.locator('ol.plain-list').textContent()) ?? '';
    for (const status of ['待派单', '已派单', '已接单', '已完成', '已评价']) expect(history).toContain(status);
    await shoot(admin, 'admin-request-rated');
  });

  test('the reports count the service: requests, rating, people served and hours by kind', async () => {
    await admin.goto(`${station.url}/admin/reports`);
    const panel = admin.locator('[data-panel=service-report]');
    // This month's figures, in the center's zone: the request was made and done minutes ago.
    await panel.locator('dd', { hasText: '0 / 1.5 / 0' }).waitFor();
    const text = (await panel.textContent()) ?? '';
    expect(text).toContain('维修 1');
    expect(text).toContain('4（1）');
    await panel.scrollIntoViewIfNeeded();
    await shoot(admin, 'admin-reports-service');
  });
});
