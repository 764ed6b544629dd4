import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dayKey } from '../../server/src/domain/time-zone.ts';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { adminClient, ADMIN_PASSWORD, openActivityNow, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * Issue 15's screens in Chromium at 1024×768: the kiosk's 报名活动 after a scan and 培训签到 by
 * scan; the admin's trainings, the insurer's list import (preview with an error per row, then
 * commit), the expiring-soon list, gate passes, the volunteer's record with the anonymize
 * confirm, and the register form's birthday rule. Needs the built apps (node scripts/build-apps.mjs).
 */
const viewport = { width: 1024, height: 768 };
const hour = 3600_000;

describe.skipIf(skipWithoutChromium)('issue 15 screens in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let zone: string;
  const today = () => dayKey(new Date(), zone);
  const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    zone = (await api.get('/api/settings')).body.timeZone;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  async function adminPage(): Promise<Page> {
    const page = await browser.newPage({ viewport });
    await page.goto(`${station.url}/admin/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('nav').getByRole('link', { name: '培训' }).waitFor();
    return page;
  }

  test('at the kiosk a volunteer signs up for an upcoming activity after a scan, then signs in to today’s training by scan', async () => {
    await openActivityNow(api, '社区清洁');
    const start = Date.now() + 50 * hour;
    const upcoming = await api.post('/api/activities', { title: '敬老院包饺子', place: '阳光敬老院', capacity: 10, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * hour).toISOString() });
    const training = await api.post('/api/trainings', { title: '心肺复苏培训', category: '急救', date: today(), hours: 2 });
    // Staff open it (开始签到); training-kiosk.test.ts clicks the admin's buttons.
    await api.post(`/api/trainings/${training.body.id}/open`);
    const volunteer = await registerVolunteer(api, '刘秀英', '13800138111');
    const device = await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' });
    const kiosk = await browser.newPage({ viewport });
    await kiosk.goto(`${station.url}/kiosk/?pair=${device.body.pairingCode}`);
    await kiosk.locator('[data-screen=scanning]').waitFor();
    await kiosk.locator('[data-testid=connection][data-status=online]').waitFor();

    await typeLikeScanner(kiosk, volunteer.cardCode);
    await kiosk.locator('[data-screen=result][data-kind=success]').waitFor();
    await kiosk.locator('[data-action=sign-up]').click();
    const card = kiosk.locator('[data-screen=signups] article[data-activity="敬老院包饺子"]');
    await card.waitFor();
    expect(await card.textContent()).toContain('还剩 10 个名额');
    await card.locator('[data-action=sign-up]').click();
    await card.getByTestId('signup-done').waitFor();
    expect(await card.textContent()).toContain('报名成功');
    await saveDocsScreenshot(kiosk, 'kiosk-signup-after-scan');
    const signups = await api.get(`/api/activities/${upcoming.body.id}/signups`);
    expect(signups.body.items.map((s: { volunteerId: string; status: string }) => [s.volunteerId, s.status])).toEqual([[volunteer.id, 'confirmed']]);

    await kiosk.getByRole('button', { name: '完成' }).click();
    await kiosk.locator('[data-action=open-training]').click();
    await kiosk.locator('[data-screen=training]').waitFor();
    await typeLikeScanner(kiosk, volunteer.cardCode);
    const line = kiosk.locator('[data-testid=training-line][data-kind=ok]');
    await line.waitFor({ timeout: 30_000 });
    expect(await kiosk.getByTestId('training-count').textContent()).toContain('已签到 1 人');
    await saveDocsScreenshot(kiosk, 'kiosk-training-signin');
    const detail = await api.get(`/api/trainings/${training.body.id}`);
    expect(detail.body.attendees.map((a: { volunteerId: string }) => a.volunteerId)).toEqual([volunteer.id]);
    // Training hours stay apart: the sign-in to the activity is still open and no training hours became service hours.
    expect((await api.get(`/api/volunteers/${volunteer.id}`)).body.trainingHours).toBe(2);
    await kiosk.close();
  });

  test('trainings: attendance added from the paper list, and who holds which category with its expiry', async () => {
    const old = await api.post('/api/trainings', { title: '急救复训（旧）', category: '急救', date: shiftDay(today(), -800), hours: 3 });
    const expired = await registerVolunteer(api, '陈过期', '13800138112');
    await api.post(`/api/trainings/${old.body.id}/attendees`, { volunteerIds: [expired.id] });
    const fresh = await api.post('/api/trainings', { title: '消防安全培训', category: '消防', date: today(), hours: 1.5, trainer: '消防站 李队长' });
    await registerVolunteer(api, '王补录', '13800138113');

    const page = await adminPage();
    await page.goto(`${station.url}/admin/trainings/${fresh.body.id}`);
    await page.getByTestId('training-kiosk-hint').waitFor();
    await page.getByLabel('按名单补录签到').fill('王补录');
    await page.locator('.pick-list__item', { hasText: '王补录' }).click();
    await page.getByText('已加入：王补录').waitFor();
    await page.locator('table tbody tr', { hasText: '王补录' }).waitFor();

    await page.goto(`${station.url}/admin/trainings`);
    const holders = page.locator('section[aria-label=持证情况]');
    await holders.locator('tbody tr', { hasText: '陈过期' }).waitFor();
    expect(await holders.locator('tbody tr', { hasText: '陈过期' }).textContent()).toContain('已过期');
    expect(await holders.locator('tbody tr', { hasText: '王补录' }).textContent()).toContain('有效');
    await saveDocsScreenshot(page, 'admin-trainings');
    await page.close();
  });

  test('the insurer’s XLSX list: preview names each bad row, the commit records a group policy, which shows as expiring soon', async () => {
    const a = await registerVolunteer(api, '保险张', '13800138121');
    await registerVolunteer(api, '保险李', '13800138122');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('被保险人清单');
    sheet.addRow(['志愿者团体意外险 被保险人清单']);
    sheet.addRow(['序号', '被保险人姓名', '手机号', '保单号', '起保日期', '终保日期']);
    sheet.addRow([1, '保险张', '13800138121', 'PA-2026-88', shiftDay(today(), -30), shiftDay(today(), 12)]);
    sheet.addRow([2, '保险李', '13800138122', 'PA-2026-88', shiftDay(today(), -30), shiftDay(today(), 12)]);
    sheet.addRow([3, '不在名册', '13999990000', 'PA-2026-88', shiftDay(today(), -30), shiftDay(today(), 12)]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());

    const page = await adminPage();
    await page.goto(`${station.url}/admin/insurance/import`);
    await page.locator('input[type=file]').setInputFiles({ name: '被保险人清单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
    await page.locator('input[name=insurer]').fill('平安保险');
    await page.getByRole('button', { name: '预览' }).click();
    const preview = page.getByTestId('insurance-import-preview');
    await preview.waitFor();
    const text = await preview.textContent();
    expect(text).toContain('共 3 行：2 行可以导入，1 行有问题');
    expect(text).toContain('名册中找不到这个人');
    expect((await api.get(`/api/volunteers/${a.id}/insurance`)).body.insuredToday).toBe(false);
    await saveDocsScreenshot(page, 'admin-insurance-import-preview');
    await page.getByRole('button', { name: '确认导入 2 人' }).click();
    await page.getByTestId('insurance-import-done').waitFor();
    expect((await api.get(`/api/volunteers/${a.id}/insurance`)).body.insuredToday).toBe(true);

    await page.goto(`${station.url}/admin/insurance`);
    const expiring = page.getByTestId('insurance-expiring');
    await expiring.locator('tbody tr', { hasText: 'PA-2026-88' }).waitFor();
    expect(await expiring.locator('tbody tr', { hasText: 'PA-2026-88' }).textContent()).toContain('还剩 12 天');
    await saveDocsScreenshot(page, 'admin-insurance');
    await page.close();
  });

  test('gate passes on the activity page, and the volunteer’s record with no-shows, trainings, consents and a strong anonymize confirm', async () => {
    const activity = await api.post('/api/activities', { title: '河道巡查', requiresInsurance: true, requiredTrainings: ['急救'], startsAt: new Date(Date.now() + hour).toISOString(), endsAt: new Date(Date.now() + 3 * hour).toISOString() });
    const v = await registerVolunteer(api, '赵放行', '13800138131');
    const page = await adminPage();
    await page.goto(`${station.url}/admin/activities/${activity.body.id}`);
    const panel = page.locator('section.gate-pass-panel');
    await panel.getByTestId('gate-conditions').waitFor();
    expect(await panel.getByTestId('gate-conditions').textContent()).toContain('保险、培训（急救）');
    await panel.getByRole('button', { name: '放行' }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('input[type=search]').fill('赵放行');
    await dialog.locator('.pick-list__item', { hasText: '赵放行' }).click();
    await dialog.locator('select[name=code]').selectOption('TRAINING_REQUIRED');
    await dialog.locator('input[name=reason]').fill('持有红十字会急救证，已核对原件');
    await dialog.locator('button[type=submit]').click();
    await panel.locator('tbody tr', { hasText: '赵放行' }).waitFor();
    const passes = await api.get(`/api/activities/${activity.body.id}/gate-passes`);
    expect(passes.body.items).toEqual([expect.objectContaining({ volunteerId: v.id, code: 'TRAINING_REQUIRED', reason: '持有红十字会急救证，已核对原件' })]);
    await panel.scrollIntoViewIfNeeded();
    await saveDocsScreenshot(page, 'admin-gate-passes');

    await page.goto(`${station.url}/admin/volunteers/${v.id}`);
    await page.getByTestId('volunteer-record-panel').waitFor();
    await page.getByTestId('volunteer-privacy-panel').getByRole('button', { name: '注销并匿名化' }).click();
    const confirm = page.locator('dialog[open]');
    await confirm.locator('input[name=reason]').fill('本人申请退出');
    const go = confirm.getByRole('button', { name: '永久匿名化' });
    expect(await go.isDisabled()).toBe(true);
    await confirm.locator('input[name=confirmName]').fill('赵放');
    expect(await go.isDisabled()).toBe(true);
    await confirm.locator('input[name=confirmName]').fill('赵放行');
    expect(await go.isDisabled()).toBe(false);
    await saveDocsScreenshot(page, 'admin-volunteer-anonymize-confirm');
    await go.click();
    await page.getByText(/已于 .* 匿名化/).waitFor();
    expect((await api.get(`/api/volunteers/${v.id}`)).body.name).toMatch(/^已注销志愿者/);
    await page.close();
  });

  test('the register form asks for a guardian by the birthday, not the birth year', async () => {
    const page = await adminPage();
    await page.goto(`${station.url}/admin/volunteers`);
    await page.getByRole('button', { name: '登记志愿者' }).click();
    const dialog = page.locator('dialog[open]');
    const [y, m, d] = today().split('-');
    const fourteenTomorrow = shiftDay(`${Number(y) - 14}-${m}-${d}`, 1);
    await dialog.locator('input[name=birthDate]').fill(fourteenTomorrow);
    await dialog.getByTestId('guardian-fields').waitFor();
    expect(await dialog.textContent()).toContain('未满 14 周岁（13 岁）');
    await saveDocsScreenshot(page, 'admin-volunteer-form-guardian');
    await dialog.locator('input[name=birthDate]').fill(`${Number(y) - 14}-${m}-${d}`);
    await dialog.getByTestId('guardian-fields').waitFor({ state: 'detached' });
    await page.close();
  });
});
