import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fakeCameraArgs, launchChromium, noChromiumMessage, saveScreenshot, skipWithoutChromium, typeLikeScanner } from '../support/browser.ts';
import { adminClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation, connectUnlockedCounter } from '../support/station.ts';

if (skipWithoutChromium) console.log(noChromiumMessage);

const STAFF = { username: 'lihua', password: 'counter-pass-1', pin: '4821' };

/**
 * The redemption counter (爱心超市) in Debian's Chromium against a real server: one morning at
 * the counter, in order. Each step leaves the counter where the next one starts.
 */
describe.skipIf(skipWithoutChromium)('counter in a browser', () => {
  let station: TestStation;
  let api: ApiClient;
  let browser: Browser;
  let page: Page;
  let otherCounter: Socket;
  const goods: Record<'rice' | 'oil' | 'towel' | 'soap', string> = {} as never;
  let volunteer: { id: string; cardNo: string; cardCode: string };
  let neighbour: { id: string; cardNo: string; cardCode: string };

  beforeAll(async () => {
    station = await startStation();
    api = await adminClient(station);
    const staff = await api.post('/api/staff', { username: STAFF.username, displayName: '李华', role: 'counter', password: STAFF.password });
    expect(staff.status).toBe(201);
    expect((await api.patch(`/api/staff/${staff.body.id}`, { pin: STAFF.pin })).status).toBe(200);
    const shelf = {
      rice: { name: '大米', category: '粮油', unit: '袋', points: 30, stock: 10 },
      oil: { name: '食用油', category: '粮油', unit: '桶', points: 50, stock: 5, lowStockThreshold: 2 },
      towel: { name: '毛巾', category: '日用品', unit: '条', points: 10, stock: 6, lowStockThreshold: 2 },
      soap: { name: '肥皂', category: '日用品', unit: '块', points: 5, stock: 2, lowStockThreshold: 3 },
    };
    for (const [key, body] of Object.entries(shelf)) {
      const created = await api.post('/api/goods', body);
      expect(created.status).toBe(201);
      goods[key as keyof typeof shelf] = created.body.id;
    }
    // Rice has a photo; the other tiles have none and must look as before.
    const png = new PNG({ width: 4, height: 4 });
    png.data.fill(180);
    expect((await api.request('PUT', `/api/goods/${goods.rice}/photo`, PNG.sync.write(png), { 'content-type': 'image/png' })).status).toBe(200);
    volunteer = await registerVolunteer(api, '张三明', '13800138001');
    neighbour = await registerVolunteer(api, '李四芳', '13800138002');
    expect((await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 100, reason: '测试积分' })).status).toBe(201);
    expect((await api.post(`/api/volunteers/${neighbour.id}/points`, { delta: 50, reason: '测试积分' })).status).toBe(201);
    otherCounter = await connectUnlockedCounter(station.url, (await pairDevice(api, 'counter', '二号柜台')).token);
    browser = await launchChromium(fakeCameraArgs());
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Loses the ack of a redemption on demand, as a Wi-Fi drop would: the message is swallowed
    // and the socket closed, so the kiosk must reconnect and retry without redeeming twice.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const flags = window as unknown as { dropRedeemAck?: boolean; droppedAcks?: number; offline?: boolean; cutNetwork?: () => void };
      const open: WebSocket[] = [];
      flags.cutNetwork = () => {
        flags.offline = true;
        for (const socket of open.splice(0)) socket.close();
      };
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          if (flags.offline) this.close();
          else open.push(this);
          this.addEventListener('message', (event) => {
            if (flags.dropRedeemAck && typeof event.data === 'string' && event.data.startsWith('43/kiosk,') && event.data.includes('receiptNo')) {
              event.stopImmediatePropagation();
              flags.dropRedeemAck = false;
              flags.droppedAcks = (flags.droppedAcks ?? 0) + 1;
              this.close();
            }
          });
        }
      };
    });
  });

  afterAll(async () => {
    otherCounter?.close();
    await browser?.close();
    await station?.destroy();
  });

  const wedgeScan = (code: string) => typeLikeScanner(page, code);
  const locked = () => page.locator('[data-screen=counter-locked]');
  const shop = () => page.locator('[data-screen=counter-shop]');
  const goodsButton = (name: string) => page.locator(`.goods[data-goods="${name}"]`);
  const pressDigits = async (digits: string) => {
    for (const digit of digits) await page.locator('.keypad-keys').getByRole('button', { name: digit, exact: true }).click();
  };
  const unlockWith = async (pin: string) => {
    await page.locator('input[name=username]').fill(STAFF.username);
    await pressDigits(pin);
    await page.getByRole('button', { name: '解锁', exact: true }).click();
  };

  test('a counter tablet paired with ?pair= starts locked; a wrong PIN is refused in plain words, the right one unlocks', async () => {
    const created = await api.post('/api/devices', { name: '爱心超市柜台', mode: 'counter' });
    expect(created.status).toBe(201);
    await page.goto(`${station.url}/kiosk/?pair=${created.body.pairingCode}`);
    await locked().waitFor();
    await page.locator('[data-testid=connection][data-status=online]').waitFor();
    await saveScreenshot(page, 'counter-locked');

    await unlockWith('1111');
    await expect(page.locator('[data-testid=unlock-problem]').textContent()).resolves.toContain('账号或 PIN 不对，请再输一次');
    await expect(page.locator('main').getAttribute('data-unlocked')).resolves.toBe('false');

    await pressDigits(STAFF.pin);
    await page.getByRole('button', { name: '解锁', exact: true }).click();
    await page.locator('[data-screen=counter-scan]').waitFor();
    await expect(page.locator('.counter-staff').textContent()).resolves.toContain('李华');
  });

  test('a scanned card shows the balance; two goods in the cart are redeemed and a receipt shows', async () => {
    await wedgeScan(volunteer.cardCode);
    await shop().waitFor();
    await expect(page.locator('[data-testid=volunteer]').textContent()).resolves.toContain('张*明');
    await expect(page.locator('[data-testid=balance]').textContent()).resolves.toBe('100');
    await expect(goodsButton('肥皂').textContent()).resolves.toContain('库存不多');
    const ricePhoto = goodsButton('大米').locator('img.goods-photo');
    await expect(ricePhoto.getAttribute('alt')).resolves.toBe('大米');
    await expect(ricePhoto.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBe(4);
    await expect(goodsButton('毛巾').locator('img').count()).resolves.toBe(0);

    await goodsButton('大米').click();
    await goodsButton('毛巾').click();
    await page.locator('.cart-lines li[data-goods="毛巾"]').getByRole('button', { name: '加一件' }).click();
    await expect(page.locator('[data-testid=total]').textContent()).resolves.toBe('50');
    await expect(page.locator('[data-testid=remaining]').textContent()).resolves.toBe('50');
    await saveScreenshot(page, 'counter-cart');

    await page.locator('[data-testid=confirm]').click();
    const receipt = page.locator('[data-screen=counter-receipt]');
    await receipt.waitFor();
    const receiptNo = (await page.locator('[data-testid=receipt-no]').textContent())!.replace('小票号', '').trim();
    await expect(page.locator('[data-testid=points-spent]').textContent()).resolves.toContain('50');
    await expect(page.locator('[data-testid=balance-after]').textContent()).resolves.toContain('50');
    // Each line shows what it adds to the total (2 × 10 = 20), the unit price small beside it: the lines add up.
    const towelLine = page.locator('.receipt-lines li[data-goods="毛巾"]');
    await expect(towelLine.locator('[data-testid=line-total]').textContent()).resolves.toBe('20 分');
    await expect(towelLine.locator('.receipt-unit').textContent()).resolves.toBe('每件 10 分');
    const lineTotals = await page.locator('.receipt-lines [data-testid=line-total]').allTextContents();
    expect(lineTotals.reduce((sum, text) => sum + Number.parseInt(text, 10), 0)).toBe(50);
    await saveScreenshot(page, 'counter-receipt');

    expect((await api.get(`/api/volunteers/${volunteer.id}`)).body.points).toBe(50);
    expect((await api.get(`/api/goods/${goods.rice}`)).body.stock).toBe(9);
    expect((await api.get(`/api/goods/${goods.towel}`)).body.stock).toBe(4);
    const redemption = await api.get(`/api/redemptions/${encodeURIComponent(receiptNo)}`);
    expect(redemption.status).toBe(200);
    expect(redemption.body.by).toBe(`staff:${STAFF.username}`);
    expect(redemption.body.pointsSpent).toBe(50);

    await page.locator('[data-testid=receipt-done]').click();
    await page.locator('[data-screen=counter-scan]').waitFor();
  });

  test('a cart never goes beyond the balance: a tile that no longer fits says so and cannot be added; the server’s refusal shows the points missing', async () => {
    await wedgeScan(volunteer.cardCode);
    await shop().waitFor();
    await expect(page.locator('[data-testid=balance]').textContent()).resolves.toBe('50');
    await goodsButton('食用油').click();
    // Nothing is left after the oil: what no longer fits is marked and cannot be added; the oil
    // already in the cart says it is one more that does not fit.
    await expect(goodsButton('毛巾').textContent()).resolves.toContain('积分不够');
    await expect(goodsButton('毛巾').isDisabled()).resolves.toBe(true);
    await expect(goodsButton('食用油').textContent()).resolves.toContain('积分不够再加一件');
    await expect(goodsButton('食用油').isDisabled()).resolves.toBe(true);
    await expect(page.locator('.cart-lines li[data-goods="食用油"]').getByRole('button', { name: '加一件' }).isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid=total]').textContent()).resolves.toBe('50');

    // The balance drops elsewhere after the card was scanned: the server's refusal is told with its numbers.
    expect((await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: -20, reason: '更正' })).status).toBe(201);
    await page.locator('[data-testid=confirm]').click();
    const refusal = page.locator('[data-testid=redeem-problem]');
    await refusal.waitFor();
    await expect(refusal.textContent()).resolves.toContain('还差 20 分');
    await expect(page.locator('[data-testid=balance]').textContent()).resolves.toBe('30');
    await saveScreenshot(page, 'counter-short');
    expect((await api.get(`/api/goods/${goods.oil}`)).body.stock).toBe(5);
  });

  test('stock sold by another counter updates the shelf live', async () => {
    const ack = await emitWithAck<{ ok: boolean }>(otherCounter, 'redeem', {
      redemptionId: randomUUID(),
      code: neighbour.cardCode,
      items: [{ goodsId: goods.soap, quantity: 2 }],
    });
    expect(ack.ok).toBe(true);
    await page.locator('.goods[data-goods="肥皂"][data-stock="0"]').waitFor();
    await expect(goodsButton('肥皂').textContent()).resolves.toContain('已兑完');
    await expect(goodsButton('肥皂').isDisabled()).resolves.toBe(true);
  });

  test('a lost ack is retried with the same redemption id after the reconnect: one redemption, one receipt', async () => {
    // A card scanned over an unfinished cart is refused with a word, not silently swapped in.
    await wedgeScan(neighbour.cardCode);
    await expect(page.locator('[data-testid=redeem-problem]').textContent()).resolves.toContain('换一位');
    await page.getByRole('button', { name: '换一位' }).click();
    await page.locator('[data-screen=counter-scan]').waitFor();
    await wedgeScan(neighbour.cardCode);
    await shop().waitFor();
    await expect(page.locator('[data-testid=balance]').textContent()).resolves.toBe('40');
    await goodsButton('毛巾').click();
    await page.evaluate(() => ((window as unknown as { dropRedeemAck: boolean }).dropRedeemAck = true));
    await page.locator('[data-testid=confirm]').click();
    await page.locator('[data-screen=counter-receipt]').waitFor({ timeout: 15_000 });
    await expect(page.evaluate(() => (window as unknown as { droppedAcks?: number }).droppedAcks)).resolves.toBe(1);
    await expect(page.locator('[data-testid=balance-after]').textContent()).resolves.toContain('30');

    expect((await api.get(`/api/volunteers/${neighbour.id}`)).body.points).toBe(30);
    expect((await api.get(`/api/goods/${goods.towel}`)).body.stock).toBe(3);
    const today = (await api.get('/api/redemptions')).body.items as { volunteerId: string; by: string }[];
    const theirs = today.filter((r) => r.volunteerId === neighbour.id);
    expect(theirs).toHaveLength(2); // the soap from the other counter, and this one exactly once
    expect(theirs.filter((r) => r.by === `staff:${STAFF.username}`)).toHaveLength(1);
    await page.locator('[data-testid=receipt-done]').click();
  });

  test('offline the counter refuses to redeem; back online it unlocks itself again and redeems as the same staff', async () => {
    await wedgeScan(volunteer.cardCode);
    await shop().waitFor();
    await goodsButton('大米').click();
    await page.route('**/socket.io/**', (route) => route.abort());
    await page.evaluate(() => (window as unknown as { cutNetwork: () => void }).cutNetwork());
    await page.locator('[data-testid=offline-banner]').waitFor();
    await expect(page.locator('[data-testid=offline-banner]').textContent()).resolves.toContain('联网后才能兑换');
    await expect(page.locator('[data-testid=confirm]').isDisabled()).resolves.toBe(true);

    await page.unroute('**/socket.io/**');
    await page.evaluate(() => ((window as unknown as { offline: boolean }).offline = false));
    await page.locator('[data-testid=connection][data-status=online]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid=confirm]:not([disabled])').click();
    await page.locator('[data-screen=counter-receipt]').waitFor();
    const receiptNo = (await page.locator('[data-testid=receipt-no]').textContent())!.replace('小票号', '').trim();
    expect((await api.get(`/api/redemptions/${encodeURIComponent(receiptNo)}`)).body.by).toBe(`staff:${STAFF.username}`);
    await page.locator('[data-testid=receipt-done]').click();
  });

  test('the lock button and an idle counter both lock it again', async () => {
    await page.locator('[data-testid=lock]').click();
    await locked().waitFor();

    await page.evaluate(() => localStorage.setItem('vs-counter-idle-ms', '2000'));
    await page.reload();
    await locked().waitFor();
    await page.locator('[data-testid=connection][data-status=online]').waitFor();
    // The last staff member is offered, so only the PIN is needed.
    await expect(page.locator('input[name=username]').inputValue()).resolves.toBe(STAFF.username);
    await pressDigits(STAFF.pin);
    await page.getByRole('button', { name: '解锁', exact: true }).click();
    await page.locator('[data-screen=counter-scan]').waitFor();
    await locked().waitFor({ timeout: 6000 });
  });
});
