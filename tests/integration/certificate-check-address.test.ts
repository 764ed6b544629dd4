import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { adminClient, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';
import { decodeQrCodes, missingPrintTools } from '../support/zbar.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

const run = promisify(execFile);
const missing = missingPrintTools();
if (missing.length > 0) console.log(`certificate check address test SKIPPED: missing ${missing.join(', ')}`);

/** Mid-March 2026 in Beijing: the first quarter's records are in. */
const clock = { now: () => new Date('2026-03-15T02:00:00.000Z') };

/**
 * Issue 12 item 15: the certificate's check link (QR code and printed address) is a stable
 * address, the station's mDNS name or the center's public check address, never the PC's DHCP
 * address; the center's phone is printed for checking by call. The certificate is printed by
 * Chromium to an A4 PDF, rasterised at 200 dpi and its QR code read back with zbar.
 */
describe.skipIf(missing.length > 0)('the address a printed certificate is checked at', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let workDir: string;
  let number = '';

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vs-certificate-check-'));
    station = await startStation({ clock });
    api = await adminClient(station);
    await api.patch('/api/settings', { centerName: '幸福里志愿驿站' });
    const volunteer = await registerVolunteer(api, '冯媛', '13900000001');
    const activity = (await api.post('/api/activities', { title: '河道清理', place: '滨河路', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00' })).body;
    expect((await api.post('/api/attendance', { volunteerId: volunteer.id, activityId: activity.id, checkInAt: '2026-03-10T09:00:00+08:00', checkOutAt: '2026-03-10T11:00:00+08:00', reason: '补录' })).status).toBe(201);
    const issued = await api.post(`/api/volunteers/${volunteer.id}/certificates`, { from: '2026-01-01', to: '2026-03-31' });
    expect(issued.status).toBe(201);
    number = issued.body.number;
    // admin/dist is what the server serves: build it when its sources changed (a no-op after `npm test` built it).
    buildAppsForTest(['admin']);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** Prints the certificate as staff would (signed in, from the PC itself) and reads it back: the QR codes, and the check box's text as printed. */
  async function printCertificate(name: string): Promise<{ codes: string[]; text: string }> {
    const context = await browser.newContext();
    const [cookieName, value] = api.cookie.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value, url: station.url }]);
    const page = await context.newPage();
    const response = await page.goto(`${station.url}/print/certificates/${number}`);
    expect(response?.status()).toBe(200);
    // The check box beside the seal, as text (the PDF's text interleaves it with the seal's column).
    const text = (await page.locator('.certificate .verify').innerText()).replace(/\s+/g, '');
    const pdf = path.join(workDir, `${name}.pdf`);
    await writeFile(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    await context.close();
    await run('pdftoppm', ['-r', '200', '-png', pdf, path.join(workDir, name)]);
    const pages = (await readdir(workDir)).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort();
    const codes: string[] = [];
    for (const png of pages) codes.push(...(await decodeQrCodes(path.join(workDir, png))));
    return { codes, text };
  }

  it('refuses a check address that is not a plain http(s) address, and a phone that is not a number', async () => {
    for (const publicVerifyUrl of ['ftp://example.org', 'https://user@example.org', 'https://example.org/?next=x', 'https://example.org/../admin', 'zhiyuan.example.org']) {
      const response = await api.patch('/api/settings', { certificate: { publicVerifyUrl } });
      expect(response.status, publicVerifyUrl).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await api.patch('/api/settings', { certificate: { centerPhone: '请致电居委会' } })).status).toBe(400);
    expect((await api.get('/api/settings')).body.certificate).toMatchObject({ publicVerifyUrl: '', centerPhone: '' });
  });

  it('the admin’s 设置 → 证明核验 refuses a wrong phone in Chinese and saves a right one', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const [cookieName, value] = api.cookie.split('=') as [string, string];
    await context.addCookies([{ name: cookieName, value, url: station.url }]);
    const page = await context.newPage();
    await page.goto(`${station.url}/admin/settings`);
    const phone = page.getByLabel('中心电话');
    await phone.fill('请致电居委会');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('请填写电话号码，只用数字、空格和横线').waitFor();
    await page.getByLabel('公网核验地址').fill('https://example.org/?next=x');
    await phone.fill('010-12345678');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('请填写以 http:// 或 https:// 开头的网址').waitFor();
    await page.getByLabel('公网核验地址').fill('');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('设置已保存。').waitFor();
    await context.close();
    expect((await api.get('/api/settings')).body.certificate).toMatchObject({ publicVerifyUrl: '', centerPhone: '010-12345678' });
  });

  it('prints the mDNS name and the center phone when the center has no public address', { timeout: 90_000 }, async () => {
    const { codes, text } = await printCertificate('mdns');
    // The page was opened as http://127.0.0.1:<port>: the link keeps the port, not the address.
    const expected = `http://volunteer-station.local:${station.port}/verify/${number}`;
    expect(codes).toEqual([expected]);
    expect(text).toContain(expected);
    expect(text).toContain('在幸福里志愿驿站的无线网络内用手机扫描');
    expect(text).toContain('也可致电010-12345678核验');
    expect(text).not.toMatch(/https?:\/\/\d+\.\d+\.\d+\.\d+/);
  });

  it('prints the public check address once the center sets one, and the page says nothing of the Wi-Fi', { timeout: 90_000 }, async () => {
    const saved = await api.patch('/api/settings', { certificate: { publicVerifyUrl: 'https://zhiyuan.example.org/xingfuli/' } });
    expect(saved.status).toBe(200);
    expect(saved.body.certificate).toMatchObject({ publicVerifyUrl: 'https://zhiyuan.example.org/xingfuli', centerPhone: '010-12345678' });
    const { codes, text } = await printCertificate('public');
    const expected = `https://zhiyuan.example.org/xingfuli/verify/${number}`;
    expect(codes).toEqual([expected]);
    expect(text).toContain(expected);
    expect(text).not.toContain('无线网络');
    expect(text).toContain('也可致电010-12345678核验');
    // Clearing the setting goes back to the mDNS name.
    expect((await api.patch('/api/settings', { certificate: { publicVerifyUrl: '' } })).status).toBe(200);
    expect((await printCertificate('cleared')).codes).toEqual([`http://volunteer-station.local:${station.port}/verify/${number}`]);
  });
});
