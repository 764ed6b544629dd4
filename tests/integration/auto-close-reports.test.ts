import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAutoClose } from '../../server/src/attendance/auto-close.ts';
import type { ScanAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, registerVolunteer, startStation, type TestStation } from '../support/station.ts';

/** A clock the test moves by hand. */
const clock = { time: new Date('2026-03-10T01:00:00.000Z'), now() { return new Date(this.time); } };
let t: TestStation;
let api: ApiClient;

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0 });
});
afterAll(async () => {
  await t?.destroy();
});

describe('auto-close', () => {
  it('closes a sign-in left open at the activity end, credits to the end, and flags it for review; also after a restart', async () => {
    // 09:00–11:00 Beijing time on 10 March.
    const activity = (await api.post('/api/activities', { title: '河道清理', startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00', place: '滨河路', organizer: '社区居委会' })).body;
    const a = await registerVolunteer(api, '冯媛', '13300000001');
    const b = await registerVolunteer(api, '褚明', '13300000002');
    const { token } = await pairDevice(api, 'checkin');
    const kiosk = await connectSocket(t.url, '/kiosk', { token });
    for (const v of [a, b]) {
      const ack = await emitWithAck<ScanAck>(kiosk, 'scan', { scanId: randomUUID(), code: v.cardCode, scannedAt: clock.now().toISOString() });
      expect(ack).toMatchObject({ ok: true, action: 'check-in', activity: { id: activity.id } });
    }
    kiosk.close();

    clock.time = new Date('2026-03-10T03:29:00.000Z'); // 11:29, still within the 30-minute grace
    expect(await runAutoClose(t.station.ctx)).toBe(0);

    // The PC is switched off before the grace ends and on again in the afternoon: start-up closes them.
    const dataDir = t.dataDir;
    await t.stop();
    clock.time = new Date('2026-03-10T06:00:00.000Z');
    t = await startStation({ dataDir, clock });
    api = await adminClient(t);
    const review = (await api.get('/api/attendance/review')).body.items;
    expect(review).toHaveLength(2);
    expect(review[0]).toMatchObject({ autoClosed: true, needsReview: true, checkOutAt: '2026-03-10T03:00:00.000Z', creditedMinutes: 120, pointsCredited: 2 });
    expect((await api.get(`/api/volunteers/${a.id}`)).body).toMatchObject({ hours: 2, points: 2 });
  });

  it('a corrected sign-out reverses the points and credits the new figure, with an audit entry', async () => {
    const [item] = (await api.get('/api/attendance/review')).body.items;
    const corrected = await api.post(`/api/attendance/${item.id}/checkout`, { checkOutAt: '2026-03-10T10:00:00+08:00', reason: '志愿者十点离开' });
    expect(corrected).toMatchObject({ status: 200, body: { creditedMinutes: 60, pointsCredited: 1 } });
    const ledger = (await api.get(`/api/volunteers/${item.volunteerId}/ledger`)).body;
    expect(ledger.balance).toBe(1);
    expect(ledger.items.map((e: { kind: string; delta: number }) => [e.kind, e.delta])).toEqual([['attendance', 1], ['reversal', -2], ['attendance', 2]]);
    expect((await api.get('/api/attendance/review')).body.items).toHaveLength(1);
    expect((await api.get('/api/audit?q=attendance.corrected')).body.items[0].summary).toContain('志愿者十点离开');
  });
});

describe('exports and certificates', () => {
  it('exports the period as XLSX with a header row and one row per attendance, days in Beijing time', async () => {
    const response = await fetch(`${t.url}/api/exports/attendance.xlsx?from=2026-03-10&to=2026-03-10`, { headers: { cookie: api.cookie } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['姓名', '活动', '签到时间', '签退时间', '时长(小时)']));
    const names = [sheet.getRow(2).getCell(1).value, sheet.getRow(3).getCell(1).value].sort();
    expect(names).toEqual(['冯媛', '褚明'].sort());
    expect(sheet.getRow(2).getCell(3).value).toBe('河道清理');
    expect(sheet.getRow(2).getCell(6).value).toBe('2026-03-10 09:00');
    expect(sheet.rowCount).toBe(3);
    const empty = await fetch(`${t.url}/api/exports/attendance.xlsx?from=2026-03-11&to=2026-03-31`, { headers: { cookie: api.cookie } });
    const emptyBook = new ExcelJS.Workbook();
    await emptyBook.xlsx.load(Buffer.from(await empty.arrayBuffer()) as unknown as ArrayBuffer);
    expect(emptyBook.worksheets[0]!.rowCount).toBe(1);
  });

  it('exports CSV in UTF-8 with a BOM', async () => {
    const response = await fetch(`${t.url}/api/exports/attendance.csv?from=2026-03-01&to=2026-03-31`, { headers: { cookie: api.cookie } });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
    expect(lines[0]).toContain('姓名');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).join('\n')).toContain('河道清理');
    expect((await api.get('/api/exports/attendance.csv?from=2026-03-31&to=2026-03-01')).status).toBe(400);
    expect((await new ApiClient(t.url).get('/api/exports/attendance.csv?from=2026-03-01&to=2026-03-31')).status).toBe(401);
  });

  it('issues a certificate that anyone can check, with a masked name; a wrong number is 404', async () => {
    const volunteers = (await api.get('/api/volunteers?q=冯媛')).body.items;
    const issued = await api.post(`/api/volunteers/${volunteers[0].id}/certificates`, { from: '2026-01-01', to: '2026-12-31' });
    expect(issued).toMatchObject({ status: 201, body: { number: expect.any(String), hours: expect.any(Number) } });
    expect(issued.body.records[0]).toMatchObject({ content: '河道清理', place: '滨河路', organizer: '社区居委会' });
    const check = await new ApiClient(t.url).get(`/api/certificates/${issued.body.number}`);
    expect(check).toMatchObject({ status: 200, body: { hours: issued.body.hours, name: '冯*' } });
    expect((await new ApiClient(t.url).get('/api/certificates/2026-00001-FFFFFF')).status).toBe(404);
  });
});
