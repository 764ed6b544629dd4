import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { adminClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation, connectUnlockedCounter } from '../support/station.ts';

/**
 * The answers the admin's counter, staff and volunteer screens read, as they send their
 * requests: what each screen shows depends on these fields being there.
 */
let station: TestStation;
let api: ApiClient;
let counter: Socket;

beforeAll(async () => {
  station = await startStation();
  api = await adminClient(station);
  const { token } = await pairDevice(api, 'counter', '二号柜台');
  counter = await connectUnlockedCounter(station.url, token);
});
afterAll(async () => {
  counter?.close();
  await station?.destroy();
});

describe('the admin’s counter screens', () => {
  it('a change sent as the whole record keeps a withdrawn item withdrawn and its warning level', async () => {
    const created = (await api.post('/api/goods', { name: '洗衣粉', points: 4, stock: 10, lowStockThreshold: 2, unit: '袋' })).body;
    const withdrawn = await api.patch(`/api/goods/${created.id}`, { name: '洗衣粉', points: 4, unit: '袋', lowStockThreshold: 2, active: false });
    expect(withdrawn.body).toMatchObject({ active: false, lowStockThreshold: 2, stock: 10 });
    // The goods page changes the price the same way: every field, so nothing falls back to a default.
    const repriced = await api.patch(`/api/goods/${created.id}`, { name: '洗衣粉', points: 5, unit: '袋', lowStockThreshold: 2, active: false });
    expect(repriced.body).toMatchObject({ active: false, lowStockThreshold: 2, points: 5 });
  });

  it('the day’s receipts, a void and the close-out carry what the screens show', async () => {
    const volunteer = await registerVolunteer(api, '周桂芳', '13700000001');
    await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 30, reason: '测试积分' });
    const oil = (await api.post('/api/goods', { name: '食用油', points: 8, stock: 5, lowStockThreshold: 3 })).body;
    const ack = await emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code: volunteer.cardCode, items: [{ goodsId: oil.id, quantity: 2 }] });
    if (!ack.ok) throw new Error(JSON.stringify(ack));

    const list = (await api.get('/api/redemptions')).body;
    const receipt = list.items.find((r: { receiptNo: string }) => r.receiptNo === ack.receiptNo);
    expect(list.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(receipt).toMatchObject({ volunteerName: '周桂芳', cardNo: volunteer.cardNo, pointsSpent: 16, items: [{ name: '食用油', quantity: 2 }], deviceId: expect.any(String) });
    expect((await api.get('/api/devices')).body.items.find((d: { id: string }) => d.id === receipt.deviceId).name).toBe('二号柜台');

    const voided = (await api.post(`/api/redemptions/${receipt.id}/void`, { reason: '顾客退回' })).body;
    expect(voided.voided).toMatchObject({ reason: '顾客退回', at: expect.any(String) });

    const closeOut = (await api.get(`/api/redemptions/close-out?day=${list.day}`)).body;
    expect(closeOut.counters).toContainEqual(expect.objectContaining({ counterName: '二号柜台', redemptions: 0, voids: 1, pointsSpent: 0, goodsOut: [] }));
    expect(closeOut.stockLeft).toContainEqual({ goodsId: oil.id, name: '食用油', stock: 5, low: false });
  });
});

describe('the admin’s staff and volunteer screens', () => {
  it('a counter PIN shows as hasPin, never as a hash, and null removes it', async () => {
    const created = (await api.post('/api/staff', { username: 'counter1', role: 'counter', password: 'counter-pass-1' })).body;
    const withPin = (await api.patch(`/api/staff/${created.id}`, { pin: '4321' })).body;
    expect(withPin.hasPin).toBe(true);
    expect(withPin).not.toHaveProperty('pinHash');
    expect((await api.get('/api/staff')).body.items.find((s: { id: string }) => s.id === created.id).hasPin).toBe(true);
    expect((await api.patch(`/api/staff/${created.id}`, { pin: null })).body.hasPin).toBe(false);
  });

  it('an edit sends null for what was emptied and leaves out what was not touched', async () => {
    const volunteer = await registerVolunteer(api, '吴德明', '13700000002');
    await api.patch(`/api/volunteers/${volunteer.id}`, { address: '和平里 5 栋', notes: '会修自行车', birthYear: 1956 });
    const edited = await api.patch(`/api/volunteers/${volunteer.id}`, { name: '吴德明', address: null, phone: null, notes: '周末有空' });
    expect(edited.status).toBe(200);
    expect(edited.body).not.toHaveProperty('address');
    expect(edited.body).not.toHaveProperty('phone');
    expect(edited.body).toMatchObject({ notes: '周末有空', birthYear: 1956 });
  });

  it('the certificate answers with the number the print page opens, and the page is there', async () => {
    const volunteer = await registerVolunteer(api, '郑小燕', '13700000003');
    const issued = await api.post(`/api/volunteers/${volunteer.id}/certificates`, { from: '2026-01-01', to: '2026-12-31' });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({ number: expect.any(String), hours: 0, records: [] });
    expect((await api.get(`/print/certificates/${encodeURIComponent(issued.body.number)}`)).status).toBe(200);
  });
});
