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

    // Encryption: the dialog says what is wrong with the passphrase before the server is asked.
    await places.getByRole('button', { name: '开启…' }).click();
    const encryption = page.getByRole('dialog', { name: '用口令加密备份' });
    const saveEncryption = encryption.getByRole('button', { name: '加密新备份' });
    await encryption.locator('input[name=passphrase]').fill('短口令');
    await encryption.getByText(/^至少 \d+ 个字符。$/).waitFor();
    await encryption.locator('input[name=passphrase]').fill('社区驿站的备份口令记在柜子里');
    await encryption.locator('input[name=passphraseAgain]').fill('社区驿站的备份口令');
    await encryption.getByText('两次输入的口令不一致。').waitFor();
    expect(await saveEncryption.isDisabled()).toBe(true);
    await encryption.locator('input[name=passphraseAgain]').fill('社区驿站的备份口令记在柜子里');
    await saveEncryption.click();
    await encryption.waitFor({ state: 'detached' });
    await places.getByText(/^已开启/).waitFor();
    expect((await api.get('/api/backups')).body.encryption.enabled).toBe(true);

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

  test('the audit log is in the admin’s language: names for ids and usernames, setting labels for keys, devices by name', async () => {
    const staff = await api.post('/api/staff', { username: 'liuayi', displayName: '刘阿姨', role: 'counter', password: 'counter-pass-1' });
    expect(staff.status).toBe(201);
    expect((await api.patch(`/api/staff/${staff.body.id}`, { pin: '4821' })).status).toBe(200);
    expect((await api.patch('/api/settings', { repeatWindowSeconds: 10, hours: { graceMinutes: 20 } })).status).toBe(200);
    expect((await api.post('/api/goods', { name: '毛巾', points: 3, stock: 4 })).status).toBe(201);
    const device = await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' });
    expect(device.status).toBe(201);
    const volunteer = await api.post('/api/volunteers', { name: '王秀英', phone: '13800138077' });
    expect((await api.post(`/api/volunteers/${volunteer.body.id}/points`, { delta: 5, reason: '补发积分' })).status).toBe(201);

    const page = await adminPage();
    await page.goto(`${station.url}/admin/audit`);
    const table = page.locator('main table');
    const row = (text: string) => table.locator('tbody tr', { hasText: text }).first();
    await row('刘阿姨 修改了 PIN').waitFor();
    await row('修改了 重复扫码间隔（秒）、宽限时间（分钟）').waitFor();
    await row('毛巾，3 积分，库存 4').waitFor();
    await row('大厅签到机（签到机）').waitFor();
    await row('王秀英 积分 +5，原因：补发积分').waitFor();
    const text = (await table.textContent()) ?? '';
    for (const raw of ['liuayi', 'PIN changed', 'pts', 'repeatWindowSeconds', 'graceMinutes', 'checkin', 'device:', 'staff:', volunteer.body.id, device.body.id]) expect(text).not.toContain(raw);
    // The staff member who did it, by name: the admin account's display name, not "admin".
    await expect(row('刘阿姨 修改了 PIN').locator('td').nth(1).textContent()).resolves.toBe('管理员');
    // Searching by the name staff see finds the entries about her.
    await page.getByRole('searchbox').fill('刘阿姨');
    await table.locator('tbody tr', { hasText: '修改了 重复扫码间隔' }).waitFor({ state: 'detached' });
    await row('刘阿姨 修改了 PIN').waitFor();
    await page.getByRole('searchbox').fill('');
    await row('毛巾，3 积分，库存 4').waitFor();
    // A range of days: nothing was changed on a day in the last century; today's entries are back when it is cleared.
    await page.locator('input[name=from]').fill('1999-01-01');
    await page.locator('input[name=to]').fill('1999-01-02');
    await row('毛巾，3 积分，库存 4').waitFor({ state: 'detached' });
    await page.locator('main', { hasText: '没有符合条件的记录。' }).waitFor();
    await page.locator('input[name=to]').fill('');
    await row('毛巾，3 积分，库存 4').waitFor();
    await page.locator('input[name=from]').fill('');
    // Fewer entries than a page: no way to older ones is offered.
    expect(await page.getByRole('button', { name: '更早的记录' }).count()).toBe(0);
    expect(await layoutProblems(page)).toEqual([]);
    await saveDocsScreenshot(page, 'tablet-admin-audit-1024x768');
  }, 120_000);

  test('/setup/ at 800×1280 shows the center’s language with a switch, not every sentence twice; its title stays whole', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 1280 } });
    const page = await context.newPage();
    await page.goto(`${station.url}/setup/`);
    const intro = page.locator('header .intro');
    await intro.locator('[lang="zh-CN"]').waitFor();
    expect(await intro.locator('.en').isVisible()).toBe(false);
    expect(await page.locator('body').innerText()).not.toContain('Tablet setup guide');
    expect(await layoutProblems(page)).toEqual([]);
    await saveDocsScreenshot(page, 'tablet-setup-800x1280');
    await page.getByRole('button', { name: 'English' }).click();
    await intro.locator('.en').waitFor();
    expect(await intro.locator('[lang="zh-CN"]').isVisible()).toBe(false);
    expect(await page.locator('h1').innerText()).toContain('Tablet setup guide');
    expect(await page.locator('h1').innerText()).not.toContain('平板设置向导');
    // The choice stays on this tablet; the switch goes back.
    await page.reload();
    await intro.locator('.en').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await intro.locator('[lang="zh-CN"]').waitFor();
    expect(await intro.locator('.en').isVisible()).toBe(false);
    await context.close();
  }, 120_000);
});
