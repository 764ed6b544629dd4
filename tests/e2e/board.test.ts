import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { dayKey } from '../../server/src/domain/time-zone.ts';
import { launchChromium, noChromiumMessage, saveScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, startStation, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts');
const HOUR = 3600_000;

/** A resident ID number with a correct check digit, so the register accepts it. */
function idNumber(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((total, digit, i) => total + Number(digit) * weights[i]!, 0);
  return body17 + '10X98765432'[sum % 11]!;
}

interface Person {
  name: string;
  phone: string;
  idNumber: string;
  team: string;
  /** Hours served earlier today (seeded as a corrected paper record), for standings and stars. */
  earlier: number;
  id?: string;
  cardCode?: string;
}

/** Distinctive names, phones and ID numbers: none of them may appear on anything public. */
const PEOPLE: Person[] = [
  { name: '欧阳明华', phone: '13911112222', idNumber: idNumber('11010519580312451'), team: '红马甲服务队', earlier: 4 },
  { name: '司马懿然', phone: '13922223333', idNumber: idNumber('31010419620718382'), team: '蓝天志愿队', earlier: 3.5 },
  { name: '诸葛青云', phone: '13933334444', idNumber: idNumber('44030419700101123'), team: '银发互助队', earlier: 2.5 },
  { name: '张小明', phone: '13944445555', idNumber: idNumber('32010219851111234'), team: '红马甲服务队', earlier: 1.5 },
  { name: '李秀英', phone: '13955556666', idNumber: idNumber('51010719550505678'), team: '蓝天志愿队', earlier: 1 },
  { name: '王建国', phone: '13966667777', idNumber: idNumber('37020219600909876'), team: '银发互助队', earlier: 3 },
  { name: '赵丽华', phone: '13977778888', idNumber: idNumber('42010619730303345'), team: '红马甲服务队', earlier: 2 },
  { name: '孙志强', phone: '13988889999', idNumber: idNumber('61010319900606543'), team: '蓝天志愿队', earlier: 0.5 },
  { name: '周婉清', phone: '13900001111', idNumber: idNumber('35020319881212321'), team: '银发互助队', earlier: 0 },
  { name: '吴海涛', phone: '13900002222', idNumber: idNumber('21010219921010987'), team: '红马甲服务队', earlier: 0 },
];

describe.skipIf(skipWithoutChromium)('live board and printed notice in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let kiosk: Socket;
  let browser: Browser;
  let context: BrowserContext;
  let board: Page;
  let boardToken: string;
  let clean: { id: string };
  let visit: { id: string };
  let noticeId: string;
  /** When the paper record of the morning's activity begins (seven hours before the tests). */
  let earlierAt: Date;
  /** Everything public that was seen: rendered pages, JSON and socket frames, searched at the end. */
  const seen: { where: string; text: string }[] = [];

  const scan = (person: Person, activityId?: string, scannedAt = new Date()) =>
    emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: person.cardCode, scannedAt: scannedAt.toISOString(), ...(activityId ? { activityId } : {}) });
  const tile = (index: number) => board.locator('.tile .tile-value').nth(index);

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    await api.patch('/api/settings', { repeatWindowSeconds: 0, centerName: '幸福里社区志愿驿站', stars: { thresholds: [2, 4, 6, 8, 10], period: 'lifetime' } });
    const teams: Record<string, string> = {};
    for (const name of new Set(PEOPLE.map((p) => p.team))) teams[name] = (await api.post('/api/teams', { name })).body.id;
    const now = Date.now();
    earlierAt = new Date(now - 7 * HOUR);
    const earlier = (await api.post('/api/activities', { title: '早间环境整治', startsAt: new Date(now - 7 * HOUR).toISOString(), endsAt: new Date(now - 2 * HOUR).toISOString() })).body;
    clean = (await api.post('/api/activities', { title: '社区清洁', place: '中心广场', startsAt: new Date(now - HOUR).toISOString(), endsAt: new Date(now + 3 * HOUR).toISOString() })).body;
    visit = (await api.post('/api/activities', { title: '敬老院探访', place: '幸福敬老院', startsAt: new Date(now - 0.5 * HOUR).toISOString(), endsAt: new Date(now + 2 * HOUR).toISOString() })).body;
    for (const person of PEOPLE) {
      const created = await api.post('/api/volunteers', { name: person.name, phone: person.phone, idNumber: person.idNumber, teamIds: [teams[person.team]] });
      expect(created.status).toBe(201);
      Object.assign(person, { id: created.body.id, cardCode: created.body.cardCode });
      if (person.earlier > 0) {
        const checkInAt = new Date(now - 7 * HOUR).toISOString();
        const checkOutAt = new Date(now - 7 * HOUR + person.earlier * HOUR).toISOString();
        expect((await api.post('/api/attendance', { volunteerId: person.id, activityId: earlier.id, checkInAt, checkOutAt, reason: '纸质签到表补录' })).status).toBe(201);
      }
    }
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    board = await context.newPage();
    board.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => seen.push({ where: 'board socket frame', text: String(payload) })));
  });

  afterAll(async () => {
    kiosk?.close();
    await browser?.close();
    await station?.destroy();
  });

  test('a TV paired with ?pair=CODE shows the board, and the code leaves the address', async () => {
    const device = await api.post('/api/devices', { name: '大厅电视', mode: 'board' });
    await board.goto(`${station.url}/board/?pair=${device.body.pairingCode}`);
    await board.locator('.connection.online').waitFor();
    expect(board.url()).toBe(`${station.url}/board/`);
    boardToken = await board.evaluate(() => JSON.parse(localStorage.getItem('vs-board-pairing')!).token as string);
    expect(await board.locator('.activity-title').allTextContents()).toEqual(['社区清洁', '敬老院探访']);
    expect(await tile(0).textContent()).toBe('0人');
    // Today's hours count sign-ins of the center's day: run just after midnight in Beijing, the
    // paper record seven hours back is yesterday's, and today's figure must leave it out.
    const earlierToday = dayKey(earlierAt, 'Asia/Shanghai') === dayKey(new Date(), 'Asia/Shanghai');
    expect(await tile(1).textContent()).toBe(earlierToday ? '18小时' : '0小时');
  });

  test('scans on a kiosk appear on the board live: people on site, counts and the feed', async () => {
    const arrivals = [[0, clean], [1, clean], [2, visit], [3, clean], [4, visit], [5, clean], [6, visit], [7, clean], [8, clean]] as const;
    for (const [index, activity] of arrivals) expect(await scan(PEOPLE[index]!, activity.id)).toMatchObject({ ok: true, action: 'check-in' });
    await board.waitForFunction(() => document.querySelector('.tile .tile-value')?.textContent === '9人');
    const cleanChips = await board.locator('.activity').nth(0).locator('.chip-name').allTextContents();
    expect(cleanChips).toEqual(['周*清', '孙*强', '王*国', '张*明', '司**然', '欧**华']);
    expect(await board.locator('.activity-count').allTextContents()).toEqual(['在场 6 人', '在场 3 人']);

    // Two leave; the feed shows it at once, and the hours follow once the burst settles.
    const signedOut = Date.now();
    expect(await scan(PEOPLE[8]!)).toMatchObject({ ok: true, action: 'check-out' });
    expect(await scan(PEOPLE[3]!)).toMatchObject({ ok: true, action: 'check-out' });
    await board.waitForFunction(() => document.querySelector('.tile .tile-value')?.textContent === '7人');
    console.log(`board showed the sign-outs ${Date.now() - signedOut} ms after the first scan was sent`);
    expect(await board.locator('.feed-item').first().textContent()).toContain('张*明签退');
    expect(await board.locator('.team-name').allTextContents()).toEqual(['红马甲服务队', '银发互助队', '蓝天志愿队']);
    await board.waitForTimeout(1200);
    await saveScreenshot(board, 'board-live');
    seen.push({ where: 'board page', text: await board.content() });
  });

  test('a sign-out that reaches a new star is celebrated on the board', async () => {
    // 孙志强 served 0.5 h earlier; 1.5 h more takes him to 2 h: his first star.
    const person = PEOPLE[7]!;
    await scan(person);
    expect(await scan(person, clean.id, new Date(Date.now() - 1.6 * HOUR))).toMatchObject({ ok: true, action: 'check-in' });
    expect(await scan(person)).toMatchObject({ ok: true, action: 'check-out', volunteer: { stars: 1, newStar: true } });
    await board.locator('.celebration').waitFor();
    expect(await board.locator('.celebration-line').textContent()).toBe('孙*强 成为 1 星志愿者');
    await board.waitForTimeout(900);
    await saveScreenshot(board, 'board-celebration');
    await board.locator('.celebration').waitFor({ state: 'detached', timeout: 10_000 });
  });

  test('the printable notice: A4, Chinese, masked names, dates and the objection contact', async () => {
    const year = new Date().getFullYear();
    const draft = await api.post('/api/notices', { kind: 'yearStars', year, contact: '幸福里社区党群服务中心，电话 010-6543 2100' });
    noticeId = draft.body.id;
    expect(draft.body.entries.length).toBeGreaterThan(3);
    expect((await api.post(`/api/notices/${noticeId}/publish`, {})).status).toBe(200);

    const page = await context.newPage();
    await page.goto(`${station.url}/board/notice/${noticeId}`);
    await page.locator('.sheet[data-ready]').waitFor();
    expect(await page.locator('h1').textContent()).toBe('志愿者星级评定公示');
    expect(await page.locator('.sheet-table tbody tr').count()).toBe(draft.body.entries.length);
    expect(await page.locator('.sheet').textContent()).toContain('异议受理：幸福里社区党群服务中心');
    await saveScreenshot(page, 'notice-page');
    seen.push({ where: 'notice page', text: await page.content() });

    const pdf = path.join(ARTIFACTS, 'notice.pdf');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
    await promisify(execFile)('pdftoppm', ['-png', '-r', '70', pdf, path.join(ARTIFACTS, 'screenshots', 'notice-pdf')]);
    const pages = (await readdir(path.join(ARTIFACTS, 'screenshots'))).filter((f) => f.startsWith('notice-pdf'));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    const { stdout } = await promisify(execFile)('pdfinfo', [pdf]).catch(() => ({ stdout: '' }));
    if (stdout) expect(stdout).toMatch(/Page size:.*\(A4\)/);
    await page.close();
  });

  test('the board shows the notice in its notice period', async () => {
    const page = await context.newPage();
    await page.goto(`${station.url}/board/?view=notice`);
    await page.locator('.notice-board').waitFor();
    expect(await page.locator('.notice-board-kicker').textContent()).toContain('志愿者星级评定公示');
    expect(await page.locator('.notice-name').first().textContent()).toBe('欧**华');
    await saveScreenshot(page, 'notice-board');
    seen.push({ where: 'board notice view', text: await page.content() });
    await page.close();
  });

  test('a viewer signed in to the admin sees the board without pairing, in English with ?lang=en', async () => {
    await api.post('/api/staff', { username: 'hall-tv', role: 'viewer', password: 'viewer-pass-1' });
    const viewerContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId: 'Asia/Shanghai' });
    try {
      const login = await viewerContext.request.post(`${station.url}/api/auth/login`, { data: { username: 'hall-tv', password: 'viewer-pass-1' } });
      expect(login.status()).toBe(200);
      const page = await viewerContext.newPage();
      page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => seen.push({ where: 'viewer socket frame', text: String(payload) })));
      await page.goto(`${station.url}/board/?lang=en`);
      await page.locator('.connection.online').waitFor();
      expect(await page.locator('h1').textContent()).toBe('Volunteer service — live');
      expect(await page.evaluate(() => localStorage.getItem('vs-board-pairing'))).toBeNull();
      // The staff session's socket hears the scans too.
      await scan(PEOPLE[9]!, visit.id);
      await page.waitForFunction(() => [...document.querySelectorAll('.chip-name')].some((chip) => chip.textContent === '吴*涛'));
      await saveScreenshot(page, 'board-live-en');
      seen.push({ where: 'viewer board page', text: await page.content() });
    } finally {
      await viewerContext.close();
    }
  });

  test('nothing public carries a full name, phone, ID number or card code', async () => {
    const bearer = { authorization: `Bearer ${boardToken}` };
    const anonymous = new ApiClient(station.url);
    seen.push({ where: 'GET /api/board', text: JSON.stringify((await anonymous.request('GET', '/api/board', undefined, bearer)).body) });
    seen.push({ where: 'GET /api/notices/:id/public', text: JSON.stringify((await anonymous.get(`/api/notices/${noticeId}/public`)).body) });
    expect(seen.filter((s) => s.where === 'board socket frame').some((s) => s.text.includes('attendance:changed'))).toBe(true);

    const secrets = PEOPLE.flatMap((p) => {
      const chars = [...p.name];
      // The masked name keeps the first and last character: any two neighbours from the middle betray the name.
      const inner = chars.length > 2 ? chars.slice(0, -1).map((c, i) => c + chars[i + 1]) : [p.name];
      return [p.name, ...inner, p.phone, p.phone.slice(-8), p.idNumber, p.idNumber.slice(6, 14), p.cardCode!];
    });
    const leaks = seen.flatMap(({ where, text }) => secrets.filter((secret) => text.includes(secret)).map((secret) => `${secret} in ${where}`));
    expect(leaks).toEqual([]);
    expect(seen.some((s) => s.text.includes('欧**华'))).toBe(true);
  });
});
