import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardState } from '../../server/src/protocol/board.ts';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation, connectUnlockedCounter } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let counter: Socket;
let boardSocket: Socket;
let boardToken: string;

async function getBoard(): Promise<BoardState> {
  const response = await new ApiClient(t.url).request('GET', '/api/board', undefined, { authorization: `Bearer ${boardToken}` });
  expect(response.status).toBe(200);
  return response.body as BoardState;
}

function nextStale(): Promise<{ version: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no board:stale')), 3000);
    boardSocket.once('board:stale', (payload: { version: number }) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  counter = await connectUnlockedCounter(t.url, (await pairDevice(api, 'counter')).token);
  boardToken = (await pairDevice(api, 'board')).token;
  boardSocket = await connectSocket(t.url, '/board', { token: boardToken });
});

afterAll(async () => {
  counter?.close();
  boardSocket?.close();
  await t?.destroy();
});

describe('public redemption list on the board', () => {
  it('is absent until the center turns it on, then lists a counter redemption with a masked name and no phone or card code', async () => {
    const volunteer = await registerVolunteer(api, '陈美玲', '13600001234');
    await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 10, reason: '测试积分' });
    const rice = (await api.post('/api/goods', { name: '大米', points: 4, stock: 5 })).body.id as string;

    expect(await getBoard()).not.toHaveProperty('redemptions');
    const patched = await api.patch('/api/settings', { board: { showRedemptions: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.board).toEqual({ showRedemptions: true });
    expect((await getBoard()).redemptions).toEqual([]);

    const stale = nextStale();
    const ack = await emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code: volunteer.cardCode, items: [{ goodsId: rice, quantity: 1 }] });
    expect(ack).toMatchObject({ ok: true });
    await stale;

    const board = await getBoard();
    expect(board.redemptions).toEqual([{ redemptionId: expect.any(String), displayName: '陈*玲', items: ['大米×1'], points: 4, at: expect.any(String) }]);
    const text = JSON.stringify(board);
    expect(text).not.toContain('13600001234');
    expect(text).not.toContain(volunteer.cardCode);
    expect(text).not.toContain(volunteer.cardNo);
    expect(text).not.toContain('陈美玲');

    // A void takes the line off the board at once.
    const voided = nextStale();
    expect((await api.post(`/api/redemptions/${ack.ok ? ack.redemptionId : ''}/void`, { reason: '拿错了' })).status).toBe(200);
    await voided;
    expect((await getBoard()).redemptions).toEqual([]);
  });

  it('a redemption does not disturb the board while the setting is off', async () => {
    await api.patch('/api/settings', { board: { showRedemptions: false } });
    const volunteer = await registerVolunteer(api, '周小川', '13600005678');
    await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 10, reason: '测试积分' });
    const oil = (await api.post('/api/goods', { name: '食用油', points: 3, stock: 5 })).body.id as string;
    const before = (await getBoard()).version;
    const ack = await emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code: volunteer.cardCode, items: [{ goodsId: oil, quantity: 1 }] });
    expect(ack).toMatchObject({ ok: true });
    const board = await getBoard();
    expect(board.version).toBe(before);
    expect(board).not.toHaveProperty('redemptions');
  });
});
