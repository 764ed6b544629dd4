import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

/** The station's clock, moved by the test: Tuesday 10 March 2026, 09:00 in Beijing. */
const clock = { time: new Date('2026-03-10T01:00:00.000Z'), now() { return new Date(this.time); } };

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let watcher: Socket;

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin', 'training kiosk')).token });
  watcher = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin', 'second kiosk')).token });
});

afterAll(async () => {
  kiosk?.close();
  watcher?.close();
  await t?.destroy();
});

const attend = (code: string, trainingId: string) => emitWithAck<any>(kiosk, 'training:attend', { opId: randomUUID(), code, trainingId });
/** The next `trainings:changed` a kiosk receives. */
const nextTrainings = () => new Promise<{ id: string }[]>((resolve) => watcher.once('trainings:changed', resolve));

describe('trainings opened and closed explicitly at the kiosk', () => {
  it('a training of today takes no scans until staff open it, then until they close it; kiosks are told at once; audited', async () => {
    const training = (await api.post('/api/trainings', { title: '心肺复苏培训', category: '急救', date: '2026-03-10', hours: 2 })).body;
    expect(training).toMatchObject({ phase: 'planned', canOpen: true });
    const v = await registerVolunteer(api, '培训甲', '13700000101');
    const w = await registerVolunteer(api, '培训乙', '13700000102');

    expect((await emitWithAck<any>(kiosk, 'state:get')).trainingsToday).toEqual([]);
    expect(await attend(v.cardCode, training.id)).toMatchObject({ ok: false, error: { code: 'TRAINING_NOT_OPEN', details: { phase: 'planned' } } });

    const told = nextTrainings();
    const opened = await api.post(`/api/trainings/${training.id}/open`);
    expect(opened).toMatchObject({ status: 200, body: { phase: 'open', status: 'open', openedAt: clock.now().toISOString() } });
    expect((await told).map((x) => x.id)).toEqual([training.id]);
    expect((await emitWithAck<any>(kiosk, 'state:get')).trainingsToday.map((x: { id: string }) => x.id)).toEqual([training.id]);
    expect(await attend(v.cardCode, training.id)).toMatchObject({ ok: true, alreadyAttended: false, attendeeCount: 1 });

    clock.time = new Date('2026-03-10T03:00:00.000Z');
    const toldClosed = nextTrainings();
    expect((await api.post(`/api/trainings/${training.id}/close`)).body).toMatchObject({ phase: 'closed', closedAt: clock.now().toISOString() });
    expect(await toldClosed).toEqual([]);
    expect((await emitWithAck<any>(kiosk, 'state:get')).trainingsToday).toEqual([]);
    expect(await attend(w.cardCode, training.id)).toMatchObject({ ok: false, error: { code: 'TRAINING_NOT_OPEN', details: { phase: 'closed' } } });
    expect((await api.get(`/api/trainings/${training.id}`)).body.attendeeIds).toEqual([v.id]);

    // Closed too early: opened again the same day.
    expect((await api.post(`/api/trainings/${training.id}/open`)).body.phase).toBe('open');
    expect(await attend(w.cardCode, training.id)).toMatchObject({ ok: true, attendeeCount: 2 });

    const audit = (await api.get('/api/audit?q=training.')).body.items.map((e: { action: string }) => e.action);
    expect(audit.filter((a: string) => a === 'training.opened')).toHaveLength(2);
    expect(audit).toContain('training.closed');
  });

  it('an opened training closes by itself when its day is over, and another day’s training cannot be opened', async () => {
    clock.time = new Date('2026-03-10T08:00:00.000Z');
    const training = (await api.post('/api/trainings', { title: '消防演练', category: '消防', date: '2026-03-10', hours: 1 })).body;
    const tomorrow = (await api.post('/api/trainings', { title: '助老护理', category: '助老护理', date: '2026-03-11', hours: 1 })).body;
    expect(tomorrow).toMatchObject({ phase: 'planned', canOpen: false });
    expect(await api.post(`/api/trainings/${tomorrow.id}/open`)).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', details: { reason: 'not-today' } } } });
    expect((await api.post(`/api/trainings/${training.id}/open`)).body.phase).toBe('open');
    const v = await registerVolunteer(api, '培训丙', '13700000103');

    // 00:10 on 11 March in Beijing.
    clock.time = new Date('2026-03-10T16:10:00.000Z');
    expect((await api.get(`/api/trainings/${training.id}`)).body.phase).toBe('closed');
    expect((await emitWithAck<any>(kiosk, 'state:get')).trainingsToday.map((x: { id: string }) => x.id)).not.toContain(training.id);
    expect(await attend(v.cardCode, training.id)).toMatchObject({ ok: false, error: { code: 'TRAINING_NOT_OPEN', details: { phase: 'closed' } } });
    // Tomorrow's training is today's now, and only staff open it.
    expect((await api.get(`/api/trainings/${tomorrow.id}`)).body).toMatchObject({ phase: 'planned', canOpen: true });
  });

  it('only staff who run activities open or close a training; a counter account cannot', async () => {
    const training = (await api.post('/api/trainings', { title: '心理疏导', category: '心理疏导', date: '2026-03-11', hours: 1 })).body;
    expect((await api.post('/api/staff', { username: 'till', password: 'till-pass-1', role: 'counter', displayName: '收银' })).status).toBe(201);
    const counter = await new ApiClient(t.url).login('till', 'till-pass-1');
    expect((await counter.post(`/api/trainings/${training.id}/open`)).status).toBe(403);
    expect((await new ApiClient(t.url).post(`/api/trainings/${training.id}/open`)).status).toBe(401);
    expect((await api.post('/api/trainings/nope/open')).status).toBe(404);
  });
});
