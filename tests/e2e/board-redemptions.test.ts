import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RedeemAck, ScanAck } from '../../server/src/protocol/events.ts';
import { launchChromium, saveScreenshot, skipWithoutChromium } from '../support/browser.ts';
import { adminClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation, connectUnlockedCounter } from '../support/station.ts';

const PEOPLE = [['欧阳明华', '13911112222'], ['司马懿然', '13922223333'], ['张小明', '13944445555']] as const;

describe.skipIf(skipWithoutChromium)('redemptions on the live board', () => {
  let station: TestStation;
  let api: ApiClient;
  let counter: Socket;
  let browser: Browser;
  let board: Page;
  const people: { name: string; phone: string; cardCode: string }[] = [];
  let rice: string;
  let oil: string;

  const redeem = (cardCode: string, items: { goodsId: string; quantity: number }[]) =>
    emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code: cardCode, items });

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    await api.patch('/api/settings', { centerName: '幸福里社区志愿驿站', board: { showRedemptions: true } });
    const activity = await openActivityNow(api, '社区清洁');
    const kiosk = await connectSocket(station.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
    for (const [name, phone] of PEOPLE) {
      const volunteer = await registerVolunteer(api, name, phone);
      await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 50, reason: '测试积分' });
      expect(await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: volunteer.cardCode, scannedAt: new Date().toISOString(), activityId: activity.id })).toMatchObject({ ok: true });
      people.push({ name, phone, cardCode: volunteer.cardCode });
    }
    kiosk.close();
    rice = (await api.post('/api/goods', { name: '大米', points: 10, stock: 20 })).body.id;
    oil = (await api.post('/api/goods', { name: '食用油', points: 8, stock: 20 })).body.id;
    counter = await connectUnlockedCounter(station.url, (await pairDevice(api, 'counter')).token);
    expect(await redeem(people[0]!.cardCode, [{ goodsId: rice, quantity: 1 }])).toMatchObject({ ok: true });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    board = await context.newPage();
  });

  afterAll(async () => {
    counter?.close();
    await browser?.close();
    await station?.destroy();
  });

  test('the 爱心超市兑换 panel lists redemptions with masked names and picks up a new one live', async () => {
    const device = await api.post('/api/devices', { name: '大厅电视', mode: 'board' });
    await board.goto(`${station.url}/board/?pair=${device.body.pairingCode}`);
    await board.locator('.connection.online').waitFor();
    await board.locator('.redemptions h2').waitFor();
    expect(await board.locator('.redemptions h2').textContent()).toBe('爱心超市兑换');
    expect(await board.locator('.redemption-name').allTextContents()).toEqual(['欧**华']);

    expect(await redeem(people[1]!.cardCode, [{ goodsId: rice, quantity: 1 }, { goodsId: oil, quantity: 2 }])).toMatchObject({ ok: true });
    await board.waitForFunction(() => document.querySelectorAll('.redemption-item').length === 2);
    expect(await board.locator('.redemption-item').first().textContent()).toContain('司**然');
    expect(await board.locator('.redemption-goods').first().textContent()).toBe('大米×1、食用油×2');
    expect(await board.locator('.redemption-points').first().textContent()).toBe('26 积分');
    await board.waitForTimeout(500);
    await saveScreenshot(board, 'board-redemptions');
    const page = await board.content();
    for (const person of people) {
      expect(page).not.toContain(person.name);
      expect(page).not.toContain(person.phone);
      expect(page).not.toContain(person.cardCode);
    }
  });
});
