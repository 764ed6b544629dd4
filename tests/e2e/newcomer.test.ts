import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * Issue 12, "what a newcomer expected", in Chromium on the 1024×768 counter PC/tablet: the home
 * page with its first-run checklist, and staff-assisted check-in. Needs the built admin (node scripts/build-apps.mjs).
 */
describe.skipIf(skipWithoutChromium)('a newcomer’s expectations in a browser (1024×768)', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(`${station.url}/admin/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.nav').waitFor({ timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  test('home: a fresh center lands on 首页 with its first-run checklist, which ticks itself off', async () => {
    await page.getByRole('heading', { name: '首页' }).waitFor();
    expect(page.url()).toBe(`${station.url}/admin/home`);
    const steps = page.locator('.checklist__step');
    await expect(steps.count()).resolves.toBe(5);
    await expect(page.locator('.checklist__step[data-done=true]').count()).resolves.toBe(0);
    await page.getByText('已完成 0/5').waitFor();
    await saveDocsScreenshot(page, 'admin-home-first-run-1024x768');

    await registerVolunteer(api, '陈阿姨');
    await api.patch('/api/settings', { centerName: '幸福里社区志愿驿站' });
    await page.reload();
    await page.getByText('已完成 2/5').waitFor({ timeout: 15_000 });
    await expect(page.locator('.checklist__step[data-step=volunteers]').getAttribute('data-done')).resolves.toBe('true');
    await expect(page.locator('.checklist__step[data-step=center]').getAttribute('data-done')).resolves.toBe('true');
    await expect(page.locator('.checklist__step[data-step=cards]').getAttribute('data-done')).resolves.toBe('false');
    // An undone step leads to where it is done.
    await page.locator('.checklist__step[data-step=kiosk]').getByRole('link', { name: '去设置' }).click();
    await page.getByRole('heading', { name: '设备' }).waitFor();
  }, 90_000);

  test('代签到: staff find a person by pinyin initials and sign them in, then out, with the kiosk’s rules', async () => {
    await api.patch('/api/settings', { repeatWindowSeconds: 0 });
    const activity = await openActivityNow(api, '敬老院探访');
    const person = await registerVolunteer(api, '王秀英', '13800138000');
    await registerVolunteer(api, '王小明');

    await page.locator('.nav').getByRole('link', { name: '代签到' }).click();
    await page.getByRole('heading', { name: '代签到' }).waitFor();
    await page.getByText('签到活动：敬老院探访').waitFor();
    await page.getByRole('searchbox').fill('wxy');
    const row = page.locator('tbody tr', { hasText: '王秀英' });
    await row.getByRole('button', { name: '签到' }).click();
    await page.getByText(/王秀英 已于 \d\d:\d\d 签到“敬老院探访”。/).waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: '签退' }).waitFor();
    await expect(row.textContent()).resolves.toContain('起在“敬老院探访”');
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveDocsScreenshot(page, 'admin-assisted-checkin-1024x768');
    const attendance = (await api.get(`/api/activities/${activity.id}/attendance`)).body.items;
    expect(attendance).toMatchObject([{ volunteerId: person.id, source: 'assisted', assistedBy: 'staff:admin' }]);

    // Nothing on this screen may run off a 1024-pixel-wide screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await row.getByRole('button', { name: '签退' }).click();
    await page.getByText(/王秀英 已于 \d\d:\d\d 从“敬老院探访”签退/).waitFor({ timeout: 15_000 });
    await row.getByRole('button', { name: '签到' }).waitFor();
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  }, 90_000);

  test('home: today’s activities with who is on site, the review queues and low stock, at 1024×768 and 800×1280', async () => {
    const activity = await openActivityNow(api, '社区义诊');
    for (const name of ['周桂兰', '吴建华']) {
      const person = await registerVolunteer(api, name);
      expect((await api.post('/api/assisted-checkin', { volunteerId: person.id, activityId: activity.id, action: 'check-in' })).status).toBe(200);
    }
    const goods = await api.post('/api/goods', { name: '洗衣液', points: 10, stock: 2, lowStockThreshold: 5 });
    expect(goods.status).toBe(201);

    await page.goto(`${station.url}/admin/home`);
    const today = page.locator('.home__activity', { hasText: '社区义诊' });
    await today.getByText('周桂兰、吴建华').waitFor({ timeout: 15_000 });
    await expect(today.textContent()).resolves.toContain('在场 2 人');
    await page.getByText('洗衣液：剩 2').waitFor();
    await page.getByRole('link', { name: /待审核签到/ }).waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await saveDocsScreenshot(page, 'admin-home-1024x768');
    await page.setViewportSize({ width: 800, height: 1280 });
    await today.getByText('周桂兰、吴建华').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await saveDocsScreenshot(page, 'admin-home-800x1280');
    await page.setViewportSize({ width: 1024, height: 768 });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  }, 90_000);

  test('批量补录: a paper sheet entered at once; entering it again is refused line by line and nothing is saved', async () => {
    const start = Date.now() - 2 * 86400_000;
    const activity = (await api.post('/api/activities', { title: '垃圾分类宣传', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * 3600_000).toISOString() })).body;
    await registerVolunteer(api, '郑淑珍');
    await registerVolunteer(api, '钱志强');

    const enterSheet = async () => {
      await page.goto(`${station.url}/admin/attendance/bulk`);
      await page.getByRole('heading', { name: '批量补录' }).waitFor();
      await page.locator('main select').first().selectOption(activity.id);
      for (const name of ['郑淑珍', '钱志强']) {
        await page.getByRole('searchbox').fill(name);
        await page.locator('.pick-list__item', { hasText: name }).click();
      }
      await page.locator('input[name=reason]').fill('纸质签到表');
      await page.getByRole('button', { name: '保存 2 条记录' }).click();
    };
    await enterSheet();
    await page.getByText(/已补录 2 条记录/).waitFor({ timeout: 15_000 });
    expect((await api.get(`/api/activities/${activity.id}/attendance`)).body.items).toHaveLength(2);

    await enterSheet();
    await page.getByText('有 2 行不能录入，整批都没有保存。').waitFor({ timeout: 15_000 });
    await expect(page.locator('tr.row--attention').count()).resolves.toBe(2);
    expect((await api.get(`/api/activities/${activity.id}/attendance`)).body.items).toHaveLength(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await saveDocsScreenshot(page, 'admin-bulk-backfill-1024x768');
  }, 90_000);
});
