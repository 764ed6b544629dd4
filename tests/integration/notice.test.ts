import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardState } from '../../server/src/protocol/board.ts';
import type { PublicNotice } from '../../server/src/protocol/notices.ts';
import {
  adminClient, ApiClient, connectSocket, pairDevice, registerVolunteer, startStation, type TestStation,
} from '../support/station.ts';

/** A clock the test moves: the notice period is judged by the server's injected clock. */
const clock = {
  at: Date.parse('2025-11-03T02:00:00Z'),
  now() {
    return new Date(this.at);
  },
  set(iso: string) {
    this.at = Date.parse(iso);
  },
};

let t: TestStation;
let api: ApiClient;
let boardToken: string;
const people: Record<string, string> = {};

async function served(volunteerId: string, activityId: string, checkInAt: string, hours: number) {
  const checkOutAt = new Date(Date.parse(checkInAt) + hours * 3600_000).toISOString();
  const response = await api.post('/api/attendance', { volunteerId, activityId, checkInAt, checkOutAt, reason: '补录纸质签到表' });
  expect(response.status).toBe(201);
}

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  await api.patch('/api/settings', { stars: { thresholds: [1, 2, 3, 4, 5], period: 'calendarYear' } });
  boardToken = (await pairDevice(api, 'board')).token;
  const team = (await api.post('/api/teams', { name: '红马甲服务队' })).body;
  const activity = (await api.post('/api/activities', { title: '社区清洁', startsAt: '2025-11-01T00:00:00Z', endsAt: '2025-11-01T08:00:00Z' })).body;
  for (const [name, hours] of [['欧阳明华', 3], ['李秀英', 1.5], ['王芳', 0.5]] as const) {
    const volunteer = await registerVolunteer(api, name);
    await api.patch(`/api/volunteers/${volunteer.id}`, { teamIds: [team.id] });
    await served(volunteer.id, activity.id, '2025-11-01T00:00:00Z', hours);
    people[name] = volunteer.id;
  }
});

afterAll(async () => {
  await t?.destroy();
});

describe('public notice lifecycle', () => {
  it('draft → review → published → objection → resolved → final, with star records', async () => {
    // Monday 5 January 2026, 10:00 in Beijing.
    clock.set('2026-01-05T02:00:00Z');
    api = await adminClient(t);
    const created = await api.post('/api/notices', { kind: 'yearStars', year: 2025, contact: '社区党群服务中心 电话 010-12345678' });
    expect(created.status).toBe(201);
    const notice = created.body;
    expect(notice).toMatchObject({ status: 'draft', period: { from: '2025-01-01', to: '2025-12-31' }, basis: 'calendarYear' });
    expect(notice.entries.map((e: { name: string; stars: number; hours: number }) => [e.name, e.stars, e.hours])).toEqual([['欧阳明华', 3, 3], ['李秀英', 1, 1.5]]);
    expect((await new ApiClient(t.url).get(`/api/notices/${notice.id}/public`)).status).toBe(404);

    // Review: one taken off and put back, one added by staff; every change has a reason.
    const removed = await api.post(`/api/notices/${notice.id}/entries/${people['李秀英']}/remove`, { reason: '待核实' });
    expect(removed.body.entries[1].removed).toMatchObject({ reason: '待核实' });
    expect((await api.post(`/api/notices/${notice.id}/entries`, { volunteerId: people['王芳'], reason: '漏记的服务' })).body.error.code).toBe('VALIDATION_FAILED');
    await api.post(`/api/notices/${notice.id}/entries`, { volunteerId: people['王芳'], reason: '漏记的服务，已核实', stars: 1 });
    const reviewed = await api.post(`/api/notices/${notice.id}/entries`, { volunteerId: people['李秀英'], reason: '已核实' });
    expect(reviewed.body.listedCount).toBe(3);

    const board = await connectSocket(t.url, '/board', { token: boardToken });
    const stale = new Promise<{ version: number }>((resolve) => board.on('board:stale', resolve));
    const published = await api.post(`/api/notices/${notice.id}/publish`, {});
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', published: { workingDays: 5, startsOn: '2026-01-05', endsOn: '2026-01-09', endsAt: '2026-01-09T16:00:00.000Z' } });
    await stale;
    board.close();
    expect((await api.post(`/api/notices/${notice.id}/entries/${people['王芳']}/remove`, { reason: 'x' })).body.error).toMatchObject({ code: 'CONFLICT', details: { reason: 'NOTICE_NOT_DRAFT' } });

    const pub = (await new ApiClient(t.url).get(`/api/notices/${notice.id}/public`)).body as PublicNotice;
    expect(pub).toMatchObject({ status: 'published', centerName: '志愿驿站', contact: '社区党群服务中心 电话 010-12345678', startsOn: '2026-01-05', endsOn: '2026-01-09' });
    expect(pub.entries.map((e) => [e.displayName, e.teamNames, e.stars])).toEqual([['欧**华', ['红马甲服务队'], 3], ['李*英', ['红马甲服务队'], 1], ['王*', ['红马甲服务队'], 1]]);
    const onBoard = (await new ApiClient(t.url).request('GET', '/api/board', undefined, { authorization: `Bearer ${boardToken}` })).body as BoardState;
    expect(onBoard.notice?.id).toBe(notice.id);

    // Thursday: an objection against one entry.
    clock.set('2026-01-08T03:00:00Z');
    const objection = await api.post(`/api/notices/${notice.id}/objections`, { volunteerId: people['王芳'], content: '该志愿者当天并未到场', raisedBy: '匿名来电' });
    expect(objection.status).toBe(201);
    expect(objection.body.notice.openObjections).toBe(1);

    // Saturday: the period is over, but the open objection holds the list from becoming final.
    clock.set('2026-01-10T02:00:00Z');
    api = await adminClient(t);
    expect((await api.get(`/api/notices/${notice.id}`)).body.status).toBe('published');
    expect((await api.post(`/api/notices/${notice.id}/objections`, { volunteerId: people['李秀英'], content: '太迟了' })).body.error.details.reason).toBe('NOTICE_PERIOD_ENDED');
    const noBoardNotice = (await new ApiClient(t.url).request('GET', '/api/board', undefined, { authorization: `Bearer ${boardToken}` })).body as BoardState;
    expect(noBoardNotice.notice).toBeNull();

    // Resolved (upheld): the entry leaves the list and, the period being over, the list is final at once.
    const resolved = await api.post(`/api/notices/${notice.id}/objections/${objection.body.objectionId}/resolve`, { outcome: 'upheld', note: '经核实当天未到场，撤销' });
    expect(resolved.body).toMatchObject({ status: 'final', finalAt: '2026-01-10T02:00:00.000Z', listedCount: 2 });
    const final = (await new ApiClient(t.url).get(`/api/notices/${notice.id}/public`)).body as PublicNotice;
    expect(final.status).toBe('final');
    expect(final.entries.map((e) => e.displayName)).toEqual(['欧**华', '李*英']);

    const records = (await api.get(`/api/volunteers/${people['欧阳明华']}/star-records`)).body.items;
    expect(records).toEqual([expect.objectContaining({ noticeId: notice.id, kind: 'yearStars', stars: 3, hours: 3, period: { from: '2025-01-01', to: '2025-12-31' } })]);
    expect((await api.get(`/api/volunteers/${people['王芳']}/star-records`)).body.items).toEqual([]);
    expect((await api.post(`/api/notices/${notice.id}/withdraw`, { reason: 'x' })).body.error.details.reason).toBe('NOTICE_CLOSED');
  });

  it('without objections a published list becomes final on the first read after the period, even after a restart', async () => {
    clock.set('2026-01-12T02:00:00Z');
    api = await adminClient(t);
    const notice = (await api.post('/api/notices', { kind: 'newStars', from: '2025-11-01', to: '2025-11-30' })).body;
    expect(notice.entries).toHaveLength(2);
    expect((await api.post(`/api/notices/${notice.id}/publish`, { workingDays: 3 })).body.published).toMatchObject({ startsOn: '2026-01-12', endsOn: '2026-01-14' });

    const { dataDir, port } = t;
    await t.stop();
    clock.set('2026-01-20T02:00:00Z');
    t = await startStation({ clock, dataDir, port });
    api = await adminClient(t);
    const list = (await api.get('/api/notices')).body.items;
    expect(list.find((n: { id: string }) => n.id === notice.id)).toMatchObject({ status: 'final', finalAt: '2026-01-14T16:00:00.000Z', listedCount: 2 });
    const records = (await api.get(`/api/volunteers/${people['李秀英']}/star-records`)).body.items;
    expect(records.map((r: { kind: string }) => r.kind).sort()).toEqual(['newStars', 'yearStars']);
  });

  it('refuses bad input with the fields named, and a draft for nobody', async () => {
    const bad = await api.post('/api/notices', { kind: 'newStars', from: '2025-12-01', to: '2025-11-01' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const empty = (await api.post('/api/notices', { kind: 'yearStars', year: 2030 })).body;
    expect(empty.entries).toEqual([]);
    expect((await api.post(`/api/notices/${empty.id}/publish`, {})).body.error.details.reason).toBe('NOTICE_EMPTY');
    expect((await api.post(`/api/notices/${empty.id}/publish`, { workingDays: 2 })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await new ApiClient(t.url).post('/api/notices', { kind: 'yearStars', year: 2025 })).status).toBe(401);
  });

  it('a staff evaluation score gates the star when the center asks for one', async () => {
    await api.patch('/api/settings', { stars: { minEvaluation: 60 } });
    const id = people['欧阳明华']!;
    expect((await api.get(`/api/volunteers/${id}/evaluation`)).body).toEqual({ evaluation: null, stars: 0 });
    const evaluated = await api.request('PUT', `/api/volunteers/${id}/evaluation`, { score: 85, note: '服务认真' });
    expect(evaluated.body).toMatchObject({ evaluation: { score: 85, note: '服务认真' }, stars: 0 });
    // The stars are this year's (2026): none yet. Last year's list reads the score too.
    const draft = (await api.post('/api/notices', { kind: 'yearStars', year: 2025 })).body;
    expect(draft.entries.map((e: { name: string }) => e.name)).toEqual(['欧阳明华']);
    expect((await api.request('PUT', `/api/volunteers/${id}/evaluation`, { score: 101 })).status).toBe(400);
    await api.patch('/api/settings', { stars: { minEvaluation: null } });
  });
});
