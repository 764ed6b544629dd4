import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, registerVolunteer, startStation, ApiClient, type TestStation } from '../support/station.ts';

let t: TestStation;
let api: ApiClient;

async function xlsx(pathName: string): Promise<unknown[][]> {
  const response = await fetch(`${t.url}${pathName}`, { headers: { cookie: api.cookie } });
  expect(response.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
});

afterAll(async () => {
  await t?.destroy();
});

describe('national export (DESIGN §8)', () => {
  it('one row per service record in the period: attendance and visits, laid out by the column setting', async () => {
    const v = await api.post('/api/volunteers', { name: '王建国', idNumber: '11010519491231002X', phone: '13700000001' });
    expect(v.status).toBe(201);
    const activity = await api.post('/api/activities', { title: '敬老院探访', theme: '助老', place: '阳光敬老院', organizer: '幸福社区', startsAt: '2026-03-10T01:00:00.000Z', endsAt: '2026-03-10T04:00:00.000Z' });
    // 09:00–11:00 Beijing on 2026-03-10, entered by hand.
    const manual = await api.post('/api/attendance', { volunteerId: v.body.id, activityId: activity.body.id, checkInAt: '2026-03-10T01:00:00.000Z', checkOutAt: '2026-03-10T03:00:00.000Z', reason: '纸质签到表补录' });
    expect(manual.status).toBe(201);
    // Outside the period: 2026-04-01.
    await api.post('/api/attendance', { volunteerId: v.body.id, activityId: activity.body.id, checkInAt: '2026-03-31T16:30:00.000Z', checkOutAt: '2026-03-31T18:30:00.000Z', reason: '补录' });
    const resident = await api.post('/api/residents', { name: '李奶奶' });
    const pairing = await api.post('/api/pairings', { residentId: resident.body.id, volunteerIds: [v.body.id] });
    expect(pairing.status).toBe(201);
    const visit = await api.post(`/api/pairings/${pairing.body.id}/visits`, { volunteerIds: [v.body.id], startedAt: '2026-03-15T02:00:00.000Z', minutes: 60 });
    expect(visit.status).toBe(201);
    const training = await api.post('/api/trainings', { title: '急救培训', category: '急救', date: '2026-03-12', hours: 4 });
    await api.post(`/api/trainings/${training.body.id}/attendees`, { volunteerIds: [v.body.id] });

    const rows = await xlsx('/api/exports/national.xlsx?from=2026-03-01&to=2026-03-31');
    expect(rows[0]).toEqual(['姓名', '证件类型', '证件号码', '服务项目名称', '服务内容', '服务地点', '服务开始时间', '服务结束时间', '服务时长（小时）', '组织单位']);
    expect(rows.slice(1)).toHaveLength(2);
    expect(rows[1]).toEqual(['王建国', '居民身份证', '11010519491231002X', '敬老院探访', '助老', '阳光敬老院', '2026-03-10 09:00', '2026-03-10 11:00', 2, '幸福社区']);
    expect(rows[2]!.slice(0, 4)).toEqual(['王建国', '居民身份证', '11010519491231002X', '结对探访']);
    expect(rows[2]![8]).toBe(1);
    expect(String(rows[2]![6])).toBe('2026-03-15 10:00');

    // The column mapping is a setting: a center matching another template reorders and renames.
    const patched = await api.patch('/api/settings', { nationalExport: { columns: [{ header: '志愿者姓名', field: 'volunteerName' }, { header: '时长', field: 'hours' }, { header: '类别', field: 'kind' }] } });
    expect(patched.status).toBe(200);
    const custom = await xlsx('/api/exports/national.xlsx?from=2026-03-01&to=2026-03-31');
    expect(custom).toEqual([['志愿者姓名', '时长', '类别'], ['王建国', 2, '活动'], ['王建国', 1, '结对探访']]);
    expect((await api.patch('/api/settings', { nationalExport: { columns: [{ header: 'x', field: 'password' }] } })).status).toBe(400);

    expect((await new ApiClient(t.url).get('/api/exports/national.xlsx?from=2026-03-01&to=2026-03-31')).status).toBe(401);
    expect((await api.get('/api/exports/national.xlsx?from=2026-03-31&to=2026-03-01')).status).toBe(400);
    const audit = await api.get('/api/audit?q=export.national');
    expect(audit.body.items.length).toBeGreaterThan(0);

    // Certificates carry the ID type, national number and the issuer's people.
    await api.patch(`/api/volunteers/${v.body.id}`, { nationalVolunteerNo: 'ZY2026000123' });
    await api.patch('/api/settings', { certificate: { issuerHead: '陈主任', issuerHandler: '刘干事', issuerContact: '010-12345678' } });
    const certificate = await api.post(`/api/volunteers/${v.body.id}/certificates`, { from: '2026-03-01', to: '2026-03-31' });
    expect(certificate.status).toBe(201);
    expect(certificate.body).toMatchObject({ hours: 3, idType: '居民身份证', nationalVolunteerNo: 'ZY2026000123', issuer: { head: '陈主任', handler: '刘干事', contact: '010-12345678' } });
    const page = await api.get(`/print/certificates/${certificate.body.number}`);
    expect(page.status).toBe(200);
    for (const text of ['居民身份证号', 'ZY2026000123', '负责人：陈主任', '经办人：刘干事', '010-12345678']) expect(page.body).toContain(text);
  });
});

describe('minors', () => {
  it('age from the ID number entered by hand: a guardian consent is needed the day before the 14th birthday, not on it', async () => {
    const now = new Date();
    const pad = (n: number) => String(n).padStart(2, '0');
    const birth = (daysFromToday: number) => {
      const d = new Date(now.getTime() + daysFromToday * 86400_000 + 8 * 3600_000);
      return `${d.getUTCFullYear() - 14}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    };
    // Turns 14 tomorrow (Beijing): still 13.
    const young = await api.post('/api/volunteers', { name: '小明', birthDate: birth(1) });
    expect(young.status).toBe(422);
    expect(young.body.error.code).toBe('GUARDIAN_CONSENT_REQUIRED');
    const withConsent = await api.post('/api/volunteers', { name: '小明', birthDate: birth(1), guardianConsent: { guardianName: '王芳', relation: '母亲', phone: '13600000009', date: '2026-01-05' } });
    expect(withConsent.status).toBe(201);
    expect(withConsent.body.guardianConsent).toMatchObject({ guardianName: '王芳', relation: '母亲', phone: '13600000009', date: '2026-01-05' });
    // Turned 14 today: no consent needed.
    expect((await api.post('/api/volunteers', { name: '小红', birthDate: birth(0) })).status).toBe(201);
  });
});

describe('personal information (PIPL)', () => {
  it('records consent with the notice version, separately for the ID number', async () => {
    const notice = await api.get('/api/privacy/notice');
    expect(notice.body.noticeVersion).toBeTruthy();
    const v = await api.post('/api/volunteers', { name: '同意者', consent: { processing: true } });
    expect(v.body.consents).toMatchObject({ processing: { noticeVersion: notice.body.noticeVersion, by: 'staff:admin' } });
    expect(v.body.consents.idNumber).toBeUndefined();
    const later = await api.post(`/api/volunteers/${v.body.id}/consents`, { idNumber: true });
    expect(later.body.consents).toMatchObject({ processing: expect.anything(), idNumber: { noticeVersion: notice.body.noticeVersion } });
  });

  it('anonymizing a volunteer who leaves removes name and contacts and keeps every total equal', async () => {
    const v = await api.post('/api/volunteers', { name: '赵离开', phone: '13500000007', idNumber: '110105199001010010', address: '幸福路 1 号', consent: { processing: true, idNumber: true } });
    const activity = await api.post('/api/activities', { title: '河道清理', startsAt: '2026-02-01T01:00:00.000Z', endsAt: '2026-02-01T05:00:00.000Z' });
    await api.post('/api/attendance', { volunteerId: v.body.id, activityId: activity.body.id, checkInAt: '2026-02-01T01:00:00.000Z', checkOutAt: '2026-02-01T04:00:00.000Z', reason: '补录' });
    await api.post(`/api/volunteers/${v.body.id}/points`, { delta: 5, reason: '表彰' });
    const before = (await api.get(`/api/volunteers/${v.body.id}`)).body;
    const hoursReport = async () => {
      const response = await api.get('/api/reports/hours-by-month?from=2026-01-01&to=2026-12-31');
      expect(response.status).toBe(200);
      expect(response.body.total.hours).toBeGreaterThan(0);
      return response.body;
    };
    const reportBefore = await hoursReport();

    const done = await api.post(`/api/volunteers/${v.body.id}/anonymize`, { reason: '本人申请退出并要求删除个人信息' });
    expect(done.status).toBe(200);
    const after = (await api.get(`/api/volunteers/${v.body.id}?reveal=1`)).body;
    expect(after.name).toMatch(/^已注销志愿者[0-9A-F]{6}$/);
    for (const field of ['phone', 'idNumber', 'address']) expect(after[field]).toBeUndefined();
    expect(after.status).toBe('left');
    for (const key of ['hours', 'periodHours', 'points', 'stars', 'noShows', 'trainingHours']) expect(after[key]).toEqual(before[key]);
    const reportAfter = await hoursReport();
    expect(reportAfter.total).toEqual(reportBefore.total);
    expect(reportAfter.items).toEqual(reportBefore.items);
    const search = await api.get('/api/volunteers?q=赵离开');
    expect(search.body.total).toBe(0);
    expect((await api.get('/api/volunteers?q=13500000007')).body.total).toBe(0);
    const audit = await api.get('/api/audit?q=volunteer.anonymized');
    expect(audit.body.items[0].summary).not.toContain('赵离开');
    expect((await api.post(`/api/volunteers/${v.body.id}/anonymize`, { reason: 'again' })).status).toBe(409);
    // The phone and ID number are free for someone new.
    expect((await api.post('/api/volunteers', { name: '新人', phone: '13500000007' })).status).toBe(201);
  });
});
