import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fakeCameraArgs, launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';
import { unlockKioskSettings } from '../support/kiosk-pages.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const SIZES = [
  { width: 1024, height: 768 },
  { width: 800, height: 1280 },
];

/**
 * 代人签到 / 签退 from a check-in kiosk's staff panel (issue 12), in Debian's Chromium against a
 * real server, at the budget landscape tablet and a portrait kiosk: the staff password opens the
 * panel, staff find someone by pinyin initials or phone and sign them in, then out.
 */
describe.skipIf(skipWithoutChromium)('staff-assisted check-in at the kiosk', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  const people: { id: string; name: string; phone: string }[] = [];

  beforeAll(async () => {
    buildAppsForTest(['kiosk']);
    station = await startStation();
    api = await adminClient(station);
    await openActivityNow(api, '敬老院探访');
    // A sign-out moments after the sign-in would otherwise be an accidental repeat (30 s window).
    expect((await api.patch('/api/settings', { repeatWindowSeconds: 0 })).status).toBe(200);
    for (const [name, phone] of [['周淑芬', '13800138201'], ['钱国庆', '13800138202']]) people.push({ ...(await registerVolunteer(api, name!, phone)), name: name!, phone: phone! });
    browser = await launchChromium(fakeCameraArgs());
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  const attendanceOf = async (id: string) => (await api.get(`/api/volunteers/${id}/attendance`)).body.items as { checkOutAt?: string; source?: string; assistedBy?: string }[];
  const fitsOnScreen = async (page: Page, selector: string, size: { width: number; height: number }) => {
    const box = await page.locator(selector).first().boundingBox();
    expect(box, selector).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
  };

  for (const [index, size] of SIZES.entries()) {
    test(`at ${size.width}×${size.height}: the staff password opens 代人签到, staff find a person and sign them in and out`, async () => {
      const person = people[index]!;
      const page = await browser.newPage({ viewport: size });
      try {
        const created = await api.post('/api/devices', { name: `签到机 ${size.width}`, mode: 'checkin' });
        await page.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
        await page.locator('[data-testid=connection][data-status=online]').waitFor();
        await page.locator('[data-testid=activity]', { hasText: '敬老院探访' }).waitFor();

        await unlockKioskSettings(page, { username: 'admin', password: ADMIN_PASSWORD });
        const settings = page.locator('[data-screen=settings]');
        await fitsOnScreen(page, '[data-action=assisted-open]', size);
        await settings.locator('[data-action=assisted-open]').click();

        const panel = page.locator('[data-screen=assisted-checkin]');
        await panel.waitFor();
        // Pinyin initials for the first, the whole phone number for the second.
        await panel.locator('input[name=q]').fill(index === 0 ? 'zsf' : person.phone);
        await panel.getByRole('button', { name: '查找' }).click();
        const row = panel.locator('.assisted-people li', { hasText: person.name });
        await row.waitFor();
        await expect(row.textContent()).resolves.toContain('未签到');
        expect((await panel.textContent()) ?? '').not.toContain(person.phone.slice(3));
        await fitsOnScreen(page, '[data-action=assisted-check-in]', size);
        await saveDocsScreenshot(page, `kiosk-assisted-search-${size.width}x${size.height}`);
        await row.locator('[data-action=assisted-check-in]').click();
        await panel.locator('[data-testid=assisted-line]', { hasText: `已为 ${person.name} 签到：敬老院探访` }).waitFor();
        await row.locator('.assisted-on-site', { hasText: '在场：敬老院探访' }).waitFor();
        await saveDocsScreenshot(page, `kiosk-assisted-signed-in-${size.width}x${size.height}`);
        expect(await attendanceOf(person.id)).toEqual([expect.objectContaining({ source: 'assisted', assistedBy: 'staff:admin' })]);

        await row.locator('[data-action=assisted-check-out]').click();
        await panel.locator('[data-testid=assisted-line]', { hasText: `已为 ${person.name} 签退` }).waitFor();
        await row.locator('.assisted-off-site').waitFor();
        const [attendance] = await attendanceOf(person.id);
        expect(attendance?.checkOutAt).toBeTruthy();
        const audit = (await api.get('/api/audit?q=attendance.assisted')).body.items as { action: string; actor: string; target: string }[];
        expect(audit.filter((e) => e.actor === 'staff:admin').length).toBe(2 * (index + 1));

        // Closing the panel locks it on the server as well.
        await panel.getByRole('button', { name: '返回设置' }).click();
        await settings.getByRole('button', { name: '关闭' }).click();
        await page.locator('[data-screen=scanning]').waitFor();
      } finally {
        await page.close();
      }
    }, 90_000);
  }
});
