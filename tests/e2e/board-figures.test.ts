import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { launchChromium, noChromiumMessage, saveDocsScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, type ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const HOUR = 3600_000;

/**
 * The hall TV (1920×1080) from one state version: a sign-in moves 在场 and 今日参与 together even
 * while the board cannot refetch, and yesterday's back-dated record in the feed carries its date.
 */
describe.skipIf(skipWithoutChromium)('board figures agree (issue 12)', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let kiosk: Socket;

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    await api.patch('/api/settings', { repeatWindowSeconds: 0 });
    browser = await launchChromium();
    kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
  });

  afterAll(async () => {
    kiosk?.close();
    await browser?.close();
    await station?.destroy();
  });

  test('a sign-in moves 在场 and 今日参与 together from its event; yesterday’s 补录 in the feed shows its date', async () => {
    const activity = await openActivityNow(api, '社区清洁');
    const person = await registerVolunteer(api, '欧阳明华', '13911112222');
    const earlier = await registerVolunteer(api, '司马懿然', '13922223333');
    // A paper record of yesterday, entered today: the newest line in the feed, but not today's.
    const now = Date.now();
    const yesterday = (await api.post('/api/activities', { title: '昨天的义诊', startsAt: new Date(now - 26 * HOUR).toISOString(), endsAt: new Date(now - 24 * HOUR).toISOString() })).body;
    expect((await api.post('/api/attendance', { volunteerId: earlier.id, activityId: yesterday.id, checkInAt: new Date(now - 26 * HOUR).toISOString(), checkOutAt: new Date(now - 25 * HOUR).toISOString(), reason: '纸质签到表补录' })).status).toBe(201);

    const { deviceId, token } = await pairDevice(api, 'board', '大厅电视');
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const board = await context.newPage();
    await board.addInitScript((pairing) => localStorage.setItem('vs-board-pairing', pairing), JSON.stringify({ deviceId, token }));
    await board.goto(`${station.url}/board/`);
    await board.locator('.connection.online').waitFor();
    const tile = (label: string) => ({ textContent: async () => ((await board.locator('.tile', { hasText: label }).locator('.tile-value').textContent()) ?? '').replace(/\D+$/, '') });
    await expect.poll(() => tile('在场志愿者').textContent()).toBe('0');
    expect(await tile('今日参与').textContent()).toBe('0');

    const dated = board.locator('.feed-item', { hasText: '昨天的义诊' }).first().locator('.feed-time');
    await dated.waitFor();
    const day = new Intl.DateTimeFormat('zh-CN', { month: 'numeric', day: 'numeric', timeZone: 'Asia/Shanghai' }).format(new Date(now - 26 * HOUR));
    const sameDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now - 26 * HOUR)) === new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(now));
    expect(sameDay).toBe(false);
    expect(await dated.textContent()).toContain(day);

    // From here the board gets only the live event: its refetch of /api/board hangs.
    await board.route('**/api/board', () => undefined);
    const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: person.cardCode, scannedAt: new Date().toISOString(), activityId: activity.id });
    expect(ack).toMatchObject({ ok: true, action: 'check-in' });
    await expect.poll(() => tile('在场志愿者').textContent(), { timeout: 30_000 }).toBe('1');
    expect(await tile('今日参与').textContent()).toBe('1');
    // Today's sign-in shows the time alone.
    const todays = board.locator('.feed-item', { hasText: '社区清洁' }).first().locator('.feed-time');
    expect(await todays.textContent()).toMatch(/^\d{2}:\d{2}$/);
    await saveDocsScreenshot(board, 'board-figures-1920x1080');
    await context.close();
  }, 120_000);
});
