import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WishWall } from '../../server/src/protocol/service.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
let board: Socket;
let kioskToken: string;
let boardToken: string;

const RESIDENT_PHONE = '13912345678';
const RESIDENT_ADDRESS = '幸福路88号3栋502室';
const SECRET_TAG = '低保户';

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  ({ token: kioskToken } = await pairDevice(api, 'checkin'));
  kiosk = await connectSocket(t.url, '/kiosk', { token: kioskToken });
  ({ token: boardToken } = await pairDevice(api, 'board'));
  board = await connectSocket(t.url, '/board', { token: boardToken });
});

afterAll(async () => {
  kiosk?.close();
  board?.close();
  await t?.destroy();
});

function nextWall(): Promise<WishWall> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no wishes:changed on the board')), 10_000);
    board.once('wishes:changed', (wall: WishWall) => {
      clearTimeout(timer);
      resolve(wall);
    });
  });
}

/** Nothing personal of the resident may appear in what a kiosk, the board or a public page receives. */
function expectNoPersonalData(payload: unknown): void {
  const text = JSON.stringify(payload);
  expect(text).not.toContain(RESIDENT_PHONE);
  expect(text).not.toContain(RESIDENT_PHONE.slice(-4));
  expect(text).not.toContain('幸福路');
  expect(text).not.toContain(SECRET_TAG);
  expect(text).not.toContain('刘桂兰');
}

describe('service requests: ask, dispatch, accept at the kiosk, complete, rate', () => {
  it('runs the whole loop with two volunteers and credits each exactly once', async () => {
    const resident = await api.post('/api/residents', { name: '刘桂兰', phone: RESIDENT_PHONE, address: RESIDENT_ADDRESS, grid: '二网格', tags: ['独居老人', SECRET_TAG] });
    expect(resident.status).toBe(201);
    expect(typeof resident.body.id).toBe('string');
    // Masked until revealed, and the reveal is audited.
    const masked = await api.get(`/api/residents/${resident.body.id}`);
    expect(masked.body.phone).toBe('139****5678');
    expect(masked.body.address).not.toContain('502');
    const revealed = await api.get(`/api/residents/${resident.body.id}?reveal=1`);
    expect(revealed.body).toMatchObject({ phone: RESIDENT_PHONE, address: RESIDENT_ADDRESS });
    // The search box finds a resident by the whole number, or the last 4 digits beside a name,
    // never by a run of digits that could be grown one digit at a time (audited either way).
    const found = async (q: string) => (await api.get(`/api/residents?q=${encodeURIComponent(q)}`)).body.items.map((r: { name: string }) => r.name);
    expect(await found(RESIDENT_PHONE.slice(-4))).toEqual([]);
    expect(await found(RESIDENT_PHONE.slice(-7))).toEqual([]);
    expect(await found(RESIDENT_PHONE)).toEqual(['刘桂兰']);
    expect(await found(`桂兰 ${RESIDENT_PHONE.slice(-4)}`)).toEqual(['刘桂兰']);
    expect((await api.get('/api/audit?q=residents.searched-by-phone')).body.items).toHaveLength(2);

    const wang = await registerVolunteer(api, '王建国', '13700000001');
    const zhao = await registerVolunteer(api, '赵丽华', '13700000002');
    const idle = await registerVolunteer(api, '孙明', '13700000003');
    expect((await api.patch(`/api/volunteers/${wang.id}`, { grid: '二网格', skills: ['维修'] })).status).toBe(200);
    expect((await api.patch(`/api/volunteers/${zhao.id}`, { grid: '二网格', skills: ['维修', '电工'] })).status).toBe(200);
    expect((await api.get(`/api/volunteers/${zhao.id}`)).body).toMatchObject({ grid: '二网格', skills: ['维修', '电工'] });

    const wallOnCreate = nextWall();
    const created = await api.post('/api/service-requests', { category: '维修', details: '厨房水龙头漏水', residentId: resident.body.id, skills: ['维修'], wantedAt: new Date(Date.now() + 86400_000).toISOString() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'open', number: expect.stringMatching(/^\d{4}-\d{4}$/) });
    const requestId = created.body.id as string;
    const wall = await wallOnCreate;
    expect(wall.open).toContainEqual(expect.objectContaining({ requestId, category: '维修', residentName: '刘*兰', grid: '二网格' }));
    expectNoPersonalData(wall);

    const matches = await api.get(`/api/service-requests/${requestId}/matches`);
    expect(matches.status).toBe(200);
    const ids = matches.body.items.map((m: { volunteerId: string }) => m.volunteerId);
    expect(ids.indexOf(wang.id)).toBeLessThan(ids.indexOf(idle.id));
    expect(matches.body.items[0].reasons.map((r: { kind: string }) => r.kind)).toEqual(expect.arrayContaining(['skills', 'grid']));

    // Rating an open request is refused.
    expect((await api.post(`/api/service-requests/${requestId}/rating`, { score: 5 })).body.error.code).toBe('REQUEST_STATE');

    const dispatched = await api.post(`/api/service-requests/${requestId}/dispatch`, { volunteerIds: [wang.id, zhao.id] });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.status).toBe('dispatched');

    // Each volunteer sees it at the kiosk, with a masked name and nothing else of the resident.
    const list = await emitWithAck<any>(kiosk, 'task:list', { code: wang.cardCode });
    expect(list).toMatchObject({ ok: true, items: [expect.objectContaining({ requestId, number: created.body.number, category: '维修', mine: 'dispatched', residentName: '刘*兰' })] });
    expectNoPersonalData(list);

    const opId = randomUUID();
    const accepted = await emitWithAck<any>(kiosk, 'task:accept', { opId, code: wang.cardCode, requestId });
    expect(accepted).toMatchObject({ ok: true, opId, requestId, status: 'accepted', volunteer: { id: wang.id, displayName: '王*国' } });
    expectNoPersonalData(accepted);
    const replay = await emitWithAck<any>(kiosk, 'task:accept', { opId, code: wang.cardCode, requestId });
    expect(replay).toEqual({ ...accepted, replayed: true });
    // The same opId for another request is refused rather than answered with the old ack.
    expect((await emitWithAck<any>(kiosk, 'task:accept', { opId, code: zhao.cardCode, requestId })).error.code).toBe('OP_ID_REUSED');

    const second = await emitWithAck<any>(kiosk, 'task:accept', { opId: randomUUID(), code: zhao.cardCode, requestId });
    expect(second).toMatchObject({ ok: true, status: 'accepted' });
    // A volunteer it was not sent to cannot take it.
    expect((await emitWithAck<any>(kiosk, 'task:accept', { opId: randomUUID(), code: idle.cardCode, requestId })).error.code).toBe('REQUEST_STATE');

    const before = (await api.get(`/api/volunteers/${wang.id}`)).body;
    const completed = await api.post(`/api/service-requests/${requestId}/complete`, { minutes: 90, note: '换了阀芯' });
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('done');
    const again = await api.post(`/api/service-requests/${requestId}/complete`, { minutes: 90 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('REQUEST_STATE');

    for (const volunteer of [wang, zhao]) {
      const figures = (await api.get(`/api/volunteers/${volunteer.id}`)).body;
      expect(figures.hours).toBe(before.hours + 1.5);
      expect(figures.points).toBe(before.points + 1.5);
      const records = (await api.get(`/api/volunteers/${volunteer.id}/service-records`)).body.items;
      expect(records).toEqual([expect.objectContaining({ kind: 'request', sourceId: requestId, creditedMinutes: 90 })]);
    }
    expect((await api.get(`/api/volunteers/${idle.id}`)).body.hours).toBe(0);

    const rated = await api.post(`/api/service-requests/${requestId}/rating`, { score: 5, comment: '很满意' });
    expect(rated.body).toMatchObject({ status: 'rated', rating: { score: 5 } });
    const full = (await api.get(`/api/service-requests/${requestId}`)).body;
    expect(full.history.map((h: { status: string }) => h.status)).toEqual(['open', 'dispatched', 'accepted', 'accepted', 'done', 'rated']);
    expect(full.history.every((h: { by: string; at: string }) => h.by && h.at)).toBe(true);

    // Certificates count service hours; the public check shows nothing of the resident.
    const certificate = await api.post(`/api/volunteers/${wang.id}/certificates`, { from: '2000-01-01', to: '2100-12-31' });
    expect(certificate.body.hours).toBe(1.5);
    const publicPage = await new ApiClient(t.url).get(`/api/certificates/${certificate.body.number}`);
    expectNoPersonalData(publicPage.body);
    expectNoPersonalData((await new ApiClient(t.url).request('GET', '/api/board/wishes', undefined, { authorization: `Bearer ${boardToken}` })).body);
  });

  it('a resident asks at the kiosk; the replay answers the same; the counter role sees no residents', async () => {
    const opId = randomUUID();
    const asked = await emitWithAck<any>(kiosk, 'help:request', { opId, category: '陪伴聊天', details: '想找人聊聊天', phone: '13811112222', place: '本社区' });
    expect(asked).toMatchObject({ ok: true, opId, status: 'open', number: expect.stringMatching(/^\d{4}-\d{4}$/) });
    expect(await emitWithAck<any>(kiosk, 'help:request', { opId, category: '陪伴聊天', details: '想找人聊聊天', phone: '13811112222', place: '本社区' })).toEqual({ ...asked, replayed: true });
    const listed = (await api.get('/api/service-requests?status=open')).body.items;
    expect(listed.filter((r: { id: string }) => r.id === asked.requestId)).toEqual([expect.objectContaining({ source: 'kiosk', phone: '138****2222' })]);

    await api.post('/api/staff', { username: 'counter1', role: 'counter', password: 'counter-pass-1' });
    await api.post('/api/staff', { username: 'viewer1', role: 'viewer', password: 'viewer-pass-1' });
    const counter = await new ApiClient(t.url).login('counter1', 'counter-pass-1');
    expect((await counter.get('/api/residents')).status).toBe(403);
    expect((await counter.get('/api/service-requests')).status).toBe(403);
    const viewer = await new ApiClient(t.url).login('viewer1', 'viewer-pass-1');
    expect((await viewer.get('/api/residents')).status).toBe(403);
    expect((await viewer.post('/api/residents', { name: '某某' })).status).toBe(403);
    // Viewers get the anonymous figures: counts, times, ratings, people served, hours by kind.
    const year = new Date().getUTCFullYear();
    const report = await viewer.get(`/api/service-report?from=${year - 1}-01-01&to=${year + 1}-12-31`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ requests: 2, ratings: { count: 1, average: 5 }, peopleServed: 1, hoursByKind: { request: 3 } });
    expect(report.body.byCategory).toContainEqual(expect.objectContaining({ category: '维修', total: 1, rated: 1 }));
    expectNoPersonalData(report.body);
    const xlsx = await viewer.get(`/api/exports/service-report.xlsx?from=${year - 1}-01-01&to=${year + 1}-12-31`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect((await viewer.get(`/api/exports/service.xlsx?from=${year}-01-01&to=${year}-12-31`)).status).toBe(403);
    expect((await api.get(`/api/exports/service.csv?from=${year - 1}-01-01&to=${year + 1}-12-31`)).body).toContain('王建国');
  });

  it('a pairing visit credits service hours to each visiting volunteer; a pair without a visit stands out', async () => {
    const resident = await api.post('/api/residents', { name: '陈阿婆', grid: '一网格', tags: ['独居老人'] });
    const volunteer = await registerVolunteer(api, '周小红', '13700000009');
    const pairing = await api.post('/api/pairings', { residentId: resident.body.id, volunteerIds: [volunteer.id], startsOn: '2020-01-01', visitEveryDays: 7 });
    expect(pairing.status).toBe(201);
    expect((await api.get('/api/pairings')).body.items.find((p: { id: string }) => p.id === pairing.body.id)).toMatchObject({ missed: true });
    const visit = await api.post(`/api/pairings/${pairing.body.id}/visits`, { volunteerIds: [volunteer.id], startedAt: new Date(Date.now() - 3600_000).toISOString(), minutes: 60, note: '打扫卫生，量血压' });
    expect(visit.status).toBe(201);
    expect((await api.get(`/api/volunteers/${volunteer.id}`)).body.hours).toBe(1);
    expect((await api.get('/api/pairings')).body.items.find((p: { id: string }) => p.id === pairing.body.id)).toMatchObject({ missed: false, visitCount: 1 });
  });

  it('after a restart the service hours are counted once, from the journal and snapshot', async () => {
    const volunteers = (await api.get('/api/volunteers')).body.items as { id: string; hours: number }[];
    const hoursBefore = Object.fromEntries(volunteers.map((v) => [v.id, v.hours]));
    expect(Object.values(hoursBefore).some((h) => h > 0)).toBe(true);
    kiosk.close();
    board.close();
    await t.stop();
    t = await startStation({ dataDir: t.dataDir });
    api = await adminClient(t);
    const after = (await api.get('/api/volunteers')).body.items as { id: string; hours: number }[];
    expect(Object.fromEntries(after.map((v) => [v.id, v.hours]))).toEqual(hoursBefore);
    const done = (await api.get('/api/service-requests?status=rated')).body.items;
    expect(done).toHaveLength(1);
  });
});

describe('service hours in the reports and exports', () => {
  it('hours reports and 服务记录 count completed requests and visits like attendance', async () => {
    // Last year too: at 00:30 on 1 January an hour-old visit is last year's (CI runs at 01:30 Beijing).
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const period = `from=${year - 1}-01-01&to=${year}-12-31`;
    const records = (await api.get('/api/volunteers')).body.items as { id: string; name: string; hours: number }[];
    const served = records.filter((v) => v.hours > 0);
    expect(served.length).toBeGreaterThan(0);
    // No activity was ever held here: every hour in the reports is a request or a visit.
    const byVolunteer = (await api.get(`/api/reports/hours-by-volunteer?${period}`)).body;
    for (const volunteer of served) expect(byVolunteer.items.find((r: { volunteerId: string }) => r.volunteerId === volunteer.id)?.hours).toBe(volunteer.hours);
    const byTheme = (await api.get(`/api/reports/hours-by-theme?${period}`)).body;
    expect(byTheme.items.map((i: { themeName: string }) => i.themeName).sort()).toEqual(['点单服务', '结对探访']);
    const total = served.reduce((sum, v) => sum + v.hours, 0);
    expect((await api.get(`/api/reports/hours-by-month?${period}`)).body.total.hours).toBeCloseTo(total, 5);
    expect((await api.get(`/api/reports/year-summary?${period}`)).body.service.hours).toBeCloseTo(total, 5);

    const response = await fetch(`${t.url}/api/exports/service.xlsx?${period}`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('服务记录');
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['姓名', '服务类型', '服务内容', '开始时间', '时长(小时)']));
    const rows = sheet.getSheetValues().slice(2).filter(Boolean) as unknown[][];
    expect(rows.map((row) => row[3]).sort()).toEqual(expect.arrayContaining(['点单服务', '结对探访']));
    expect(rows.reduce((sum, row) => sum + Number(row[9]), 0)).toBeCloseTo(total, 5);
    // Nothing of the resident travels in the export beyond the request's number.
    expect(JSON.stringify(rows)).not.toContain(RESIDENT_PHONE);
  });
});

describe('staff complete a kiosk request', () => {
  it('PATCH adds the skills and grid the matching weighs, and is refused once the request is done', async () => {
    const fixer = (await api.post('/api/volunteers', { name: '郑修理', phone: '13700000021', grid: '三网格', skills: ['维修'] })).body;
    const made = await api.post('/api/service-requests', { category: '维修', details: '灯不亮', phone: '13700000022' });
    const scoreOf = async () => (await api.get(`/api/service-requests/${made.body.id}/matches`)).body.items.find((m: { volunteerId: string }) => m.volunteerId === fixer.id);
    expect((await scoreOf()).reasons).toEqual([]);
    const patched = await api.patch(`/api/service-requests/${made.body.id}`, { skills: ['维修'], grid: '三网格', place: '' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ skills: ['维修'], grid: '三网格', status: 'open' });
    expect((await scoreOf()).reasons.map((r: { kind: string }) => r.kind)).toEqual(['skills', 'grid']);
    expect((await api.patch(`/api/service-requests/${made.body.id}`, { skills: 'x' })).status).toBe(400);

    await api.post(`/api/service-requests/${made.body.id}/dispatch`, { volunteerIds: [fixer.id] });
    await api.post(`/api/service-requests/${made.body.id}/accept`, { volunteerId: fixer.id });
    expect((await api.post(`/api/service-requests/${made.body.id}/complete`, { minutes: 30 })).status).toBe(200);
    const late = await api.patch(`/api/service-requests/${made.body.id}`, { details: '改写历史' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('REQUEST_STATE');
  });
});
