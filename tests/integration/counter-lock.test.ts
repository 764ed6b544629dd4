import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { ADMIN_PASSWORD, adminClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

// A clock the test moves: the counter's idle time is measured on the server's clock.
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

let t: TestStation;
let api: ApiClient;
let goodsId: string;
let cardCode: string;
const sockets: Socket[] = [];

async function counter(): Promise<{ socket: Socket; token: string; deviceId: string }> {
  const device = await pairDevice(api, 'counter');
  const socket = await connectSocket(t.url, '/kiosk', { token: device.token });
  sockets.push(socket);
  return { socket, ...device };
}

const redeem = (socket: Socket) => emitWithAck<RedeemAck>(socket, 'redeem', { redemptionId: randomUUID(), code: cardCode, items: [{ goodsId, quantity: 1 }] });
const unlock = (socket: Socket) => emitWithAck<{ ok: boolean; unlockToken: string; expiresAt: string; staff: { username: string } }>(socket, 'counter:unlock', { username: 'admin', secret: ADMIN_PASSWORD }, 15_000);

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  goodsId = (await api.post('/api/goods', { name: '牙膏', points: 1, stock: 100 })).body.id;
  const volunteer = await registerVolunteer(api, '吴兑换', '13600001111');
  await api.post(`/api/volunteers/${volunteer.id}/points`, { delta: 50, reason: '测试积分' });
  cardCode = volunteer.cardCode;
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await t?.destroy();
});

describe('the server enforces the counter lock', () => {
  it('refuses redeem on a counter that was never unlocked', async () => {
    const { socket } = await counter();
    expect(await redeem(socket)).toMatchObject({ ok: false, error: { code: 'COUNTER_LOCKED' } });
    expect(await emitWithAck(socket, 'state:get')).toMatchObject({ counterUnlocked: false });
  });

  it('redeems once unlocked, records who served, and refuses again after counter:lock', async () => {
    const { socket } = await counter();
    const unlocked = await unlock(socket);
    expect(unlocked).toMatchObject({ ok: true, staff: { username: 'admin' } });
    expect(unlocked.unlockToken.length).toBeGreaterThanOrEqual(32);
    const ack = await redeem(socket);
    if (!ack.ok) throw new Error(`redeem failed: ${JSON.stringify(ack)}`);
    expect((await api.get(`/api/redemptions/${ack.redemptionId}`)).body.by).toBe('staff:admin');
    expect(await emitWithAck(socket, 'counter:lock')).toEqual({ ok: true });
    expect(await redeem(socket)).toMatchObject({ ok: false, error: { code: 'COUNTER_LOCKED' } });
  });

  it('refuses redeem after the idle time in settings', async () => {
    expect((await api.patch('/api/settings', { counterIdleMinutes: 5 })).status).toBe(200);
    const { socket } = await counter();
    await unlock(socket);
    offsetMs += 4 * 60_000;
    expect(await redeem(socket)).toMatchObject({ ok: true });
    // A redemption is activity: the idle time starts again from it.
    offsetMs += 4 * 60_000;
    expect(await redeem(socket)).toMatchObject({ ok: true });
    offsetMs += 5 * 60_000 + 1000;
    expect(await redeem(socket)).toMatchObject({ ok: false, error: { code: 'COUNTER_LOCKED' } });
  });

  it('after a reconnect with the unlock token it redeems without the secret; a stale or foreign token does not', async () => {
    const first = await counter();
    const { unlockToken } = await unlock(first.socket);
    first.socket.close();
    const again = await connectSocket(t.url, '/kiosk', { token: first.token, unlockToken });
    sockets.push(again);
    expect(await emitWithAck(again, 'state:get')).toMatchObject({ counterUnlocked: true });
    expect(await redeem(again)).toMatchObject({ ok: true });

    // The same unlock token on another counter tablet is worth nothing.
    const other = await pairDevice(api, 'counter');
    const foreign = await connectSocket(t.url, '/kiosk', { token: other.token, unlockToken });
    sockets.push(foreign);
    expect(await redeem(foreign)).toMatchObject({ ok: false, error: { code: 'COUNTER_LOCKED' } });

    // Locked: the token stops working, also for a later reconnect.
    await emitWithAck(again, 'counter:lock');
    const afterLock = await connectSocket(t.url, '/kiosk', { token: first.token, unlockToken });
    sockets.push(afterLock);
    expect(await redeem(afterLock)).toMatchObject({ ok: false, error: { code: 'COUNTER_LOCKED' } });
  });

  it('a staff member disabled after unlocking can no longer redeem there', async () => {
    const staff = (await api.post('/api/staff', { username: 'counter-zoe', role: 'counter', password: 'password-123', displayName: '佐伊' })).body;
    const { socket } = await counter();
    expect(await emitWithAck(socket, 'counter:unlock', { username: 'counter-zoe', secret: 'password-123' }, 15_000)).toMatchObject({ ok: true });
    expect(await redeem(socket)).toMatchObject({ ok: true });
    expect((await api.patch(`/api/staff/${staff.id}`, { disabled: true })).status).toBe(200);
    expect(await redeem(socket)).toMatchObject({ ok: false, error: { code: 'COUNTER_LOCKED' } });
  });
});
