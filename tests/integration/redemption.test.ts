import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { adminClient, connectSocket, connectUnlockedCounter, emitWithAck, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
const counters: Socket[] = [];

async function volunteerWithPoints(name: string, phone: string, points: number) {
  const v = await registerVolunteer(api, name, phone);
  if (points > 0) await api.post(`/api/volunteers/${v.id}/points`, { delta: points, reason: '测试积分' });
  return v;
}

async function goods(name: string, points: number, stock: number): Promise<string> {
  const response = await api.post('/api/goods', { name, points, stock });
  expect(response.status).toBe(201);
  return response.body.id;
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  for (let i = 0; i < 5; i++) {
    const { token } = await pairDevice(api, 'counter', `柜台${i}`);
    counters.push(await connectUnlockedCounter(t.url, token));
  }
});
afterAll(async () => {
  for (const socket of counters) socket.close();
  await t?.destroy();
});

const redeem = (socket: Socket, payload: object) => emitWithAck<RedeemAck>(socket, 'redeem', payload);

describe('redemption counter', () => {
  it('debits points and stock together and gives a receipt', async () => {
    const v = await volunteerWithPoints('马丽', '13500000001', 20);
    const rice = await goods('大米 5kg', 8, 10);
    const ack = await redeem(counters[0]!, { redemptionId: randomUUID(), code: v.cardCode, items: [{ goodsId: rice, quantity: 2 }] });
    expect(ack).toMatchObject({ ok: true, pointsSpent: 16, balance: 4, receiptNo: expect.stringMatching(/^\d{8}-\d{5}$/) });
    expect((await api.get(`/api/goods/${rice}`)).body.stock).toBe(8);
    expect((await api.get(`/api/volunteers/${v.id}`)).body.points).toBe(4);
  });

  it('concurrent redemptions on the last units: exactly the stock succeeds, nothing goes negative', async () => {
    const oil = await goods('食用油', 1, 3);
    const people = await Promise.all(Array.from({ length: 10 }, (_, i) => volunteerWithPoints(`顾客${i}`, `1350000${String(100 + i).padStart(4, '0')}`, 5)));
    const acks = await Promise.all(people.map((p, i) => redeem(counters[i % 5]!, { redemptionId: randomUUID(), code: p.cardCode, items: [{ goodsId: oil, quantity: 1 }] })));
    expect(acks.filter((a) => a.ok)).toHaveLength(3);
    expect(acks.filter((a) => !a.ok).every((a) => !a.ok && a.error.code === 'OUT_OF_STOCK')).toBe(true);
    expect((await api.get(`/api/goods/${oil}`)).body.stock).toBe(0);
  });

  it('concurrent carts on a balance that covers only one: exactly one succeeds', async () => {
    const v = await volunteerWithPoints('钱进', '13500000002', 10);
    const towel = await goods('毛巾', 6, 100);
    const acks = await Promise.all(counters.map((socket) => redeem(socket, { redemptionId: randomUUID(), code: v.cardCode, items: [{ goodsId: towel, quantity: 1 }] })));
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    const refused = acks.find((a) => !a.ok);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_POINTS', details: { missing: 2 } } });
    expect((await api.get(`/api/volunteers/${v.id}`)).body.points).toBe(4);
    expect((await api.get(`/api/goods/${towel}`)).body.stock).toBe(99);
  });

  it('the same redemptionId is answered once and debits once', async () => {
    const v = await volunteerWithPoints('孙悟', '13500000003', 10);
    const soap = await goods('肥皂', 2, 10);
    const payload = { redemptionId: randomUUID(), code: v.cardCode, items: [{ goodsId: soap, quantity: 1 }] };
    const [a, b] = await Promise.all([redeem(counters[0]!, payload), redeem(counters[1]!, payload)]);
    const again = await redeem(counters[2]!, payload);
    expect(a.ok && b.ok && again.ok).toBe(true);
    expect(again).toMatchObject({ replayed: true, receiptNo: (a as { receiptNo: string }).receiptNo });
    expect((await api.get(`/api/volunteers/${v.id}`)).body.points).toBe(8);
    const changed = await redeem(counters[0]!, { ...payload, items: [{ goodsId: soap, quantity: 2 }] });
    expect(changed).toMatchObject({ ok: false, error: { code: 'REDEMPTION_ID_REUSED' } });
  });

  it('withdrawn goods and unknown cards are refused in plain words', async () => {
    const v = await volunteerWithPoints('白露', '13500000004', 10);
    const pen = await goods('笔', 1, 10);
    await api.patch(`/api/goods/${pen}`, { active: false });
    expect(await redeem(counters[0]!, { redemptionId: randomUUID(), code: v.cardCode, items: [{ goodsId: pen, quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'GOODS_WITHDRAWN' } });
    expect(await redeem(counters[0]!, { redemptionId: randomUUID(), code: 'junk', items: [{ goodsId: pen, quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'CARD_UNKNOWN' } });
    expect(await redeem(counters[0]!, { redemptionId: randomUUID(), code: v.cardCode, items: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('a void returns points and stock as new entries, once, and needs a reason', async () => {
    const v = await volunteerWithPoints('陆游', '13500000005', 10);
    const milk = await goods('牛奶', 3, 5);
    const ack = await redeem(counters[0]!, { redemptionId: randomUUID(), code: v.cardCode, items: [{ goodsId: milk, quantity: 2 }] });
    if (!ack.ok) throw new Error('redeem failed');
    expect((await api.post(`/api/redemptions/${ack.redemptionId}/void`, {})).status).toBe(400);
    const voided = await api.post(`/api/redemptions/${ack.redemptionId}/void`, { reason: '拿错了' });
    expect(voided).toMatchObject({ status: 200, body: { voided: { reason: '拿错了' } } });
    const twice = await api.post(`/api/redemptions/${ack.receiptNo}/void`, { reason: '再次' });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'ALREADY_VOIDED', details: { receiptNo: ack.receiptNo, voided: { reason: '拿错了', by: 'staff:admin' } } } } });
    expect((await api.get(`/api/volunteers/${v.id}`)).body.points).toBe(10);
    expect((await api.get(`/api/goods/${milk}`)).body.stock).toBe(5);
    const ledger = (await api.get(`/api/volunteers/${v.id}/ledger`)).body.items as { kind: string; delta: number }[];
    expect(ledger.map((e) => [e.kind, e.delta])).toEqual([['reversal', 6], ['redemption', -6], ['manual', 10]]);
  });

  it('stock received is a movement; a correction needs a reason; stock never goes below zero', async () => {
    const eggs = await goods('鸡蛋', 1, 2);
    expect((await api.post(`/api/goods/${eggs}/stock`, { kind: 'received', delta: 10 })).status).toBe(201);
    expect((await api.post(`/api/goods/${eggs}/stock`, { kind: 'correction', delta: -1 })).status).toBe(400);
    expect((await api.post(`/api/goods/${eggs}/stock`, { kind: 'correction', delta: -20, reason: '盘点' })).status).toBe(409);
    expect((await api.post(`/api/goods/${eggs}/stock`, { kind: 'correction', delta: -2, reason: '盘点破损' })).body.stock).toBe(10);
  });

  it('a counter is unlocked by a staff password or PIN, and redemptions then record who served', async () => {
    const staff = await api.post('/api/staff', { username: 'counter-amy', role: 'counter', password: 'password-123', displayName: '艾米' });
    expect((await api.patch(`/api/staff/${staff.body.id}`, { pin: '12' })).status).toBe(400);
    expect((await api.patch(`/api/staff/${staff.body.id}`, { pin: '4821' })).body).toMatchObject({ hasPin: true });
    const socket = counters[3]!;
    expect(await emitWithAck(socket, 'counter:unlock', { username: 'counter-amy', secret: '0000' })).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(await emitWithAck(socket, 'counter:unlock', { username: 'counter-amy', secret: '4821' })).toMatchObject({ ok: true, staff: { displayName: '艾米' } });
    const v = await volunteerWithPoints('梁红', '13500000006', 5);
    const cup = await goods('杯子', 5, 1);
    const listed = await emitWithAck<{ ok: true; items: { id: string; stock: number }[] }>(socket, 'goods:list');
    expect(listed.items.find((g) => g.id === cup)).toMatchObject({ stock: 1 });
    const ack = await redeem(socket, { redemptionId: randomUUID(), code: v.cardCode, items: [{ goodsId: cup, quantity: 1 }] });
    if (!ack.ok) throw new Error('redeem failed');
    expect((await api.get(`/api/redemptions/${ack.redemptionId}`)).body.by).toBe('staff:counter-amy');
    for (let i = 0; i < 5; i++) await emitWithAck(socket, 'counter:unlock', { username: 'counter-amy', secret: '9999' });
    expect(await emitWithAck(socket, 'counter:unlock', { username: 'counter-amy', secret: '4821' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // A new connection from the same tablet does not get fresh guesses.
    const devices = (await api.get('/api/devices')).body.items as { id: string; name: string }[];
    expect(devices.some((d) => d.name === '柜台3')).toBe(true);
    socket.disconnect();
    socket.connect();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    expect(await emitWithAck(socket, 'counter:unlock', { username: 'counter-amy', secret: '4821' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('closes the day with figures that add up per counter', async () => {
    const report = (await api.get('/api/redemptions/close-out')).body;
    const all = (await api.get('/api/redemptions')).body.items as { pointsSpent: number; voided?: object }[];
    expect(report.totals.redemptions).toBe(all.filter((r) => !r.voided).length);
    expect(report.totals.voids).toBe(all.filter((r) => r.voided).length);
    expect(report.totals.pointsSpent).toBe(all.filter((r) => !r.voided).reduce((sum, r) => sum + r.pointsSpent, 0));
    expect(report.counters.length).toBeGreaterThanOrEqual(2);
    expect(report.counters.reduce((n: number, c: { redemptions: number }) => n + c.redemptions, 0)).toBe(report.totals.redemptions);
    expect(report.stockLeft.every((g: { stock: number }) => g.stock >= 0)).toBe(true);
    expect((await api.get('/api/redemptions/close-out?day=yesterday')).status).toBe(400);
  });

  it('a goods PATCH changes only what it names, and null clears optional text', async () => {
    const id = await goods('围裙', 4, 3);
    await api.patch(`/api/goods/${id}`, { active: false, lowStockThreshold: 1, category: '日用品' });
    const patched = await api.patch(`/api/goods/${id}`, { points: 5, category: null });
    expect(patched.body).toMatchObject({ points: 5, active: false, lowStockThreshold: 1 });
    expect(patched.body.category).toBeUndefined();
  });

  it('the close-out downloads as XLSX with a sheet per counter and stock', async () => {
    const response = await fetch(`${t.url}/api/redemptions/close-out.xlsx`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['柜台', '库存']);
    expect(book.worksheets[0]!.getRow(1).getCell(1).value).toBe('柜台');
    expect(book.worksheets[0]!.rowCount).toBeGreaterThan(1);
  });
});

