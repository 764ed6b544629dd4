import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { addDays, dayIn, fromLocalInput, toLocalInput } from '../../admin/src/time.ts';
import { explainFailure, launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { layoutProblems } from '../support/layout.ts';
import { adminClient, ADMIN_PASSWORD, type ApiClient, startStation, type TestStation } from '../support/station.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const ZONE = 'Asia/Shanghai';

interface Occurrence {
  id: string;
  title: string;
  place?: string;
  startsAt: string;
  endsAt: string;
  seriesId?: string;
}

/** A Tuesday at least a week after today in the center's zone (the test may run at any hour of any day). */
function aTuesdayAhead(weeksLater: number): string {
  let day = addDays(dayIn(new Date(), ZONE), 8);
  while (new Date(`${day}T12:00:00Z`).getUTCDay() !== 2) day = addDays(day, 1);
  return addDays(day, 7 * weeksLater);
}

/**
 * Recurring activities in the admin (issue 12), in Debian's Chromium at the two tablet shapes
 * staff use: a weekly series (Tuesday and Thursday, 6 times) is made in the activity dialog; one
 * occurrence is changed alone (只改这一次), then a later one with all after it (改以后所有), and
 * the occurrence someone signed up for is kept and reported.
 */
describe.skipIf(skipWithoutChromium)('recurring activities in the admin (issue 12)', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;

  beforeAll(async () => {
    buildAppsForTest(['admin']);
    station = await startStation();
    api = await adminClient(station);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  const problems: string[] = [];
  const adminPage = async (viewport: { width: number; height: number }): Promise<Page> => {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    const page = await context.newPage();
    page.on('console', (message) => problems.push(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('dialog', (dialog) => {
      throw new Error(`unexpected browser ${dialog.type()}: ${dialog.message()}`);
    });
    const login = await page.context().request.post(`${station.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status()).toBe(200);
    return page;
  };

  const seriesNamed = async (title: string, from: string): Promise<Occurrence[]> => {
    const list = (await api.get(`/api/activities?from=${from}&to=${addDays(from, 40)}`)).body.items as Occurrence[];
    return list.filter((a) => a.seriesId && (a.title === title || a.title.startsWith(title)));
  };
  const local = (iso: string) => toLocalInput(iso, ZONE).replace('T', ' ');

  for (const [index, viewport] of [{ width: 1024, height: 768 }, { width: 800, height: 1280 }].entries()) {
    const size = `${viewport.width}x${viewport.height}`;
    test(`at ${size}: a weekly series is made in the activity dialog, one occurrence changed alone, a later one with all after it`, async () => {
      const page = await adminPage(viewport);
      const tuesday = aTuesdayAhead(index * 4);
      const title = `周二周四巡逻 ${index + 1}`;

      // 1. The series: Tuesday and Thursday, 09:00–11:00, 6 times.
      await page.goto(`${station.url}/admin/activities`);
      await page.getByRole('button', { name: '新建活动' }).first().click();
      const dialog = page.getByRole('dialog', { name: '新建活动' });
      await dialog.locator('input[name=title]').fill(title);
      await dialog.locator('input[name=place]').fill('社区东门');
      await dialog.locator('input[name=startsAt]').fill(`${tuesday}T09:00`);
      await dialog.locator('input[name=endsAt]').fill(`${tuesday}T11:00`);
      await dialog.locator('select[name=repeatKind]').selectOption('weekly');
      const weekdays = dialog.getByRole('group', { name: '星期' });
      // The start's weekday is chosen for the staff member; Thursday is added.
      await expect.poll(() => weekdays.getByLabel('二').isChecked()).toBe(true);
      await weekdays.getByLabel('四').check();
      await dialog.locator('input[name=repeatCount]').fill('6');
      await dialog.locator('.repeat__preview').getByText('将创建 6 次活动').waitFor({ timeout: 15_000 });
      expect(await layoutProblems(page)).toEqual([]);
      await dialog.locator('.repeat').scrollIntoViewIfNeeded();
      await saveDocsScreenshot(page, `admin-recurring-form-${size}`);
      // Over the limits, the preview says why before anything is saved.
      await dialog.locator('input[name=repeatCount]').fill('367');
      await dialog.getByRole('button', { name: '保存' }).click();
      await dialog.getByText('次数为 1 到 366').waitFor();
      await dialog.locator('input[name=repeatCount]').fill('6');
      await dialog.getByRole('button', { name: '保存' }).click();
      await explainFailure(() => dialog.waitFor({ state: 'detached', timeout: 15_000 }), async () => `dialog: ${await dialog.innerText().catch(() => '')}\n${problems.join('\n')}\n${JSON.stringify((await api.get('/api/activities')).body.items.length)}`);

      const made = await seriesNamed(title, tuesday);
      expect(made.map((a) => local(a.startsAt))).toEqual([0, 2, 7, 9, 14, 16].map((d) => `${addDays(tuesday, d)} 09:00`));
      const seriesId = made[0]!.seriesId!;
      expect(new Set(made.map((a) => a.seriesId))).toEqual(new Set([seriesId]));

      // The week view jumped to the series' first week and marks both occurrences as repeating.
      const items = page.locator('.week__item', { hasText: title });
      await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(2);
      expect(await items.locator('.badge--series').count()).toBe(2);
      expect(await layoutProblems(page)).toEqual([]);
      await saveDocsScreenshot(page, `admin-recurring-week-${size}`);

      // Someone signs up for the fourth: "all later" must leave it as it is and say so.
      const volunteer = (await api.post('/api/volunteers', { name: `报名人${index}`, phone: `1390000000${index}` })).body;
      expect((await api.post(`/api/activities/${made[3]!.id}/signups`, { volunteerId: volunteer.id })).status).toBe(201);

      // 2. 只改这一次: the second occurrence moves to 二楼活动室, alone.
      await page.goto(`${station.url}/admin/activities/${made[1]!.id}`);
      await page.getByRole('button', { name: '编辑' }).first().click();
      const edit = page.getByRole('dialog', { name: '编辑活动' });
      expect(await edit.getByLabel('只改这一次').isChecked()).toBe(true);
      await edit.locator('input[name=place]').fill('二楼活动室');
      await edit.getByRole('button', { name: '保存' }).click();
      await edit.waitFor({ state: 'detached', timeout: 15_000 });
      const afterOne = await seriesNamed(title, tuesday);
      expect(afterOne.map((a) => a.place)).toEqual(['社区东门', '二楼活动室', '社区东门', '社区东门', '社区东门', '社区东门']);

      // 3. 改以后所有 from the third: new title, 14:00–16:00.
      await page.goto(`${station.url}/admin/activities/${made[2]!.id}`);
      await page.getByRole('button', { name: '编辑' }).first().click();
      const later = page.getByRole('dialog', { name: '编辑活动' });
      await later.getByLabel('改以后所有').check();
      await later.locator('input[name=title]').fill(`${title}（下午）`);
      await later.locator('input[name=startsAt]').fill(`${addDays(tuesday, 7)}T14:00`);
      await later.locator('input[name=endsAt]').fill(`${addDays(tuesday, 7)}T16:00`);
      expect(await layoutProblems(page)).toEqual([]);
      await saveDocsScreenshot(page, `admin-recurring-edit-scope-${size}`);
      await later.getByRole('button', { name: '保存' }).click();
      const result = later.getByTestId('series-result');
      await result.getByText('已修改 3 次。').waitFor({ timeout: 15_000 });
      await result.getByText('1 人已报名').waitFor();
      expect(await layoutProblems(page)).toEqual([]);
      await saveDocsScreenshot(page, `admin-recurring-edit-result-${size}`);
      await result.getByRole('button', { name: '知道了' }).click();
      await later.waitFor({ state: 'detached' });

      const afterAll = await seriesNamed(title, tuesday);
      expect(afterAll.map((a) => `${local(a.startsAt)}–${local(a.endsAt).slice(11)} ${a.title} ${a.place}`)).toEqual([
        `${tuesday} 09:00–11:00 ${title} 社区东门`,
        `${addDays(tuesday, 2)} 09:00–11:00 ${title} 二楼活动室`,
        `${addDays(tuesday, 7)} 14:00–16:00 ${title}（下午） 社区东门`,
        `${addDays(tuesday, 9)} 09:00–11:00 ${title} 社区东门`, // signed up: kept
        `${addDays(tuesday, 14)} 14:00–16:00 ${title}（下午） 社区东门`,
        `${addDays(tuesday, 16)} 14:00–16:00 ${title}（下午） 社区东门`,
      ]);
      expect((await api.get(`/api/activities/${made[3]!.id}/signups`)).body.confirmed).toBe(1);

      // The week of the change shows the new afternoon time next to the kept morning one.
      await page.goto(`${station.url}/admin/activities`);
      await page.getByRole('button', { name: '下一周' }).waitFor();
      const weeksAhead = Math.round((Date.parse(`${addDays(tuesday, 7)}T12:00:00Z`) - Date.parse(`${dayIn(new Date(), ZONE)}T12:00:00Z`)) / (7 * 86_400_000));
      for (let i = 0; i < weeksAhead + 1; i += 1) {
        if ((await page.locator('.week__item', { hasText: `${title}（下午）` }).count()) > 0) break;
        await page.getByRole('button', { name: '下一周' }).click();
      }
      await page.locator('.week__item', { hasText: `${title}（下午）` }).first().waitFor({ timeout: 15_000 });
      expect(await page.locator('.week__item', { hasText: title }).locator('.badge--series').count()).toBe(2);
      await saveDocsScreenshot(page, `admin-recurring-week-after-edit-${size}`);
      expect(Date.parse(fromLocalInput(`${addDays(tuesday, 7)}T14:00`, ZONE)!)).toBe(Date.parse(afterAll[2]!.startsAt));
      await page.context().close();
    }, 180_000);
  }
});
