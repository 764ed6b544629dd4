import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayKey } from '../../server/src/domain/time-zone.ts';
import { adminClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type ApiClient, type TestStation } from '../support/station.ts';

/**
 * Issue 15's kiosk and import pieces against a real server: sign-up after a scan, training
 * attendance by scan (hours apart from service), who holds which training, and the insurer's
 * XLSX list with a preview, errors per row and an import that adds nobody twice.
 */
let t: TestStation;
let api: ApiClient;
let kiosk: Socket;
const hour = 3600_000;
const today = () => dayKey(new Date(), 'Asia/Shanghai');
const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);

/** A resident ID with a right check digit (GB 11643), born on the given day. */
function idNumberBornOn(birth: string, serial = '123'): string {
  const body = `110101${birth.replaceAll('-', '')}${serial}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((total, w, i) => total + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

beforeAll(async () => {
  t = await startStation();
  api = await adminClient(t);
  const { token } = await pairDevice(api, 'checkin');
  kiosk = await connectSocket(t.url, '/kiosk', { token });
});

afterAll(async () => {
  kiosk?.close();
  await t?.destroy();
});

describe('sign-up at the kiosk after a scan', () => {
  it('lists upcoming activities open for sign-up, confirms then waitlists by capacity, and a repeated opId changes nothing', async () => {
    const start = Date.now() + 48 * hour;
    const activity = await api.post('/api/activities', { title: '敬老院包饺子', place: '阳光敬老院', capacity: 1, startsAt: new Date(start).toISOString(), endsAt: new Date(start + 2 * hour).toISOString() });
    expect(activity.status).toBe(201);
    const first = await registerVolunteer(api, '报名甲', '13700000001');
    const second = await registerVolunteer(api, '报名乙', '13700000002');

    const list = await emitWithAck<any>(kiosk, 'signup:list', { code: first.cardCode });
    expect(list.ok).toBe(true);
    expect(list.volunteer.displayName).not.toBe('报名甲');
    const offered = list.items.find((a: { id: string }) => a.id === activity.body.id);
    expect(offered).toMatchObject({ title: '敬老院包饺子', placesLeft: 1, open: true });
    expect(JSON.stringify(list)).not.toContain('13700000001');

    const opId = randomUUID();
    const created = await emitWithAck<any>(kiosk, 'signup:create', { opId, code: first.cardCode, activityId: activity.body.id });
    expect(created).toMatchObject({ ok: true, opId, activity: { id: activity.body.id, placesLeft: 0, mine: { status: 'confirmed' } } });
    const again = await emitWithAck<any>(kiosk, 'signup:create', { opId, code: first.cardCode, activityId: activity.body.id });
    expect(again).toMatchObject({ ok: true, replayed: true, activity: { mine: { status: 'confirmed' } } });

    const waiting = await emitWithAck<any>(kiosk, 'signup:create', { opId: randomUUID(), code: second.cardCode, activityId: activity.body.id });
    expect(waiting).toMatchObject({ ok: true, position: 1, activity: { mine: { status: 'waitlisted' }, waitlisted: 1 } });

    const signups = await api.get(`/api/activities/${activity.body.id}/signups`);
    expect(signups.body.items.map((s: { volunteerId: string; status: string; by: string }) => [s.volunteerId, s.status, s.by.startsWith('device:')])).toEqual([
      [first.id, 'confirmed', true],
      [second.id, 'waitlisted', true],
    ]);
    const mine = await emitWithAck<any>(kiosk, 'signup:list', { code: first.cardCode });
    expect(mine.mine.map((a: { id: string }) => a.id)).toContain(activity.body.id);
    expect(mine.items.map((a: { id: string }) => a.id)).not.toContain(activity.body.id);
  });

  it('refuses a typed card number without the phone digits, and a sign-up after the deadline', async () => {
    const v = await registerVolunteer(api, '报名丙', '13700000003');
    const typed = await emitWithAck<any>(kiosk, 'signup:list', { code: v.cardNo });
    expect(typed).toMatchObject({ ok: false, error: { code: 'PHONE_DIGITS_REQUIRED' } });
    const start = Date.now() + 24 * hour;
    const late = await api.post('/api/activities', { title: '截止了', signupDeadline: new Date(Date.now() - 60_000).toISOString(), startsAt: new Date(start).toISOString(), endsAt: new Date(start + hour).toISOString() });
    const refused = await emitWithAck<any>(kiosk, 'signup:create', { opId: randomUUID(), code: v.cardCode, activityId: late.body.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SIGNUP_DEADLINE_PASSED' } });
  });
});

describe('training attendance by scan at the kiosk', () => {
  it('offers today’s trainings in the kiosk state, adds the scanned volunteer once, and keeps training hours out of service hours', async () => {
    const training = await api.post('/api/trainings', { title: '急救培训（心肺复苏）', category: '急救', date: today(), hours: 3, trainer: '红十字会 王医生' });
    expect(training.status).toBe(201);
    const other = await api.post('/api/trainings', { title: '消防演练', category: '消防', date: shiftDay(today(), 3), hours: 2 });
    // Opened by staff (开始签到); training-kiosk-open.test.ts covers opening and closing.
    expect((await api.post(`/api/trainings/${training.body.id}/open`)).body.phase).toBe('open');
    const state = await emitWithAck<any>(kiosk, 'state:get');
    expect(state.trainingsToday.map((x: { id: string }) => x.id)).toEqual([training.body.id]);

    const v = await registerVolunteer(api, '培训丁', '13700000004');
    const attended = await emitWithAck<any>(kiosk, 'training:attend', { opId: randomUUID(), code: v.cardCode, trainingId: training.body.id });
    expect(attended).toMatchObject({ ok: true, alreadyAttended: false, attendeeCount: 1, training: { title: '急救培训（心肺复苏）', hours: 3 } });
    const twice = await emitWithAck<any>(kiosk, 'training:attend', { opId: randomUUID(), code: v.cardCode, trainingId: training.body.id });
    expect(twice).toMatchObject({ ok: true, alreadyAttended: true, attendeeCount: 1 });
    const notToday = await emitWithAck<any>(kiosk, 'training:attend', { opId: randomUUID(), code: v.cardCode, trainingId: other.body.id });
    expect(notToday).toMatchObject({ ok: false, error: { code: 'TRAINING_NOT_OPEN' } });

    const detail = await api.get(`/api/trainings/${training.body.id}`);
    expect(detail.body.attendees.map((a: { volunteerId: string }) => a.volunteerId)).toEqual([v.id]);
    const figures = await api.get(`/api/volunteers/${v.id}`);
    expect(figures.body.hours).toBe(0);
    expect(figures.body.trainingHours).toBe(3);

    const holders = await api.get('/api/training-holders');
    expect(holders.body.items).toContainEqual(expect.objectContaining({ volunteerId: v.id, category: '急救', trainedOn: today(), valid: true }));
  });
});

describe('insurer XLSX import', () => {
  async function insurerList(rows: (string | number | Date | null)[][]): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('被保险人清单');
    sheet.addRow(['团体意外伤害保险被保险人清单']);
    sheet.mergeCells('A1:G1');
    sheet.addRow(['序号', '姓名', '证件号码', '手机号', '保单号', '起保日期', '终保日期']);
    for (const row of rows) sheet.addRow(row);
    sheet.addRow(['合计', `${rows.length}人`]);
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  it('previews with an error per row, commits one group policy, and importing the same file again adds nobody', async () => {
    const from = shiftDay(today(), -10);
    const to = shiftDay(today(), 20);
    const byPhone = await registerVolunteer(api, '保险甲', '13700000011');
    const idNumber = idNumberBornOn('1960-05-06');
    const byId = (await api.post('/api/volunteers', { name: '保险乙', idNumber })).body as { id: string };
    const file = await insurerList([
      [1, '保险甲', null, '13700000011', 'PICC-2026-001', from, to],
      [2, '保险乙', idNumber, null, 'PICC-2026-001', from, to],
      [3, '查无此人', null, '13999999999', 'PICC-2026-001', from, to],
      [4, '保险甲', null, '13700000011', 'PICC-2026-001', '2026年13月1日', to],
      [5, '保险甲', null, '13700000011', 'PICC-2026-001', from, to],
    ]);
    const xlsx = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

    const preview = await api.post('/api/insurance/import?dryRun=1&insurer=中国人保', file, xlsx);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ dryRun: true, totalRows: 6, matched: 2 });
    expect(preview.body.errors.map((e: { row: number; problem: string }) => [e.row, e.problem])).toEqual([
      [5, 'volunteer-not-found'],
      [6, 'bad-date'],
      [7, 'duplicate-row'],
    ]);
    expect(preview.body.errors[1].message).toContain('第6行');
    expect(preview.body.policies).toEqual([{ insurer: '中国人保', policyNo: 'PICC-2026-001', from, to, volunteers: 2, added: 2 }]);
    expect((await api.get(`/api/volunteers/${byPhone.id}/insurance`)).body.insuredToday).toBe(false);

    const committed = await api.post('/api/insurance/import?insurer=中国人保', file, xlsx);
    expect(committed.status).toBe(200);
    expect(committed.body.dryRun).toBe(false);
    for (const id of [byPhone.id, byId.id]) expect((await api.get(`/api/volunteers/${id}/insurance`)).body.insuredToday).toBe(true);
    const expiring = await api.get('/api/insurance?expiring=1&days=30');
    expect(expiring.body.items.filter((p: { policyNo: string }) => p.policyNo === 'PICC-2026-001')).toHaveLength(1);

    const again = await api.post('/api/insurance/import?insurer=中国人保', file, xlsx);
    expect(again.body).toMatchObject({ matched: 2, alreadyCovered: 2, policies: [expect.objectContaining({ added: 0, existingPolicyId: expect.any(String) })] });
    const policies = await api.get('/api/insurance');
    expect(policies.body.items.filter((p: { policyNo: string }) => p.policyNo === 'PICC-2026-001')[0].volunteerIds).toHaveLength(2);
  });

  it('refuses a file that is not XLSX and a list without a header, with a 4xx', async () => {
    expect((await api.post('/api/insurance/import?dryRun=1', Buffer.from('姓名,手机\n张三,13700000000'), { 'content-type': 'text/csv' })).status).toBe(415);
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('x').addRow(['这里', '没有', '表头']);
    const noHeader = await api.post('/api/insurance/import?dryRun=1', Buffer.from(await workbook.xlsx.writeBuffer()), {});
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.code).toBe('VALIDATION_FAILED');
  });
});
