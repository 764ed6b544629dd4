import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dayKey } from '../../server/src/domain/time-zone.ts';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * A training's sign-in opened and closed by hand (issue 15), in Chromium: the admin's 开始签到
 * makes the kiosk offer 培训签到 at once, the scan signs in, and 结束签到 stops the kiosk taking
 * sign-ins while it stays on the training. Needs the built apps (node scripts/build-apps.mjs).
 */
const viewport = { width: 1024, height: 768 };

describe.skipIf(skipWithoutChromium)('a training opened and closed at the kiosk', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  test('开始签到 in the admin offers the training at the kiosk; 结束签到 stops the sign-ins there', async () => {
    const zone = (await api.get('/api/settings')).body.timeZone;
    const training = (await api.post('/api/trainings', { title: '心肺复苏培训', category: '急救', date: dayKey(new Date(), zone), hours: 2 })).body;
    const first = await registerVolunteer(api, '刘秀英', '13800138201');
    const second = await registerVolunteer(api, '王建国', '13800138202');
    const device = await api.post('/api/devices', { name: '培训室签到机', mode: 'checkin' });

    const kiosk = await browser.newPage({ viewport });
    await kiosk.goto(`${station.url}/kiosk/?pair=${device.body.pairingCode}`);
    await kiosk.locator('[data-screen=scanning]').waitFor();
    await kiosk.locator('[data-testid=connection][data-status=online]').waitFor();
    expect(await kiosk.locator('[data-action=open-training]').count()).toBe(0);

    const admin = await browser.newPage({ viewport });
    await admin.goto(`${station.url}/admin/`);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.getByRole('button', { name: '登录' }).click();
    await admin.locator('nav').getByRole('link', { name: '培训' }).waitFor();
    await admin.goto(`${station.url}/admin/trainings/${training.id}`);
    await admin.locator('[data-testid=training-kiosk-hint][data-phase=planned]').waitFor();
    await admin.getByRole('button', { name: '开始签到' }).click();
    await admin.locator('[data-testid=training-kiosk-hint][data-phase=open]').waitFor();
    await saveDocsScreenshot(admin, 'admin-training-open');

    // Told at once (trainings:changed), not at the kiosk's next refresh a minute later.
    await kiosk.locator('[data-action=open-training]').waitFor({ timeout: 20_000 });
    await kiosk.locator('[data-action=open-training]').click();
    await kiosk.locator('[data-screen=training]').waitFor();
    await typeLikeScanner(kiosk, first.cardCode);
    await kiosk.locator('[data-testid=training-line][data-kind=ok]').waitFor({ timeout: 30_000 });

    await admin.getByRole('button', { name: '结束签到' }).click();
    await admin.locator('[data-testid=training-kiosk-hint][data-phase=closed]').waitFor();
    const closedLine = kiosk.locator('[data-testid=training-line][data-kind=failed]');
    await closedLine.waitFor({ timeout: 20_000 });
    expect(await closedLine.textContent()).toContain('已结束签到');
    // Still on the training: the next card is refused by the server, not taken as an activity sign-in.
    await typeLikeScanner(kiosk, second.cardCode);
    await kiosk.getByText('这个培训现在不能签到').waitFor({ timeout: 30_000 });
    await saveDocsScreenshot(kiosk, 'kiosk-training-closed');
    expect((await api.get(`/api/trainings/${training.id}`)).body.attendeeIds).toEqual([first.id]);
    await kiosk.getByRole('button', { name: '结束培训签到' }).click();
    await kiosk.locator('[data-screen=scanning]').waitFor();
    expect(await kiosk.locator('[data-action=open-training]').count()).toBe(0);
    await kiosk.close();
    await admin.close();
  });
});
