import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);


const screenshot = saveDocsScreenshot;

/**
 * Issue 15 in Chromium: the organizer's sign-up list in the admin (waiting list, cancel with
 * promotion), and the kiosk refusing a sign-in at the training gate, saying why and whom to ask.
 * Needs the built apps (node scripts/build-apps.mjs).
 */
describe.skipIf(skipWithoutChromium)('sign-ups and the gate in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  test('the activity page lists sign-ups in order with the waiting list; a cancel promotes the first waiting', async () => {
    const start = Date.now() + 2 * 86400_000;
    const activity = await api.post('/api/activities', { title: '重阳节敬老院慰问', place: '阳光敬老院', capacity: 2, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * 3600_000).toISOString() });
    const people = [];
    for (const [i, name] of ['张秀兰', '李建华', '王淑芬'].entries()) {
      const v = await registerVolunteer(api, name, `1380013900${i}`);
      people.push(v);
      expect((await api.post(`/api/activities/${activity.body.id}/signups`, { volunteerId: v.id })).status).toBe(201);
    }

    await page.goto(`${station.url}/admin/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '首页' }).waitFor();
    await page.goto(`${station.url}/admin/activities/${activity.body.id}`);
    const panel = page.locator('section.signup-panel');
    await panel.getByRole('heading', { name: /报名名单/ }).waitFor();
    await expect(panel.getByTestId('signup-summary').textContent()).resolves.toContain('已确认 2 / 2 人，候补 1 人');
    const rows = panel.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.nth(2).textContent()).resolves.toContain('候补');
    await expect(rows.nth(2).textContent()).resolves.toContain('王淑芬');
    // Phones are masked in the list.
    expect(await panel.textContent()).not.toContain('13800139000');
    await screenshot(page, 'admin-signup-list');

    page.once('dialog', (d) => void d.accept());
    await rows.nth(0).getByRole('button', { name: '取消报名' }).click();
    await panel.getByText('已确认 2 / 2 人，候补 0 人').waitFor();
    await expect(rows.nth(0).textContent()).resolves.toContain('已取消');
    await expect(rows.nth(2).textContent()).resolves.toContain('已确认');
    const list = await api.get(`/api/activities/${activity.body.id}/signups`);
    expect(list.body.items.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'confirmed', 'confirmed']);
    // The export link downloads the list.
    await expect(panel.getByRole('link', { name: '导出 Excel' }).getAttribute('href')).resolves.toBe(`/api/activities/${activity.body.id}/signups.xlsx`);
  });

  test('the kiosk refuses a sign-in without the required training and says why and whom to ask', async () => {
    await api.patch('/api/settings', { gates: { contact: '服务台 陈老师' } });
    const now = Date.now();
    const activity = await api.post('/api/activities', { title: '马拉松医疗点', requiredTrainings: ['急救'], startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 3 * 3600_000).toISOString() });
    expect(activity.status).toBe(201);
    const volunteer = await registerVolunteer(api, '周未训', '13800139100');
    const device = await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' });
    const kiosk = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await kiosk.goto(`${station.url}/kiosk/?pair=${device.body.pairingCode}`);
    await kiosk.locator('[data-screen=scanning]').waitFor();
    await kiosk.locator('[data-testid=connection][data-status=online]').waitFor();
    await typeLikeScanner(kiosk, volunteer.cardCode);
    const result = kiosk.locator('[data-screen=result][data-kind=failure]');
    await result.waitFor();
    const text = await result.textContent();
    expect(text).toContain('参加这个活动需要先完成相关培训');
    expect(text).toContain('还需要的培训：急救');
    expect(text).toContain('请找：服务台 陈老师');
    await screenshot(kiosk, 'kiosk-gate-training');
    const attendance = await api.get(`/api/volunteers/${volunteer.id}/attendance`);
    expect(attendance.body.items).toEqual([]);
    await kiosk.close();
  });
});
