import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, noChromiumMessage, skipWithoutChromium } from '../support/browser.ts';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { adminClient, type ApiClient, connectSocket, emitWithAck, pairDevice, startStation, type TestStation, connectUnlockedCounter } from '../support/station.ts';

const run = promisify(execFile);
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/print');

function installed(tool: string): boolean {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const skip = skipWithoutChromium || !installed('pdftoppm');
if (skip) console.log(skipWithoutChromium ? noChromiumMessage : 'pdftoppm not found (install poppler-utils): print PDF tests skipped');

/** A December day of 2026 in Beijing: the year's records are in, the summary can be printed. */
const clock = { now: () => new Date('2026-12-20T02:00:00.000Z') };

/** A year of a small center: four teams, sixteen volunteers, two or three activities a month. */
async function seedYear(api: ApiClient): Promise<{ student: string }> {
  await api.patch('/api/settings', { centerName: '幸福里社区志愿服务站', stars: { thresholds: [5, 10, 20, 40, 80] } });
  const teams: string[] = [];
  for (const name of ['河道守护队', '助老服务队', '平安巡逻队', '文明宣传队']) teams.push((await api.post('/api/teams', { name })).body.id);
  const names = ['陈思远', '林晓雯', '王建国', '李秀英', '张伟', '刘芳', '赵敏', '孙浩然', '周静', '吴磊', '郑欣怡', '冯子涵', '何志强', '高雅琴', '罗明', '梁诗涵'];
  const volunteers: string[] = [];
  for (const [i, name] of names.entries()) {
    const body = {
      name,
      phone: `139${String(10000000 + i).padStart(8, '0')}`,
      teamIds: i === 0 ? [teams[0]] : [teams[i % 4]!],
      joinedOn: i < 10 ? '2025-06-01' : `2026-${String(i - 8).padStart(2, '0')}-15`,
      ...(i === 0 ? { idNumber: '11010519491231002X' } : {}),
    };
    const response = await api.post('/api/volunteers', body);
    expect(response.status).toBe(201);
    volunteers.push(response.body.id);
  }
  const themes = ['环境保护', '助老助残', '平安建设', '文明宣传'];
  const places = ['滨河路沿线', '幸福敬老院', '社区各楼栋', '社区文化广场'];
  for (let month = 1; month <= 12; month++) {
    for (let k = 0; k < (month % 3 === 0 ? 3 : 2); k++) {
      const day = String(3 + k * 9).padStart(2, '0');
      const mm = String(month).padStart(2, '0');
      const kind = (month + k) % 4;
      const activity = (
        await api.post('/api/activities', {
          title: ['河道清理', '敬老院探访', '夜间治安巡逻', '垃圾分类宣传'][kind],
          theme: themes[kind],
          place: places[kind],
          organizer: kind === 1 ? '幸福里社区居委会' : undefined,
          teamIds: [teams[kind]],
          startsAt: `2026-${mm}-${day}T09:00:00+08:00`,
          endsAt: `2026-${mm}-${day}T11:30:00+08:00`,
        })
      ).body;
      // The student (陈思远) comes to nearly everything; others by turns.
      const comers = volunteers.filter((_, i) => i === 0 || (i + month + k) % 3 === 0);
      for (const [j, volunteerId] of comers.entries()) {
        const response = await api.post('/api/attendance', {
          volunteerId,
          activityId: activity.id,
          checkInAt: `2026-${mm}-${day}T09:00:00+08:00`,
          checkOutAt: `2026-${mm}-${day}T${j % 2 === 0 ? '11:30' : '10:30'}:00+08:00`,
          reason: '纸质签到表补录',
        });
        expect(response.status).toBe(201);
      }
    }
  }
  // The counter hands out goods for the points.
  const goods = [];
  for (const [name, points] of [['大米 5kg', 8], ['洗衣液', 5], ['毛巾', 3]] as const) goods.push((await api.post('/api/goods', { name, points, stock: 100 })).body.id);
  const { token } = await pairDevice(api, 'counter');
  const counter = await connectUnlockedCounter(api.baseUrl, token);
  for (const [i, volunteerId] of volunteers.slice(0, 8).entries()) {
    const code = (await api.get(`/api/volunteers/${volunteerId}`)).body.cardCode;
    const ack = await emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code, items: [{ goodsId: goods[i % 3], quantity: 1 }] });
    expect(ack, JSON.stringify(ack)).toMatchObject({ ok: true });
  }
  counter.close();
  return { student: volunteers[0]! };
}

describe.skipIf(skip)('printed pages as PDF in Chromium', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let certificateNumber = '';

  beforeAll(async () => {
    station = await startStation({ clock });
    api = await adminClient(station);
    const { student } = await seedYear(api);
    const issued = await api.post(`/api/volunteers/${student}/certificates`, { from: '2026-01-01', to: '2026-12-31' });
    expect(issued.status).toBe(201);
    certificateNumber = issued.body.number;
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    context = await browser.newContext();
    const [name, value] = api.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: station.url }]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await station?.destroy();
  });

  /** Prints a page to an A4 PDF as the browser's print dialog would, and makes PNGs of its pages to look at. */
  async function printToPdf(pathName: string, name: string): Promise<{ pages: string[]; text: string; info: string }> {
    const page = await context.newPage();
    const response = await page.goto(`${station.url}${pathName}`);
    expect(response?.status()).toBe(200);
    const pdf = path.join(ARTIFACTS, `${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true, printBackground: true });
    await page.close();
    await run('pdftoppm', ['-r', '80', '-png', pdf, path.join(ARTIFACTS, name)]);
    const pages = (await readdir(ARTIFACTS)).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png')).sort();
    const text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout;
    const info = (await run('pdfinfo', [pdf])).stdout;
    return { pages, text, info };
  }

  test('the certificate prints on A4 in Chinese, with every record, the total and the check code', async () => {
    const { pages, text, info } = await printToPdf(`/print/certificates/${certificateNumber}`, 'certificate');
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const flat = text.replace(/\s+/g, '');
    for (const words of ['志愿服务记录证明', certificateNumber, '陈思远', '1101**********002X', '河道清理', '幸福敬老院', '幸福里社区居委会', '出具单位：幸福里社区志愿服务站', '（盖章）', '真伪查验']) {
      expect(flat).toContain(words.replace(/\s+/g, ''));
    }
    // The table header repeats on every page the records run onto.
    const headerCount = text.split('服务内容').length - 1;
    expect(headerCount).toBe(Number(/Pages:\s+(\d+)/.exec(info)![1]));
  });

  test('the year-end summary prints on A4 with its charts and figures', async () => {
    const { pages, text, info } = await printToPdf('/print/year-summary?year=2026', 'year-summary');
    expect(info).toMatch(/Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(pages.length).toBe(2);
    const flat = text.replace(/\s+/g, '');
    for (const words of ['幸福里社区志愿服务站2026年度志愿服务总结', '逐月服务时长', '星级分布', '服务队服务时长排行', '爱心超市兑换排行', '洗衣液', '12月']) expect(flat).toContain(words);
  });

  test('a phone that scans the code sees the check page in Chinese, with the masked name', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 760 }, deviceScaleFactor: 1 });
    const page = await phone.newPage();
    await page.goto(`${station.url}/verify/${certificateNumber}`);
    await expect(page.locator('.verdict').textContent()).resolves.toBe('✓ 证明真实有效');
    const text = await page.locator('main').textContent();
    expect(text).toContain('陈*远');
    expect(text).not.toContain('陈思远');
    await page.screenshot({ path: path.join(ARTIFACTS, 'verify-phone.png') });
    await page.fill('input[name=number]', '202600999-ABCDEF');
    await page.click('button[type=submit]');
    await expect(page.locator('.verdict').textContent()).resolves.toBe('✗ 未找到该编号的证明');
    await page.screenshot({ path: path.join(ARTIFACTS, 'verify-phone-missing.png') });
    await phone.close();
  });

  test('the monthly ledger prints on A4 landscape', async () => {
    const { text, info } = await printToPdf('/print/ledger?month=2026-03', 'ledger');
    expect(info).toMatch(/Page size:\s+841\.\d+ x 59\d\.\d+ pts \(A4\)/);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(text.replace(/\s+/g, '')).toContain('幸福里社区志愿服务站志愿服务活动台账');
  });
});
