import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../server/src/protocol/views.ts';
import { adminClient, type ApiClient, startStation, type TestStation } from '../support/station.ts';

/**
 * The register as a street office keeps it: no phone or ID number for many older volunteers,
 * birth dates typed wrong (a year in the future), a 合计 line under the table. The station's
 * clock is fixed at 01:30 on 8 December in Beijing, 17:30 on the 7th in UTC: a birth date of the
 * 8th is today in the center (a baby, not a typo) and the 9th is after today.
 */
const NOW = new Date('2026-12-07T17:30:00Z');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const day = (text: string) => new Date(`${text}T00:00:00Z`);

let t: TestStation;
let api: ApiClient;
let register: Buffer;

async function messyRegister(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('花名册');
  sheet.getRow(1).values = ['幸福社区志愿者花名册（2026年）'];
  sheet.mergeCells('A1:H1');
  const rows: ExcelJS.CellValue[][] = [
    ['序号', '姓名', '性别', '出生日期', '联系电话', '身份证号码', '住址/网格', '服务队'],
    [1, '王秀英', '女', day('1956-03-12'), null, null, '一网格5栋', '助老服务队'], // row 3: no phone, no ID
    [2, '刘  强', '男', '1961年5月', null, null, '二网格', '助老服务队'], // row 4: name padded for print, year and month only
    [3, '陈建国', '男', 1958, 13912345678, null, '三网格', null], // row 5: a phone (matched by it)
    [4, '赵小雨', '女', '2031-04-05', null, null, '一网格', null], // row 6: a birth date years ahead
    [5, '周安', '男', day('2026-12-08'), null, null, '二网格', null], // row 7: born today in Beijing: under 14
    [6, '吴乐', '女', day('2026-12-09'), null, null, '二网格', null], // row 8: tomorrow in Beijing
    [7, '孙丽', '女', null, null, null, null, null], // row 9: a name and nothing else
    [8, '王秀英', '女', day('1956-03-12'), null, null, '一网格5栋', null], // row 10: row 3 again
    [9, '王秀英', '女', day('1971-08-01'), null, null, '一网格5栋', null], // row 11: same name, another person
    [10, '李桂兰', '女', day('1950-01-02'), null, null, '四网格', null], // row 12: registered by hand, her grid in this column
    ['合计', '10人'],
  ];
  rows.forEach((values, index) => (sheet.getRow(index + 2).values = values));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const volunteerCount = async () => (await api.get('/api/volunteers?limit=1')).body.total as number;
const importRegister = async (dryRun = false): Promise<ImportReport> => {
  const answer = await api.post(`/api/volunteers/import${dryRun ? '?dryRun=1' : ''}`, register, { 'content-type': XLSX });
  expect(answer.status).toBe(200);
  return answer.body as ImportReport;
};
const rowsOf = (list: ImportReport['errors']) => list.map((r) => [r.row, r.code]);

beforeAll(async () => {
  t = await startStation({ clock: { now: () => new Date(NOW) } });
  api = await adminClient(t);
  register = await messyRegister();
  const byHand = await api.post('/api/volunteers', { name: '李桂兰', phone: '13800001111', birthDate: '1950-01-02', address: '幸福路1号', grid: '四网格' });
  expect(byHand.status).toBe(201);
});
afterAll(async () => {
  await t?.destroy();
});

describe('importing a register with rows that have no phone or ID number', () => {
  it('says a birth date after today is in the future, not that the volunteer is under 14', async () => {
    const preview = await importRegister(true);
    expect(preview.totalRows).toBe(10);
    expect(rowsOf(preview.errors)).toEqual([
      [6, 'BIRTH_DATE_IN_FUTURE'],
      [7, 'GUARDIAN_CONSENT_REQUIRED'],
      [8, 'BIRTH_DATE_IN_FUTURE'],
    ]);
    const [future, baby, tomorrow] = preview.errors;
    expect(future).toMatchObject({ details: { value: '2031-04-05' } });
    expect(future!.message).toContain('出生日期“2031-04-05”在今天之后');
    expect(tomorrow).toMatchObject({ details: { value: '2026-12-09' } });
    for (const row of [future!, tomorrow!]) expect(row.message).not.toContain('未满14岁');
    expect(baby!.message).toContain('未满14岁');
  });

  it('previews rows like someone already registered, or like an earlier row, as possible duplicates', async () => {
    const preview = await importRegister(true);
    expect(preview.preview.map((r) => r.name)).toEqual(['王秀英', '刘强', '陈建国', '孙丽', '王秀英']);
    expect(preview).toMatchObject({ dryRun: true, imported: 5, skipped: 2, possibleDuplicates: 2 });
    const lookalike = (await api.get('/api/volunteers?q=李桂兰')).body.items[0];
    expect(preview.skippedRows).toEqual([
      expect.objectContaining({ row: 10, code: 'POSSIBLE_DUPLICATE', details: expect.objectContaining({ cardNo: preview.preview[0]!.cardNo }) }),
      expect.objectContaining({ row: 12, code: 'POSSIBLE_DUPLICATE', details: { cardNo: lookalike.cardNo, volunteerId: lookalike.id } }),
    ]);
    expect(preview.skippedRows[1]!.message).toContain('可能重复');
  });

  it('imports the file once, and importing it twice more adds nobody', async () => {
    // Three imports of the real sample, each parsed in a worker: 30 s was not enough on a loaded machine.
    const before = await volunteerCount();
    const first = await importRegister();
    expect(first).toMatchObject({ dryRun: false, imported: 5, skipped: 2, possibleDuplicates: 2 });
    expect(await volunteerCount()).toBe(before + 5);
    const wang = (await api.get('/api/volunteers?q=王秀英')).body.items.find((v: { birthDate?: string }) => v.birthDate === '1956-03-12');
    expect(wang).toMatchObject({ birthYear: 1956, address: '一网格5栋' });

    for (let again = 0; again < 2; again++) {
      const report = await importRegister();
      expect(report).toMatchObject({ imported: 0, skipped: 7, possibleDuplicates: 6 });
      expect(rowsOf(report.skippedRows)).toEqual([
        [3, 'POSSIBLE_DUPLICATE'],
        [4, 'POSSIBLE_DUPLICATE'],
        [5, 'ALREADY_REGISTERED'],
        [9, 'POSSIBLE_DUPLICATE'],
        [10, 'POSSIBLE_DUPLICATE'],
        [11, 'POSSIBLE_DUPLICATE'],
        [12, 'POSSIBLE_DUPLICATE'],
      ]);
      expect(rowsOf(report.errors)).toEqual(rowsOf(first.errors));
      expect(await volunteerCount()).toBe(before + 5);
    }
  }, 90_000);
});
