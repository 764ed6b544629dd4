import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StockChanged } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, connectUnlockedCounter, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
const sockets: Socket[] = [];

/** The admin's socket: the staff cookie in the handshake, as the browser sends it. */
async function connectAdmin(cookie: string | undefined): Promise<Socket> {
  const socket = io(`${t.url}/admin`, { extraHeaders: cookie ? { cookie } : undefined, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves with the next `event` on the socket; rejects after a generous limit. */
function next<T = void>(socket: Socket, event: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

const disconnected = (socket: Socket) => new Promise<void>((resolve) => (socket.disconnected ? resolve() : socket.once('disconnect', () => resolve())));

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t?.destroy();
});

describe('the admin live feed on /admin', () => {
  it('refuses a handshake without a staff session', async () => {
    await expect(connectAdmin(undefined)).rejects.toThrow('UNAUTHENTICATED');
    await expect(connectAdmin('vs_session=not-a-session')).rejects.toThrow('UNAUTHENTICATED');
  });

  it('tells the admin when a tablet comes online and goes offline, and when it is renamed', async () => {
    const admin = await connectAdmin(api.cookie);
    const created = (await api.post('/api/devices', { name: '大厅签到机', mode: 'checkin' })).body;
    const paired = await new ApiClient(t.url).post('/api/devices/pair', { pairingCode: created.pairingCode });
    expect(paired.status).toBe(200);

    const online = next(admin, 'devices:changed');
    const kiosk = await connectSocket(t.url, '/kiosk', { token: paired.body.token });
    await online;
    expect((await api.get('/api/devices')).body.items.find((d: { id: string }) => d.id === created.id)).toMatchObject({ online: true });

    const offline = next(admin, 'devices:changed');
    kiosk.close();
    await offline;
    await expect.poll(async () => (await api.get('/api/devices')).body.items.find((d: { id: string }) => d.id === created.id)?.online, { timeout: 10_000 }).toBe(false);

    const renamed = next(admin, 'devices:changed');
    expect((await api.patch(`/api/devices/${created.id}`, { name: '一楼签到机' })).status).toBe(200);
    await renamed;
  });

  it('sends the new stock after a redemption at a counter and after a stock movement', async () => {
    const admin = await connectAdmin(api.cookie);
    const goods = (await api.post('/api/goods', { name: '洗衣液', points: 5, stock: 10 })).body;
    const volunteer = await registerVolunteer(api, '钱多多', '13800007777');
    expect((await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 20, reason: '测试积分' })).status).toBe(201);
    const counter = await connectUnlockedCounter(t.url, (await pairDevice(api, 'counter')).token);
    sockets.push(counter);

    const afterRedeem = next<StockChanged>(admin, 'stock:changed');
    const ack = await emitWithAck<{ ok: boolean }>(counter, 'redeem', { redemptionId: randomUUID(), code: volunteer.cardCode, items: [{ goodsId: goods.id, quantity: 2 }] });
    expect(ack).toMatchObject({ ok: true });
    expect(await afterRedeem).toEqual({ goodsId: goods.id, stock: 8, low: expect.any(Boolean) });

    const afterReceipt = next<StockChanged>(admin, 'stock:changed');
    expect((await api.post(`/api/goods/${goods.id}/stock`, { delta: 5, kind: 'received' })).status).toBe(201);
    expect(await afterReceipt).toMatchObject({ goodsId: goods.id, stock: 13 });
  });

  it('closes the socket as soon as its session ends, with no broadcast needed', async () => {
    const other = await adminClient(t);
    const admin = await connectAdmin(other.cookie);
    const closed = disconnected(admin);
    expect((await other.post('/api/auth/logout')).status).toBe(200);
    await closed;
    expect(admin.connected).toBe(false);
  });
});
