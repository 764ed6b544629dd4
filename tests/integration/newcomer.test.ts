import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttendanceChanged, ScanAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, openActivityNow, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let board: Socket;
let kiosk: Socket;

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  const boardDevice = await pairDevice(api, 'board');
  board = await connectSocket(t.url, '/board', { token: boardDevice.token });
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
});

afterAll(async () => {
  board?.close();
  kiosk?.close();
  await t?.destroy();
});

const boardEvent = () =>
  new Promise<AttendanceChanged>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no board event')), 10_000);
    board.once('attendance:changed', (event: AttendanceChanged) => {
      clearTimeout(timer);
      resolve(event);
    });
  });

describe('staff-assisted check-in over HTTP', () => {
  it('finds a person by pinyin initials, signs them in and out, announces it on the board and audits it under the staff member', async () => {
    const activity = await openActivityNow(api, '敬老院探访');
    const person = await registerVolunteer(api, '王秀英');
    const found = await api.get(`/api/assisted-checkin/people?q=wxy`);
    expect(found.status).toBe(200);
    expect(found.body.items).toMatchObject([{ id: person.id, name: '王秀英', onSite: null }]);

    const announced = boardEvent();
    const signIn = await api.post('/api/assisted-checkin', { volunteerId: person.id, action: 'check-in' });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({ ok: true, action: 'check-in', activity: { id: activity.id } });
    expect(await announced).toMatchObject({ action: 'check-in', volunteer: { id: person.id } });
    expect((await api.get(`/api/assisted-checkin/people?q=${person.cardNo}`)).body.items[0].onSite).toMatchObject({ activityId: activity.id });

    // The staff member's choice is checked against the state: signing in someone already in is refused, not turned into a sign-out.
    const attendance = (await api.get(`/api/activities/${activity.id}/attendance`)).body.items;
    expect(attendance).toMatchObject([{ volunteerId: person.id, source: 'assisted', assistedBy: 'staff:admin' }]);
    const again = await api.post('/api/assisted-checkin', { volunteerId: person.id, action: 'check-in' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');

    const signOut = await api.post('/api/assisted-checkin', { volunteerId: person.id, action: 'check-out' });
    expect(signOut.body).toMatchObject({ action: 'check-out', activity: { id: activity.id } });
    const audit = (await api.get('/api/audit')).body.items as { actor: string; action: string; target: string }[];
    expect(audit.filter((e) => e.action.startsWith('attendance.assisted-')).map((e) => [e.actor, e.action])).toEqual(
      expect.arrayContaining([
        ['staff:admin', 'attendance.assisted-check-in'],
        ['staff:admin', 'attendance.assisted-check-out'],
      ]),
    );
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('a scan and an assisted check-in share one state: a card scanned after an assisted sign-in signs out', async () => {
    const activity = await openActivityNow(api, '河道巡查');
    const person = await registerVolunteer(api, '李建国');
    expect((await api.post('/api/assisted-checkin', { volunteerId: person.id, action: 'check-in' })).status).toBe(200);
    const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: person.cardCode, scannedAt: new Date().toISOString() });
    expect(ack).toMatchObject({ ok: true, action: 'check-out' });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });
  });

  it('refuses bad input with 400, a full activity with ACTIVITY_FULL, and roles without attendance:write with 403', async () => {
    expect((await api.post('/api/assisted-checkin', { volunteerId: 'x', action: 'dance' })).status).toBe(400);
    expect((await api.get('/api/assisted-checkin/people?q=')).status).toBe(400);
    const activity = (await api.post('/api/activities', { title: '小课堂', startsAt: new Date(Date.now() - 3600_000).toISOString(), endsAt: new Date(Date.now() + 3600_000).toISOString(), capacity: 1 })).body;
    const [a, b] = [await registerVolunteer(api, '甲'), await registerVolunteer(api, '乙')];
    expect((await api.post('/api/assisted-checkin', { volunteerId: a.id, action: 'check-in' })).status).toBe(200);
    const full = await api.post('/api/assisted-checkin', { volunteerId: b.id, action: 'check-in' });
    expect([full.status, full.body.error.code]).toEqual([409, 'ACTIVITY_FULL']);
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });

    expect((await api.post('/api/staff', { username: 'tv-viewer', role: 'viewer', password: 'password-123' })).status).toBe(201);
    const viewer = await new ApiClient(t.url).login('tv-viewer', 'password-123');
    expect((await viewer.post('/api/assisted-checkin', { volunteerId: a.id, action: 'check-out' })).status).toBe(403);
    expect((await viewer.get('/api/assisted-checkin/people?q=jia')).status).toBe(403);
  });
});

describe('the home page over HTTP', () => {
  it('shows today’s activity with who is on site and ticks the checklist from the state; staff only', async () => {
    const activity = await openActivityNow(api, '社区义诊');
    const person = await registerVolunteer(api, '周桂兰');
    await api.post('/api/assisted-checkin', { volunteerId: person.id, action: 'check-in' });
    const home = await api.get('/api/home');
    expect(home.status).toBe(200);
    const today = home.body.activities.find((a: { id: string }) => a.id === activity.id);
    expect(today.onSite).toMatchObject([{ volunteerId: person.id, name: '周桂兰' }]);
    const steps = Object.fromEntries(home.body.checklist.map((s: { step: string; done: boolean }) => [s.step, s.done]));
    // Volunteers, an activity and a paired tablet exist; no card was printed and the center keeps its default name.
    expect(steps).toEqual({ center: false, volunteers: true, cards: false, kiosk: true, activity: true });
    expect((await api.patch('/api/settings', { centerName: '幸福里社区志愿驿站' })).status).toBe(200);
    expect((await api.get('/api/home')).body.checklist[0]).toEqual({ step: 'center', done: true });
    await api.patch(`/api/activities/${activity.id}`, { status: 'closed' });

    const viewer = await new ApiClient(t.url).login('tv-viewer', 'password-123');
    expect((await viewer.get('/api/home')).status).toBe(403);
  });
});

describe('bulk 补录 over HTTP', () => {
  it('saves a whole paper sheet in one commit, refuses the same sheet again (overlap) with nothing saved, and audits the batch', async () => {
    const start = Date.now() - 3 * 86400_000;
    const activity = (await api.post('/api/activities', { title: '河道清理', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * 3600_000).toISOString() })).body;
    const people = [await registerVolunteer(api, '纸表甲'), await registerVolunteer(api, '纸表乙')];
    const sheet = {
      activityId: activity.id,
      reason: '纸质签到表补录',
      entries: people.map((p) => ({ volunteerId: p.id, checkInAt: new Date(start).toISOString(), checkOutAt: new Date(start + 2 * 3600_000).toISOString() })),
    };
    const saved = await api.post('/api/attendance/bulk', sheet);
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ added: 2, hours: 4 });
    expect((await api.get(`/api/volunteers/${people[0]!.id}`)).body.hours).toBe(2);

    const again = await api.post('/api/attendance/bulk', { ...sheet, entries: [...sheet.entries, { volunteerId: (await registerVolunteer(api, '纸表丙')).id, checkInAt: sheet.entries[0]!.checkInAt, checkOutAt: sheet.entries[0]!.checkOutAt }] });
    expect(again.status).toBe(409);
    expect(again.body.error.details.problems.map((p: { index: number; problem: string }) => [p.index, p.problem])).toEqual([[0, 'OVERLAP'], [1, 'OVERLAP']]);
    // All or nothing: the third, valid line was not saved either.
    expect((await api.get(`/api/activities/${activity.id}/attendance`)).body.items).toHaveLength(2);

    const audit = (await api.get('/api/audit')).body.items as { action: string; summary?: string }[];
    expect(audit.filter((e) => e.action === 'attendance.bulk-added').map((e) => e.summary)).toEqual(['河道清理: 2 · 纸质签到表补录']);
    expect((await api.post('/api/attendance/bulk', { ...sheet, entries: [] })).status).toBe(400);
  });
});
