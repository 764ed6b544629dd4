import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeLinkAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

/** Sign-ups and service tasks from the volunteer's own phone: the volunteer comes from the phone session only. */

const RESIDENT_PHONE = '13912345678';
const RESIDENT_ADDRESS = '幸福小区3栋502';
const SECRET_TAG = '低保户';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
const hour = 3600_000;

/** A phone session made the real way: me:link at a kiosk, then the phone opens the link. */
async function phoneFor(code: string): Promise<ApiClient> {
  const ack = await emitWithAck<MeLinkAck>(kiosk, 'me:link', { code });
  if (!ack.ok) throw new Error(`me:link failed: ${JSON.stringify(ack)}`);
  const response = await fetch(ack.url, { redirect: 'manual' });
  const phone = new ApiClient(t.url);
  phone.cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return phone;
}

async function activityTomorrow(title: string, capacity?: number): Promise<string> {
  const start = Date.now() + 24 * hour;
  const response = await api.post('/api/activities', { title, place: '社区广场', startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * hour).toISOString(), ...(capacity ? { capacity } : {}) });
  expect(response.status).toBe(201);
  return response.body.id;
}

function expectNoPersonalData(body: unknown): void {
  const text = JSON.stringify(body);
  for (const secret of [RESIDENT_PHONE, RESIDENT_ADDRESS, SECRET_TAG, '刘桂兰', '5678', '502']) expect(text).not.toContain(secret);
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  kiosk = await connectSocket(t.url, '/kiosk', { token: (await pairDevice(api, 'checkin')).token });
});
afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('/api/me sign-ups', () => {
  it('signs up, waitlists at capacity, cancels and promotes; another volunteer is never named', async () => {
    const wang = await registerVolunteer(api, '王小明', '13800001111');
    const li = await registerVolunteer(api, '李华', '13900002222');
    const wangPhone = await phoneFor(wang.cardCode);
    const liPhone = await phoneFor(li.cardCode);
    const activityId = await activityTomorrow('敬老院探访', 1);

    expect((await new ApiClient(t.url).get('/api/me/activities')).status).toBe(401);
    const listed = await wangPhone.get('/api/me/activities');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ id: activityId, title: '敬老院探访', capacity: 1, placesLeft: 1, open: true }));

    const first = await wangPhone.post('/api/me/signups', { activityId });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: activityId, placesLeft: 0, mine: { status: 'confirmed' } });
    const again = await wangPhone.post('/api/me/signups', { activityId });
    expect(again.status).toBe(200);
    expect(again.body.mine.status).toBe('confirmed');

    const second = await liPhone.post('/api/me/signups', { activityId });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ placesLeft: 0, waitlisted: 1, mine: { status: 'waitlisted' } });
    expect((await liPhone.get('/api/me/activities')).body.mine).toContainEqual(expect.objectContaining({ id: activityId, mine: expect.objectContaining({ status: 'waitlisted' }) }));
    // The phone sees counts, never who else signed up.
    expect(JSON.stringify((await liPhone.get('/api/me/activities')).body)).not.toContain(wang.id);

    // A session cannot act for another volunteer: a body naming one is refused, and the staff route is closed to a phone.
    const forOther = await liPhone.post('/api/me/signups', { activityId, volunteerId: wang.id });
    expect(forOther.status).toBe(400);
    expect(forOther.body.error.code).toBe('VALIDATION_FAILED');
    expect((await liPhone.request('DELETE', `/api/activities/${activityId}/signups/${wang.id}`)).status).toBeGreaterThanOrEqual(401);
    expect((await liPhone.post(`/api/activities/${activityId}/signups`, { volunteerId: li.id })).status).toBeGreaterThanOrEqual(401);
    const staffView = (await api.get(`/api/activities/${activityId}/signups`)).body;
    expect(staffView.items.find((s: { volunteerId: string }) => s.volunteerId === wang.id).status).toBe('confirmed');

    const cancelled = await wangPhone.request('DELETE', `/api/me/signups/${activityId}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.mine).toBeUndefined();
    const promoted = (await liPhone.get('/api/me/activities')).body.mine.find((a: { id: string }) => a.id === activityId);
    expect(promoted.mine.status).toBe('confirmed');
    const after = (await api.get(`/api/activities/${activityId}/signups`)).body.items;
    expect(after.find((s: { volunteerId: string }) => s.volunteerId === wang.id)).toMatchObject({ status: 'cancelled', cancelledBy: `volunteer:${wang.id}` });
    expect(after.find((s: { volunteerId: string }) => s.volunteerId === li.id)).toMatchObject({ status: 'confirmed', by: `volunteer:${li.id}` });

    // Cancelling what is not held, or an unknown activity: errors as DESIGN §6, never 5xx.
    const none = await wangPhone.request('DELETE', `/api/me/signups/${activityId}`);
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('NOT_FOUND');
    expect((await wangPhone.post('/api/me/signups', { activityId: 'nope' })).body.error.code).toBe('NOT_FOUND');
    expect((await wangPhone.post('/api/me/signups', {})).status).toBe(400);
  });
});

describe('/api/me tasks', () => {
  it('lists a dispatched task, accepts it idempotently by opId, declines with a reason; no resident personal data', async () => {
    const zhou = await registerVolunteer(api, '周建国', '13700000001');
    const sun = await registerVolunteer(api, '孙丽', '13700000002');
    expect((await api.patch(`/api/volunteers/${zhou.id}`, { skills: ['维修'] })).status).toBe(200);
    const zhouPhone = await phoneFor(zhou.cardCode);
    const sunPhone = await phoneFor(sun.cardCode);
    const resident = await api.post('/api/residents', { name: '刘桂兰', phone: RESIDENT_PHONE, address: RESIDENT_ADDRESS, grid: '二网格', tags: ['独居老人', SECRET_TAG] });
    expect(resident.status).toBe(201);
    const made = async (details: string) => {
      const created = await api.post('/api/service-requests', { category: '维修', details, residentId: resident.body.id, skills: ['维修'] });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const fixTap = await made('厨房水龙头漏水');
    const fixLight = await made('楼道灯不亮');
    const openOne = await made('门锁松动');
    expect((await api.post(`/api/service-requests/${fixTap}/dispatch`, { volunteerIds: [zhou.id] })).status).toBe(200);
    expect((await api.post(`/api/service-requests/${fixLight}/dispatch`, { volunteerIds: [zhou.id] })).status).toBe(200);

    const tasks = await zhouPhone.get('/api/me/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toContainEqual(expect.objectContaining({ requestId: fixTap, mine: 'dispatched', residentName: '刘*兰' }));
    expect(tasks.body.items).toContainEqual(expect.objectContaining({ requestId: openOne, mine: 'open' }));
    expectNoPersonalData(tasks.body);
    // Sun has no 维修 skill and nothing dispatched: none of these.
    expect((await sunPhone.get('/api/me/tasks')).body.items).toEqual([]);

    const opId = 'phone-accept-0001';
    const accepted = await zhouPhone.post(`/api/me/tasks/${fixTap}/accept`, { opId });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ ok: true, opId, requestId: fixTap, status: 'accepted' });
    expectNoPersonalData(accepted.body);
    const replayed = await zhouPhone.post(`/api/me/tasks/${fixTap}/accept`, { opId });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ ...accepted.body, replayed: true });
    const staff = (await api.get(`/api/service-requests/${fixTap}`)).body;
    expect(staff.status).toBe('accepted');
    expect(staff.history.filter((h: { status: string }) => h.status === 'accepted')).toHaveLength(1);
    expect((await zhouPhone.get('/api/me/tasks')).body.items).toContainEqual(expect.objectContaining({ requestId: fixTap, mine: 'accepted' }));
    // The same opId for another request is refused, not silently answered.
    expect((await zhouPhone.post(`/api/me/tasks/${fixLight}/accept`, { opId })).body.error.code).toBe('OP_ID_REUSED');

    // A phone cannot answer a task dispatched to someone else, nor name a volunteer in the body.
    const other = await sunPhone.post(`/api/me/tasks/${fixLight}/decline`, { opId: 'phone-decline-other', reason: '没空' });
    expect(other.status).toBeGreaterThanOrEqual(400);
    expect(other.status).toBeLessThan(500);
    expect((await sunPhone.post(`/api/me/tasks/${fixLight}/accept`, { opId: 'phone-accept-other', volunteerId: zhou.id })).status).toBe(400);

    expect((await zhouPhone.post(`/api/me/tasks/${fixLight}/decline`, { opId: 'phone-decline-0001' })).status).toBe(400);
    const declined = await zhouPhone.post(`/api/me/tasks/${fixLight}/decline`, { opId: 'phone-decline-0001', reason: '这周出差' });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ ok: true, requestId: fixLight });
    const light = (await api.get(`/api/service-requests/${fixLight}`)).body;
    expect(light.assignments.find((a: { volunteerId: string }) => a.volunteerId === zhou.id)).toMatchObject({ status: 'declined' });
    expect(JSON.stringify(light)).toContain('这周出差');
    // Declined by its only volunteer it goes back to the open list (same rule as the kiosk): no longer his.
    const mineNow = (await zhouPhone.get('/api/me/tasks')).body.items.filter((i: { requestId: string; mine: string }) => i.requestId === fixLight && i.mine !== 'open');
    expect(mineNow).toEqual([]);
    expect((await zhouPhone.post(`/api/me/tasks/nope/accept`, { opId: 'phone-accept-none' })).body.error.code).toBe('NOT_FOUND');
  });
});
