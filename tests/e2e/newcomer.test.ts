import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * Issue 12, "what a newcomer expected", in Chromium on the 1024×768 counter PC/tablet: staff-assisted
 * check-in. Needs the built admin (node scripts/build-apps.mjs).
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
});
