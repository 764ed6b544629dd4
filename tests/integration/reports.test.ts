import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedeemAck } from '../../server/src/protocol/events.ts';
import { adminClient, ApiClient, connectSocket, emitWithAck, pairDevice, startStation, type TestStation, connectUnlockedCounter } from '../support/station.ts';

/** Mid-March 2026 in Beijing: the first quarter's records are all in. */
const clock = { now: () => new Date('2026-03-15T02:00:00.000Z') };
let t: TestStation;
let api: ApiClient;
let viewer: ApiClient;
const people = { feng: '', chu: '' };
let teamId = '';
let certificateNumber = '';

async function download(client: ApiClient, path: string): Promise<{ status: number; bytes: Buffer; type: string | null; disposition: string | null }> {
  const response = await fetch(`${t.url}${path}`, { headers: client.cookie ? { cookie: client.cookie } : {} });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition') };
}

async function workbook(path: string): Promise<ExcelJS.Workbook> {
  const { status, bytes } = await download(api, path);
  expect(status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

const rowValues = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1);

async function csvLines(path: string): Promise<string[]> {
  const { status, bytes, type } = await download(api, path);
  expect(status).toBe(200);
  expect(type).toBe('text/csv; charset=utf-8');
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.subarray(3).toString('utf8').split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
}

beforeAll(async () => {
  t = await startStation({ clock });
  api = await adminClient(t);
  await api.patch('/api/settings', { repeatWindowSeconds: 0, centerName: '幸福里志愿驿站' });
  teamId = (await api.post('/api/teams', { name: '河道队' })).body.id;
  people.feng = (await api.post('/api/volunteers', { name: '冯媛', phone: '13300000001', idNumber: '11010519491231002X', teamIds: [teamId], joinedOn: '2026-01-10' })).body.id;
  people.chu = (await api.post('/api/volunteers', { name: '褚明', phone: '13300000002', joinedOn: '2026-02-01' })).body.id;

  const river = (await api.post('/api/activities', { title: '河道清理', theme: '环保', place: '滨河路', organizer: '社区居委会', teamIds: [teamId], startsAt: '2026-03-10T09:00:00+08:00', endsAt: '2026-03-10T11:00:00+08:00' })).body;
  const patrol = (await api.post('/api/activities', { title: '夜间巡逻', theme: '平安', place: '各楼栋', startsAt: '2026-02-28T22:00:00+08:00', endsAt: '2026-03-01T01:00:00+08:00' })).body;
  const attend = async (volunteerId: string, activityId: string, checkInAt: string, checkOutAt: string) => {
    const response = await api.post('/api/attendance', { volunteerId, activityId, checkInAt, checkOutAt, reason: '补录' });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  await attend(people.feng, river.id, '2026-03-10T09:00:00+08:00', '2026-03-10T11:00:00+08:00');
  await attend(people.chu, river.id, '2026-03-10T09:00:00+08:00', '2026-03-10T10:00:00+08:00');
  // 23:30 on 28 February, Beijing time: February's, though it is March 1st in no zone and the activity runs past midnight.
  await attend(people.feng, patrol.id, '2026-02-28T23:30:00+08:00', '2026-03-01T00:30:00+08:00');
  const mistaken = await attend(people.chu, patrol.id, '2026-02-28T23:00:00+08:00', '2026-03-01T01:00:00+08:00');
  expect((await api.post(`/api/attendance/${mistaken}/remove`, { reason: '误录' })).status).toBe(200);

  await api.post(`/api/volunteers/${people.feng}/points`, { delta: 8, reason: '季度表彰' });
  const rice = (await api.post('/api/goods', { name: '大米', points: 3, stock: 10 })).body.id;
  const { token } = await pairDevice(api, 'counter');
  const counter = await connectUnlockedCounter(t.url, token);
  const code = (await api.get(`/api/volunteers/${people.feng}`)).body.cardCode;
  const redeem = (quantity: number) => emitWithAck<RedeemAck>(counter, 'redeem', { redemptionId: randomUUID(), code, items: [{ goodsId: rice, quantity }] });
  expect(await redeem(2)).toMatchObject({ ok: true, pointsSpent: 6 });
  const voided = await redeem(1);
  counter.close();
  expect((await api.post(`/api/redemptions/${voided.redemptionId}/void`, { reason: '拿错了' })).status).toBe(200);

  certificateNumber = (await api.post(`/api/volunteers/${people.feng}/certificates`, { from: '2026-01-01', to: '2026-03-31' })).body.number;

  await api.post('/api/staff', { username: 'wang', displayName: '王会计', role: 'viewer', password: 'viewer-pass-1' });
  viewer = await new ApiClient(t.url).login('wang', 'viewer-pass-1');
});
afterAll(async () => {
  await t?.destroy();
});

describe('report JSON', () => {
  it('lists every report, whether it is personal data, and the themes to filter by', async () => {
    const { body } = await api.get('/api/reports');
    expect(body.themes).toEqual(['环保', '平安']);
    expect(body.items).toHaveLength(10);
    expect(body.items).toContainEqual({ name: 'year-summary', title: '年度总结', personal: false });
    expect(body.items).toContainEqual({ name: 'hours-by-volunteer', title: '志愿者服务时长统计', personal: true });
  });

  it('answers a report for a period, a month or a year, with filters', async () => {
    const byMonth = await api.get('/api/reports/hours-by-month?from=2026-02-01&to=2026-03-31');
    expect(byMonth.status).toBe(200);
    expect(byMonth.body.items).toEqual([
      { month: '2026-02', attendances: 1, hours: 1, volunteers: 1 },
      { month: '2026-03', attendances: 2, hours: 3, volunteers: 2 },
    ]);
    expect((await api.get(`/api/reports/hours-by-month?year=2026&teamId=${teamId}`)).body.total).toEqual({ attendances: 2, hours: 3, volunteers: 1 });
    expect((await api.get('/api/reports/hours-by-theme?month=2026-03')).body.items.map((i: { themeName: string }) => i.themeName)).toEqual(['环保']);
    const summary = (await api.get('/api/reports/year-summary?year=2026')).body;
    expect(summary).toMatchObject({
      centerName: '幸福里志愿驿站',
      volunteers: { registered: 2, active: 2, new: 2 },
      activities: { held: 2 },
      service: { hours: 4, attendances: 3 },
      points: { issued: 12, redeemed: 6, deducted: 0, net: 6 },
      goods: { quantity: 2, redemptions: 1 },
    });
    expect(summary.months).toHaveLength(12);
  });

  it('refuses bad queries with 400 and a message that says what to fix', async () => {
    const cases: [string, string][] = [
      ['/api/reports/hours-by-month?from=2026-03-31&to=2026-03-01', 'The period must end on or after its start'],
      ['/api/reports/hours-by-month?from=2010-01-01&to=2026-01-01', 'A report covers at most 10 years'],
      ['/api/reports/hours-by-month', 'Give the period as from and to'],
      ['/api/reports/hours-by-month?month=2026-3', 'A month is written YYYY-MM'],
      ['/api/reports/hours-by-month?year=2026&teamId=nobody', 'No team has the id nobody'],
      ['/api/exports/ledger.csv?year=2026&volunteerId=nobody', 'No volunteer has the id nobody'],
    ];
    for (const [path, message] of cases) {
      const response = await api.get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.message).toContain(message);
    }
    expect((await api.get('/api/reports/nonsense?year=2026')).status).toBe(404);
    expect((await api.get('/api/reports/year-summary.pdf?year=2026')).status).toBe(404);
  });

  it('lets a viewer read figures but not lists of people, and nobody without a session', async () => {
    expect((await viewer.get('/api/reports/year-summary?year=2026')).status).toBe(200);
    expect((await download(viewer, '/api/reports/hours-by-month.csv?year=2026')).status).toBe(200);
    expect((await viewer.get('/api/reports/hours-by-volunteer?year=2026')).status).toBe(403);
    expect((await viewer.get(`/api/reports/hours-by-month?year=2026&volunteerId=${people.feng}`)).status).toBe(403);
    expect((await download(viewer, '/api/exports/ledger.csv?year=2026')).status).toBe(403);
    expect((await new ApiClient(t.url).get('/api/reports/year-summary?year=2026')).status).toBe(401);
  });
});

describe('report exports', () => {
  it('exports a report as XLSX with Chinese headers, one row per month and a total', async () => {
    const book = await workbook('/api/reports/hours-by-month.xlsx?year=2026');
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('按月');
    expect(rowValues(sheet, 1)).toEqual(['月份', '服务人次', '服务时长(小时)', '参与人数']);
    expect(rowValues(sheet, 3)).toEqual(['2026-02', 1, 1, 1]);
    expect(rowValues(sheet, 4)).toEqual(['2026-03', 2, 3, 2]);
    expect(rowValues(sheet, 14)).toEqual(['合计', 3, 4, 2]);
    expect(sheet.rowCount).toBe(14);
    expect(sheet.getRow(1).font?.bold).toBe(true);
  });

  it('exports the year-end summary as one sheet per table', async () => {
    const book = await workbook('/api/reports/year-summary.xlsx?year=2026');
    expect(book.worksheets.map((s) => s.name)).toEqual(['概况', '逐月', '星级分布', '服务队排名', '兑换物品排名']);
    const figures = book.getWorksheet('概况')!;
    expect(rowValues(figures, 2)).toEqual(['统计期间', '2026-01-01 至 2026-12-31']);
    expect(rowValues(figures, 8)).toEqual(['服务人次', 3]);
    expect(rowValues(figures, 9)).toEqual(['服务时长(小时)', 4]);
    expect(rowValues(book.getWorksheet('服务队排名')!, 2)).toEqual(['河道队', 2, 3, 1]);
    const goods = book.getWorksheet('兑换物品排名')!.getRow(2);
    expect([goods.getCell(1).value, goods.getCell(3).value, goods.getCell(4).value, goods.getCell(5).value]).toEqual(['大米', 2, 6, 1]);
  });

  it('exports CSV in UTF-8 with a BOM; several tables follow one another under their names', async () => {
    const team = await csvLines('/api/reports/hours-by-team.csv?month=2026-03');
    expect(team).toEqual(['服务队,服务人次,服务时长(小时),参与人数', '河道队,1,2,1', '未分队,1,1,1', '合计,2,3,2']);
    const summary = await csvLines('/api/reports/year-summary.csv?year=2026');
    expect(summary[0]).toBe('概况');
    expect(summary[1]).toBe('项目,数值');
    expect(summary).toContain('逐月');
    expect(summary[summary.indexOf('逐月') - 1]).toBe('');
    expect(summary).toContain('2026-03,3,2,2,1,0');
  });

  it('names the download in Chinese with an ASCII fallback', async () => {
    const { disposition } = await download(api, '/api/reports/activities.csv?month=2026-03');
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('活动开展统计_2026-03-01_2026-03-31.csv')}`);
    expect(disposition).toContain('filename="activities_2026-03-01_2026-03-31.csv"');
  });

  it('audits the export of a report that lists people, and not of plain figures', async () => {
    await download(api, '/api/reports/hours-by-volunteer.xlsx?year=2026');
    await download(api, '/api/reports/hours-by-month.xlsx?year=2026');
    const audit = (await api.get('/api/audit?q=export.report')).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0].summary).toBe('hours-by-volunteer xlsx 2026-01-01..2026-12-31');
  });
});

describe('raw exports', () => {
  it('exports the points ledger of a period with names, kinds and who did it', async () => {
    const book = await workbook('/api/exports/ledger.xlsx?year=2026');
    const sheet = book.worksheets[0]!;
    expect(rowValues(sheet, 1)).toEqual(['时间', '姓名', '卡号', '类型', '积分变动', '事由', '经办']);
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => rowValues(sheet, i + 2));
    expect(rows.map((r) => [r[1], r[3], r[4]])).toEqual([
      ['冯媛', '服务积分', 1],
      ['褚明', '服务积分', 2],
      ['褚明', '服务积分', 1],
      ['冯媛', '服务积分', 2],
      // The rest happened at the same instant (the test's clock): in the order they were made.
      ['褚明', '冲正', -2],
      ['冯媛', '手动调整', 8],
      ['冯媛', '兑换', -6],
      ['冯媛', '兑换', -3],
      ['冯媛', '冲正', 3],
    ]);
    expect(rows[5]![5]).toBe('季度表彰');
    expect(rows[5]![6]).toBe('管理员');
  });

  it('exports redemptions one goods line per row, voided ones marked', async () => {
    const lines = await csvLines('/api/exports/redemptions.csv?month=2026-03');
    expect(lines[0]).toBe('小票号,时间,姓名,卡号,物品,数量,单价(积分),积分,经办,状态');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d{8}-\d{5},2026-03-15 10:00,冯媛,\d+,大米,2,3,6,.*,有效$/);
    expect(lines[2]).toContain(',已作废: 拿错了');
    expect((await api.get('/api/audit?q=export.redemptions')).body.items).toHaveLength(1);
  });

  it('narrows the attendance export by team', async () => {
    const lines = await csvLines(`/api/exports/attendance.csv?year=2026&teamId=${teamId}`);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['冯媛', '冯媛']);
  });
});

describe('certificate check page', () => {
  it('confirms a genuine certificate in Chinese with the masked name only', async () => {
    for (const path of [`/verify/${certificateNumber}`, `/verify?number=${certificateNumber.toLowerCase()}`]) {
      const page = await new ApiClient(t.url).get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.body).toContain('证明真实有效');
      expect(page.body).toContain('冯*');
      expect(page.body).not.toContain('冯媛');
      expect(page.body).toContain('3 小时');
      expect(page.body).toMatch(/2026年1月1日<\/span>至<span[^>]*>2026年3月31日/);
    }
  });

  it('says 404 in Chinese for a number it never issued, and offers a form without one', async () => {
    const missing = await new ApiClient(t.url).get('/verify/202600999-ABCDEF');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('未找到该编号的证明');
    const form = await new ApiClient(t.url).get('/verify');
    expect(form.status).toBe(200);
    expect(form.body).toContain('name="number"');
  });
});

describe('print pages', () => {
  it('asks a browser without a session to sign in, as a page', async () => {
    const page = await new ApiClient(t.url).get('/print/ledger?month=2026-03');
    expect(page.status).toBe(401);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('请先登录');
    expect(page.body).toContain('/admin/?next=%2Fprint%2Fledger%3Fmonth%3D2026-03');
    expect((await viewer.get(`/print/certificates/${certificateNumber}`)).status).toBe(403);
  });

  it('prints the monthly ledger with organizer, team, attendance and hours', async () => {
    const page = await api.get('/print/ledger?month=2026-03');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    for (const text of ['幸福里志愿驿站志愿服务活动台账', '2026年3月', '河道清理', '社区居委会', '河道队', '2026-03-10 09:00–11:00', '@page']) expect(page.body).toContain(text);
    expect((await api.get('/print/ledger?month=2026-13')).status).toBe(400);
  });

  it('prints a certificate with the full name, masked ID number, records and a QR code of the check page; printing is audited', async () => {
    const page = await api.get(`/print/certificates/${certificateNumber}`);
    expect(page.status).toBe(200);
    for (const text of ['志愿服务记录证明', certificateNumber, '冯媛', '1101**********002X', '河道清理', '滨河路', '社区居委会', '<svg', `/verify/${certificateNumber}`]) expect(page.body).toContain(text);
    expect(page.body).not.toContain('11010519491231002X');
    const audit = (await api.get('/api/audit?q=certificate.printed')).body.items;
    expect(audit[0]).toMatchObject({ target: people.feng, summary: certificateNumber });
    expect((await api.get('/print/certificates/202600999-ABCDEF')).status).toBe(404);
  });

  it('prints the year-end summary with charts', async () => {
    const page = await viewer.get('/print/year-summary?year=2026');
    expect(page.status).toBe(200);
    expect(page.body).toContain('幸福里志愿驿站2026年度志愿服务总结');
    expect(page.body.match(/<svg/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
