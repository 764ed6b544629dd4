import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceChanged, ScanAck } from '../../server/src/protocol/events.ts';
import { errorCodes } from '../../server/src/protocol/errors.ts';
import { dayKey } from '../../server/src/domain/time-zone.ts';
import {
  adminClient, connectSocket, emitWithAck, openActivityNow as openActivity, pairDevice, registerVolunteer, startStation,
  ApiClient, type TestStation,
} from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let board: Socket;
let token: string;

/** Activities a test opened; each is closed after its test even when the test fails, so one failure cannot leave the next test with two open activities. */
const opened: string[] = [];
const openActivityNow: typeof openActivity = async (...args) => {
  const activity = await openActivity(...args);
  opened.push(activity.id);
  return activity;
};

afterEach(async () => {
  for (const id of opened.splice(0)) await api.patch(`/api/activities/${id}`, { status: 'closed' });
});

const scan = (code: string, extra: Record<string, unknown> = {}) =>
  emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code, scannedAt: new Date().toISOString(), ...extra });

function nextBoardEvent(): Promise<AttendanceChanged> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no board event')), 3000);
    board.once('attendance:changed', (event: AttendanceChanged) => {
      clearTimeout(timer);
      resolve(event);
    });
  });
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  ({ token } = await pairDevice(api, 'checkin'));
  kiosk = await connectSocket(t.url, '/kiosk', { token });
  const boardDevice = await pairDevice(api, 'board');
  board = await connectSocket(t.url, '/board', { token: boardDevice.token });
});

afterAll(async () => {
  kiosk?.close();
  board?.close();
  await t?.destroy();
});

describe('scan protocol', () => {
  it('signs in and out, acks with figures, and the board hears both with the volunteer id', async () => {
    const activity = await openActivityNow(api, '敬老院探访');
    const volunteer = await registerVolunteer(api, '张小明', '13800000001');
    const boardIn = nextBoardEvent();
    const checkIn = await scan(volunteer.cardCode);
    expect(checkIn).toMatchObject({ ok: true, action: 'check-in', volunteer: { id: volunteer.id, displayName: '张*明', stars: 0 }, activity: { id: activity.id } });
    const event = await boardIn;
    expect(event).toMatchObject({ action: 'check-in', volunteer: { id: volunteer.id, displayName: '张*明' }, activityId: activity.id });
    expect(event.onSite[activity.id]).toBe(1);
    expect(JSON.stringify(event)).not.toContain('13800000001');

    const boardOut = nextBoardEvent();
    const checkOut = await scan(volunteer.cardCode);
    expect(checkOut).toMatchObject({ ok: true, action: 'check-out', volunteer: { id: volunteer.id } });
    expect((await boardOut).onSite[activity.id] ?? 0).toBe(0);
    const figures = await api.get(`/api/volunteers/${volunteer.id}`);
    expect(figures.body).toMatchObject({ id: volunteer.id, name: '张小明', cardNo: volunteer.cardNo });
    expect(typeof figures.body.points).toBe('number');
    expect(typeof figures.body.hours).toBe('number');
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('credits hours and points on sign-out, from the kiosk time of the scans', async () => {
    const activity = await openActivityNow(api, '垃圾分类宣传');
    const volunteer = await registerVolunteer(api, '李秀英', '13800000002');
    // Signed in 95 minutes ago on the tablet's clock (e.g. queued offline): credited 1.5 h, rounded down.
    const start = Date.now() - 95 * 60_000;
    expect(await scan(volunteer.cardCode, { scannedAt: new Date(start).toISOString() })).toMatchObject({ ok: true, action: 'check-in', at: new Date(start).toISOString() });
    const out = await scan(volunteer.cardCode);
    expect(out).toMatchObject({ ok: true, action: 'check-out', hoursEarned: 1.5, pointsEarned: 1.5, volunteer: { totalHours: 1.5, points: 1.5 } });
    // Hours count on the day of the sign-in in the center's zone (near midnight in Beijing that is yesterday).
    const sameDay = dayKey(new Date(start), 'Asia/Shanghai') === dayKey(new Date(), 'Asia/Shanghai');
    expect((out as { todayHours: number }).todayHours).toBe(sameDay ? 1.5 : 0);
    const read = await api.get(`/api/volunteers/${volunteer.id}`);
    expect(read.body).toMatchObject({ hours: 1.5, points: 1.5 });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('the same scanId returns the same result and changes nothing', async () => {
    const activity = await openActivityNow(api, '义诊');
    const volunteer = await registerVolunteer(api, '王芳', '13800000003');
    const payload = { scanId: randomUUID(), code: volunteer.cardCode, scannedAt: new Date().toISOString() };
    const first = await emitWithAck<ScanAck>(kiosk, 'scan', payload);
    const again = await emitWithAck<ScanAck>(kiosk, 'scan', payload);
    expect(first).toMatchObject({ ok: true, action: 'check-in' });
    expect(again).toMatchObject({ ...first, replayed: true });
    const attendance = await api.get(`/api/volunteers/${volunteer.id}/attendance`);
    expect(attendance.body.items).toHaveLength(1);
    expect(attendance.body.items[0].checkOutAt).toBeUndefined();
    const reused = await emitWithAck<ScanAck>(kiosk, 'scan', { ...payload, code: '100001', phoneLast4: '0001' });
    expect(reused).toMatchObject({ ok: false, scanId: payload.scanId, error: { code: 'SCAN_ID_REUSED' } });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('a second scan within the repeat window changes nothing and says so', async () => {
    await api.patch('/api/settings', { repeatWindowSeconds: 30 });
    const activity = await openActivityNow(api, '图书整理');
    const volunteer = await registerVolunteer(api, '刘洋', '13800000004');
    expect(await scan(volunteer.cardCode)).toMatchObject({ action: 'check-in' });
    expect(await scan(volunteer.cardCode)).toMatchObject({ ok: true, action: 'repeat', previousAction: 'check-in' });
    const attendance = await api.get(`/api/volunteers/${volunteer.id}/attendance`);
    expect(attendance.body.items[0].checkOutAt).toBeUndefined();
    await api.patch('/api/settings', { repeatWindowSeconds: 0 });
    expect(await scan(volunteer.cardCode)).toMatchObject({ action: 'check-out' });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('asks to choose when several activities are open, and accepts the chosen one', async () => {
    const a = await openActivityNow(api, '上午巡逻');
    const b = await openActivityNow(api, '上午义剪');
    const volunteer = await registerVolunteer(api, '陈静', '13800000005');
    const ambiguous = await scan(volunteer.cardCode);
    expect(ambiguous).toMatchObject({ ok: false, error: { code: 'ACTIVITY_REQUIRED' } });
    const offered = (ambiguous as unknown as { error: { details: { openActivities: { id: string }[] } } }).error.details.openActivities.map((x) => x.id);
    expect(offered).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(await scan(volunteer.cardCode, { activityId: b.id })).toMatchObject({ ok: true, action: 'check-in', activity: { id: b.id } });
    for (const id of [a.id, b.id]) await api.patch(`/api/activities/${id}`, { status: 'closed' });
  });

  it('an offline sign-in synced after a newer sign-in on another tablet changes nothing', async () => {
    const activity = await openActivityNow(api, '社区义卖');
    const volunteer = await registerVolunteer(api, '何平', '13800000008');
    expect(await scan(volunteer.cardCode)).toMatchObject({ ok: true, action: 'check-in' });
    const queuedEarlier = await scan(volunteer.cardCode, { scannedAt: new Date(Date.now() - 10 * 60_000).toISOString() });
    expect(queuedEarlier).toMatchObject({ ok: true, action: 'repeat', previousAction: 'check-in' });
    const attendance = await api.get(`/api/volunteers/${volunteer.id}/attendance`);
    expect(attendance.body.items).toHaveLength(1);
    expect(attendance.body.items[0].checkOutAt).toBeUndefined();
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('says so when no activity is open', async () => {
    const volunteer = await registerVolunteer(api, '赵敏', '13800000006');
    expect(await scan(volunteer.cardCode)).toMatchObject({ ok: false, error: { code: 'NO_OPEN_ACTIVITY' } });
  });

  it('takes a card number only with the right last 4 phone digits', async () => {
    const activity = await openActivityNow(api, '便民服务');
    const volunteer = await registerVolunteer(api, '孙丽', '13912345678');
    expect(await scan(volunteer.cardNo)).toMatchObject({ ok: false, error: { code: 'PHONE_DIGITS_REQUIRED' } });
    expect(await scan(volunteer.cardNo, { phoneLast4: '0000' })).toMatchObject({ ok: false, error: { code: 'PHONE_DIGITS_WRONG' } });
    expect(await scan(volunteer.cardNo, { phoneLast4: '5678' })).toMatchObject({ ok: true, action: 'check-in' });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('refuses unknown, forged and replaced cards, and suspended volunteers', async () => {
    const volunteer = await registerVolunteer(api, '周杰', '13800000007');
    expect(await scan('VS1.999999.1.AAAAAAAAAAAA')).toMatchObject({ ok: false, error: { code: 'CARD_FORGED' } });
    expect(await scan('hello')).toMatchObject({ ok: false, error: { code: 'CARD_UNKNOWN' } });
    const forged = volunteer.cardCode.slice(0, -1) + (volunteer.cardCode.endsWith('A') ? 'B' : 'A');
    expect(await scan(forged)).toMatchObject({ ok: false, error: { code: 'CARD_FORGED' } });
    const reissued = await api.post(`/api/volunteers/${volunteer.id}/card`);
    expect(reissued.status).toBe(201);
    expect(await scan(volunteer.cardCode)).toMatchObject({ ok: false, error: { code: 'CARD_REVOKED' } });
    await api.patch(`/api/volunteers/${volunteer.id}`, { status: 'suspended' });
    expect(await scan(reissued.body.cardCode)).toMatchObject({ ok: false, error: { code: 'VOLUNTEER_SUSPENDED' } });
  });

  it('answers garbage payloads with a validation error and keeps serving', async () => {
    for (const payload of [null, 42, 'scan', {}, { scanId: 'not-a-uuid', code: 'x', scannedAt: 'yesterday' }, { scanId: randomUUID(), code: 'x'.repeat(5000), scannedAt: new Date().toISOString() }]) {
      const ack = await emitWithAck<ScanAck>(kiosk, 'scan', payload);
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    // An event without an ack callback must not crash anything either.
    kiosk.emit('scan', { nonsense: true });
    expect((await api.get('/api/health')).status).toBe(200);
    expect(errorCodes).toContain('VALIDATION_FAILED');
  });

  it('a check-in kiosk cannot redeem and a counter cannot scan attendance', async () => {
    const ack = await emitWithAck<{ ok: boolean; error: { code: string } }>(kiosk, 'redeem', { redemptionId: randomUUID(), code: '100001', phoneLast4: '0001', items: [{ goodsId: 'x', quantity: 1 }] });
    expect(ack).toMatchObject({ ok: false, error: { code: 'DEVICE_MODE_FORBIDDEN' } });
    const counter = await pairDevice(api, 'counter');
    const counterSocket = await connectSocket(t.url, '/kiosk', { token: counter.token });
    expect(await emitWithAck(counterSocket, 'scan', { scanId: randomUUID(), code: 'x', scannedAt: new Date().toISOString() })).toMatchObject({ ok: false, error: { code: 'DEVICE_MODE_FORBIDDEN' } });
    counterSocket.close();
  });
});

describe('device tokens', () => {
  it('refuses a missing or wrong token', async () => {
    await expect(connectSocket(t.url, '/kiosk')).rejects.toThrow('DEVICE_TOKEN_INVALID');
    await expect(connectSocket(t.url, '/kiosk', { token: 'x'.repeat(43) })).rejects.toThrow('DEVICE_TOKEN_INVALID');
    await expect(connectSocket(t.url, '/board')).rejects.toThrow('DEVICE_TOKEN_INVALID');
  });

  it('a revoked board is disconnected at once, and a board device pairs in the board app', async () => {
    const created = await api.post('/api/devices', { name: '大厅电视', mode: 'board' });
    expect(created.body.pairingUrl).toBe(`/board/?pair=${created.body.pairingCode}`);
    const paired = await new ApiClient(t.url).post('/api/devices/pair', { pairingCode: created.body.pairingCode });
    const socket = await connectSocket(t.url, '/board', { token: paired.body.token });
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    await api.post(`/api/devices/${created.body.id}/revoke`);
    await disconnected;
  });

  it('a pairing code works once', async () => {
    const created = await api.post('/api/devices', { name: '二号平板', mode: 'checkin' });
    const first = await api.post('/api/devices/pair', { pairingCode: created.body.pairingCode });
    expect(first.status).toBe(200);
    const second = await api.post('/api/devices/pair', { pairingCode: created.body.pairingCode });
    expect(second).toMatchObject({ status: 400, body: { error: { code: 'PAIRING_CODE_INVALID' } } });
  });

  it('revoking a device disconnects it and refuses its token from then on', async () => {
    const device = await pairDevice(api, 'checkin', '待撤销');
    const socket = await connectSocket(t.url, '/kiosk', { token: device.token });
    const revokedEvent = new Promise<void>((resolve) => socket.once('device:revoked', () => resolve()));
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    expect((await api.post(`/api/devices/${device.deviceId}/revoke`)).status).toBe(200);
    await revokedEvent;
    await disconnected;
    await expect(connectSocket(t.url, '/kiosk', { token: device.token })).rejects.toThrow('DEVICE_TOKEN_INVALID');
  });
});
