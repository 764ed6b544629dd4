import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, saveScreenshot } from '../support/browser.ts';
import { adminClient, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';
import { decodeQrCodes, missingPrintTools } from '../support/zbar.ts';
import { buildAppsForTest } from '../support/build-apps.ts';

const run = promisify(execFile);
const missing = missingPrintTools();
if (missing.length > 0) console.log(`card print test SKIPPED: missing ${missing.join(', ')}`);

const A4_CARDS = 10;

/**
 * The admin's card print page, printed by Chromium to an A4 PDF, rasterised at 200 dpi as a
 * printer would, and read back with zbar: every card must decode to exactly its card code.
 */
describe.skipIf(missing.length > 0)('card print page', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let workDir: string;
  const volunteers: { id: string; cardNo: string }[] = [];

  beforeAll(async () => {
    // admin/dist is what the server serves: build it when its sources changed (a no-op after `npm test` built it).
    buildAppsForTest(['admin']);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'vs-card-print-'));
    station = await startStation();
    api = await adminClient(station);
    const team = (await api.post('/api/teams', { name: '环湖护卫队' })).body;
    // Twelve cards: a full sheet and a part of the next; names of every length a register holds.
    const names = ['王芳', '欧阳建国', '李娜', '张伟', '刘洋', '陈静', '杨秀英', '赵磊', '黄丽', '周杰', '吴敏', 'Maria Chen'];
    for (const [i, name] of names.entries()) {
      const v = await registerVolunteer(api, name, `1370000${String(i).padStart(4, '0')}`);
      if (i % 3 === 0) await api.patch(`/api/volunteers/${v.id}`, { teamIds: [team.id] });
      volunteers.push(v);
    }
    // A reissued card prints its new code; the old one is void.
    await api.post(`/api/volunteers/${volunteers[4]!.id}/card`);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** A browser tab signed in with the test's admin session, as staff who just logged in. */
  const signedInPage = async () => {
    const context = await browser.newContext();
    const [name, value] = api.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: station.url }]);
    return context.newPage();
  };

  // Chromium, pdftoppm and zbar in turn: seconds alone, longer next to other test files on 2 cores.
  it('prints A4 sheets of ten cards whose QR codes decode with zbar to exactly the card codes', { timeout: 90_000 }, async () => {
    const page = await signedInPage();
    await page.goto(`${station.url}/admin/print?ids=${volunteers.map((v) => v.id).join(',')}`);
    await page.locator('.print-page[data-ready=true]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.card').count()).toBe(volunteers.length);
    await expect(page.locator('.card').first().textContent()).resolves.toContain('王芳');
    await saveScreenshot(page, 'admin-card-print');

    const pdf = path.join(workDir, 'cards.pdf');
    await writeFile(pdf, await page.pdf({ format: 'A4', preferCSSPageSize: true }));
    await page.context().close();
    await run('pdftoppm', ['-r', '200', '-png', pdf, path.join(workDir, 'sheet')]);
    const sheets = (await readdir(workDir)).filter((f) => f.startsWith('sheet') && f.endsWith('.png')).sort();
    expect(sheets).toHaveLength(Math.ceil(volunteers.length / A4_CARDS));

    const decoded: string[] = [];
    for (const sheet of sheets) decoded.push(...(await decodeQrCodes(path.join(workDir, sheet))));
    const expected = await Promise.all(volunteers.map(async (v) => (await api.get(`/api/volunteers/${v.id}`)).body.cardCode as string));
    expect(expected.find((code) => code.startsWith(`VS1.${volunteers[4]!.cardNo}.`))).toMatch(/^VS1\.\d+\.2\./);
    expect(decoded.sort()).toEqual(expected.sort());
  });

  it('“print all” takes the active register and leaves out suspended volunteers', { timeout: 60_000 }, async () => {
    await api.patch(`/api/volunteers/${volunteers[0]!.id}`, { status: 'suspended' });
    const page = await signedInPage();
    await page.goto(`${station.url}/admin/print?all=1`);
    await page.locator('.print-page[data-ready=true]').waitFor({ timeout: 20_000 });
    const printed = await page.locator('.card').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.cardNo));
    expect(printed.sort()).toEqual(volunteers.slice(1).map((v) => v.cardNo).sort());
    await page.context().close();
  });
});
