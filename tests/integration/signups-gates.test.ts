import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { dayKey } from '../../server/src/domain/time-zone.ts';
import { adminClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, ApiClient, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;

const hour = 3600_000;
const scan = (code: string, activityId: string) => emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code, scannedAt: new Date().toISOString(), activityId });
const today = () => dayKey(new Date(), 'Asia/Shanghai');

async function activity(fields: Record<string, unknown>, startsInHours = 24) {
  const start = Date.now() + startsInHours * hour;
  const response = await api.post('/api/activities', { title: '河道巡查', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * hour).toISOString(), ...fields });
  expect(response.status).toBe(201);
  return response.body as { id: string };
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
  const { token } = await pairDevice(api, 'checkin');
  kiosk = await connectSocket(t.url, '/kiosk', { token });
});

afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('sign-ups (DESIGN §8)', () => {
  it('confirms up to the capacity, waitlists the rest, lists them with status, and a cancel promotes the first waiting', async () => {
    const a = await activity({ capacity: 2 });
    const people = [];
    for (const [i, name] of ['甲一', '乙二', '丙三', '丁四'].entries()) people.push(await registerVolunteer(api, name, `1390000000${i}`));
    const statuses: string[] = [];
    for (const p of people) {
      const response = await api.post(`/api/activities/${a.id}/signups`, { volunteerId: p.id });
      expect(response.status).toBe(201);
      statuses.push(response.body.status);
    }
    expect(statuses).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);

    const list = await api.get(`/api/activities/${a.id}/signups`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { volunteerId: string; status: string }) => [s.volunteerId, s.status])).toEqual(people.map((p, i) => [p.id, statuses[i]]));
    expect(list.body.items[0]).toMatchObject({ name: '甲一', phone: expect.not.stringContaining('13900000000') });

    const cancelled = await api.request('DELETE', `/api/activities/${a.id}/signups/${people[0]!.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.promoted.map((s: { volunteerId: string }) => s.volunteerId)).toEqual([people[2]!.id]);
    const after = await api.get(`/api/activities/${a.id}/signups`);
    expect(after.body.items.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'confirmed', 'confirmed', 'waitlisted']);

    // Raising the capacity moves the waiting list up too.
    await api.patch(`/api/activities/${a.id}`, { capacity: 3 });
    const raised = await api.get(`/api/activities/${a.id}/signups`);
    expect(raised.body.items.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'confirmed', 'confirmed', 'confirmed']);

    const sheet = await api.get(`/api/activities/${a.id}/signups.csv`);
    expect(sheet.status).toBe(200);
    expect(sheet.body).toContain('乙二');
    expect(sheet.body).toContain('已确认');
  });

  it('refuses after the deadline, and bad input is a 4xx', async () => {
    const a = await activity({ signupDeadline: new Date(Date.now() - 60_000).toISOString() });
    const v = await registerVolunteer(api, '晚报名');
    const late = await api.post(`/api/activities/${a.id}/signups`, { volunteerId: v.id });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SIGNUP_DEADLINE_PASSED');
    expect((await api.post(`/api/activities/${a.id}/signups`, {})).status).toBe(400);
    expect((await api.post(`/api/activities/nope/signups`, { volunteerId: v.id })).status).toBe(404);
    expect((await new ApiClient(t.url).post(`/api/activities/${a.id}/signups`, { volunteerId: v.id })).status).toBe(401);
  });

  it('a confirmed sign-up with no attendance is a no-show once the activity is over; staff can excuse it', async () => {
    const a = await activity({});
    const came = await registerVolunteer(api, '来了的');
    const absent = await registerVolunteer(api, '没来的');
    await api.post(`/api/activities/${a.id}/signups`, { volunteerId: came.id });
    await api.post(`/api/activities/${a.id}/signups`, { volunteerId: absent.id });
    // Move the activity so it is on now: sign-in works; nobody is a no-show yet.
    await api.patch(`/api/activities/${a.id}`, { startsAt: new Date(Date.now() - hour).toISOString(), endsAt: new Date(Date.now() + hour).toISOString() });
    expect(await scan(came.cardCode, a.id)).toMatchObject({ ok: true, action: 'check-in' });
    expect((await api.get(`/api/volunteers/${absent.id}`)).body.noShows).toBe(0);
    // Now it ended long ago (beyond grace).
    await api.patch(`/api/activities/${a.id}`, { startsAt: new Date(Date.now() - 5 * hour).toISOString(), endsAt: new Date(Date.now() - 3 * hour).toISOString() });
    expect((await api.get(`/api/volunteers/${absent.id}`)).body.noShows).toBe(1);
    expect((await api.get(`/api/volunteers/${came.id}`)).body.noShows).toBe(0);
    const list = await api.get(`/api/activities/${a.id}/signups`);
    expect(list.body.items.find((s: { volunteerId: string }) => s.volunteerId === absent.id)).toMatchObject({ noShow: true, attended: false });

    // The pause: one unexcused no-show is the limit here.
    await api.patch('/api/settings', { signups: { pauseAfterNoShows: 1 } });
    const next = await activity({});
    const paused = await api.post(`/api/activities/${next.id}/signups`, { volunteerId: absent.id });
    expect(paused.status).toBe(409);
    expect(paused.body.error.code).toBe('SIGNUPS_PAUSED');
    const excused = await api.post(`/api/activities/${a.id}/signups/${absent.id}/excuse`, { reason: '生病，提前打过电话' });
    expect(excused.status).toBe(200);
    expect((await api.get(`/api/volunteers/${absent.id}`)).body).toMatchObject({ noShows: 1, excusedNoShows: 1 });
    expect((await api.post(`/api/activities/${next.id}/signups`, { volunteerId: absent.id })).status).toBe(201);
    await api.patch('/api/settings', { signups: { pauseAfterNoShows: null } });
  });

  it('a sign-up-only activity refuses a walk-in at the kiosk with SIGNUP_REQUIRED; an ordinary one takes walk-ins', async () => {
    const only = await activity({ signupOnly: true, title: '只限报名' }, -1);
    const walkIn = await registerVolunteer(api, '散客');
    const refused = await scan(walkIn.cardCode, only.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'SIGNUP_REQUIRED' } });
    const open = await activity({ title: '随到随签' }, -1);
    expect(await scan(walkIn.cardCode, open.id)).toMatchObject({ ok: true, action: 'check-in' });
    expect(await scan(walkIn.cardCode, open.id)).toMatchObject({ ok: true, action: 'check-out' });
  });
});

describe('trainings, insurance and the gate (DESIGN §8)', () => {
  it('INSURANCE_REQUIRED at the kiosk until a policy covers today; a staff pass lets one through (audited)', async () => {
    const a = await activity({ requiresInsurance: true, title: '高空清洁' }, -1);
    const v = await registerVolunteer(api, '无保险');
    const refused = await scan(v.cardCode, a.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INSURANCE_REQUIRED' } });
    const override = await api.post(`/api/activities/${a.id}/gate-passes`, { volunteerId: v.id, code: 'INSURANCE_REQUIRED', reason: '保单在路上，主任同意' });
    expect(override.status).toBe(201);
    expect(await scan(v.cardCode, a.id)).toMatchObject({ ok: true, action: 'check-in' });
    await scan(v.cardCode, a.id);
    const audit = await api.get('/api/audit?q=gate.overridden');
    expect(audit.body.items.some((e: { summary: string }) => e.summary.includes('保单在路上'))).toBe(true);

    const insured = await registerVolunteer(api, '有保险');
    expect(await scan(insured.cardCode, a.id)).toMatchObject({ ok: false, error: { code: 'INSURANCE_REQUIRED' } });
    const policy = await api.post(`/api/volunteers/${insured.id}/insurance`, { insurer: '中国人保', policyNo: 'PICC-2026-001', from: today(), to: today() });
    expect(policy.status).toBe(201);
    expect(await scan(insured.cardCode, a.id)).toMatchObject({ ok: true, action: 'check-in' });
    await scan(insured.cardCode, a.id);
    const expiring = await api.get('/api/insurance?expiring=1&days=30');
    expect(expiring.body.items.map((p: { policyNo: string }) => p.policyNo)).toContain('PICC-2026-001');
    const bad = await api.post(`/api/volunteers/${insured.id}/insurance`, { insurer: 'x', policyNo: 'y', from: '2026-02-01', to: '2026-01-01' });
    expect(bad.status).toBe(400);
  });

  it('TRAINING_REQUIRED until the volunteer attended a training of the category; training hours stay out of service hours', async () => {
    const a = await activity({ requiredTrainings: ['急救'], title: '马拉松医疗点' }, -1);
    const v = await registerVolunteer(api, '待培训');
    const refused = await scan(v.cardCode, a.id);
    expect(refused).toMatchObject({ ok: false, error: { code: 'TRAINING_REQUIRED', details: { missing: ['急救'] } } });
    const training = await api.post('/api/trainings', { title: '红十字救护员培训', category: '急救', date: today(), hours: 8, trainer: '市红十字会' });
    expect(training.status).toBe(201);
    const attendees = await api.post(`/api/trainings/${training.body.id}/attendees`, { volunteerIds: [v.id] });
    expect(attendees.status).toBe(200);
    const figures = (await api.get(`/api/volunteers/${v.id}`)).body;
    expect(figures).toMatchObject({ trainingHours: 8, hours: 0, stars: 0 });
    expect(await scan(v.cardCode, a.id)).toMatchObject({ ok: true, action: 'check-in' });
    await scan(v.cardCode, a.id);

    const other = await registerVolunteer(api, '放行的');
    expect(await scan(other.cardCode, a.id)).toMatchObject({ ok: false, error: { code: 'TRAINING_REQUIRED' } });
    expect((await api.post(`/api/activities/${a.id}/gate-passes`, { volunteerId: other.id, code: 'TRAINING_REQUIRED', reason: '持有医师证' })).status).toBe(201);
    expect(await scan(other.cardCode, a.id)).toMatchObject({ ok: true, action: 'check-in' });
    expect((await api.post(`/api/activities/${a.id}/gate-passes`, { volunteerId: other.id, code: 'NOPE', reason: 'x' })).status).toBe(400);
  });

  it('a group policy covering a team insures its members', async () => {
    const team = await api.post('/api/teams', { name: '河道队' });
    const member = await api.post('/api/volunteers', { name: '队员甲', teamIds: [team.body.id] });
    const a = await activity({ requiresInsurance: true, title: '河道清淤' }, -1);
    expect(await scan(member.body.cardCode, a.id)).toMatchObject({ ok: false, error: { code: 'INSURANCE_REQUIRED' } });
    const group = await api.post('/api/insurance', { insurer: '平安', policyNo: 'PA-G-1', from: today(), to: today(), teamIds: [team.body.id] });
    expect(group.status).toBe(201);
    expect(await scan(member.body.cardCode, a.id)).toMatchObject({ ok: true, action: 'check-in' });
  });
});
