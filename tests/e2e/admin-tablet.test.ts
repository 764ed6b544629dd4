import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { layoutProblems } from '../support/layout.ts';
import { adminClient, ADMIN_PASSWORD, type ApiClient, startStation, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

/**
 * Admin screens of issue 12 on the common budget tablet (1024×768): the restore confirmation and
 * the USB copy folder.
 */
describe.skipIf(skipWithoutChromium)('admin screens at 1024×768 (issue 12)', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let usb: string;

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    usb = await fs.mkdtemp(path.join(os.tmpdir(), 'vs-usb-e2e-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
    await fs.rm(usb, { recursive: true, force: true });
  });

  const adminPage = async (viewport = { width: 1024, height: 768 }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const login = await page.context().request.post(`${station.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.status()).toBe(200);
    return page;
  };

  test('backups: the USB folder is set in the admin and checked by the server; a restore is confirmed by typing 恢复 or the date in a dialog, not the file name in a prompt', async () => {
    const backup = (await api.post('/api/backups')).body as { name: string; day: string };
    const page = await adminPage();
    // A browser prompt would block the page; the test fails if one appears.
    page.on('dialog', (dialog) => {
      throw new Error(`unexpected browser ${dialog.type()}: ${dialog.message()}`);
    });
    await page.goto(`${station.url}/admin/backups`);
    const places = page.locator('.backup-places');
    await places.getByText('未设置').waitFor();
    await places.getByRole('button', { name: '设置' }).click();
    const usbDialog = page.getByRole('dialog', { name: '复制到 U 盘' });
    await usbDialog.locator('input[name=folder]').fill(path.join(usb, 'not-plugged-in'));
    await usbDialog.getByRole('button', { name: '保存' }).click();
    await usbDialog.getByRole('alert').filter({ hasText: '找不到这个文件夹' }).waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    await saveDocsScreenshot(page, 'tablet-admin-backups-usb-refused-1024x768');
    await usbDialog.locator('input[name=folder]').fill(usb);
    await usbDialog.getByRole('button', { name: '保存' }).click();
    await usbDialog.waitFor({ state: 'detached' });
    await places.getByText(usb).waitFor();
    expect((await api.get('/api/backups')).body.copyDir).toBe(usb);

    await page.locator('tbody tr', { hasText: backup.name }).getByRole('button', { name: '恢复' }).click();
    const confirm = page.getByRole('dialog', { name: '恢复备份' });
    const restoreButton = confirm.getByRole('button', { name: '恢复这个备份' });
    await confirm.getByText(backup.day).first().waitFor();
    expect(await restoreButton.isDisabled()).toBe(true);
    await confirm.locator('input[name=confirm]').fill('好的');
    expect(await restoreButton.isDisabled()).toBe(true);
    await confirm.locator('input[name=confirm]').fill(backup.day);
    expect(await restoreButton.isEnabled()).toBe(true);
    await confirm.locator('input[name=confirm]').fill('恢复');
    expect(await layoutProblems(page)).toEqual([]);
    await saveDocsScreenshot(page, 'tablet-admin-backups-restore-confirm-1024x768');
    const restarting = new Promise<void>((resolve) => station.station.ctx.notifications.once('station:restart-requested', () => resolve()));
    const sent = page.waitForRequest((request) => request.url().endsWith(`/api/backups/${backup.name}/restore`));
    await restoreButton.click();
    expect((await sent).postDataJSON()).toEqual({ confirm: backup.name });
    await restarting;
    await page.getByRole('status').filter({ hasText: '服务器正在重启' }).waitFor();
  }, 120_000);
});
