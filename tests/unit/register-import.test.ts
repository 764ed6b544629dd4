import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MAX_DATA_ROWS, parseRegister, RegisterFormatError, type ImportCandidate } from '../../server/src/volunteers/register-import.ts';
import { registerTemplateXlsx } from '../../server/src/volunteers/register-template.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SAMPLE = new URL('../fixtures/volunteer-register-sample.xlsx', import.meta.url);
// Valid GB 11643 numbers: the standard's own example, and two checked by hand.
const ID_1949 = '11010519491231002X';
const ID_1962 = '530103196207282101';
const ID_1948 = '510121194808147175';

async function xlsx(rows: ExcelJS.CellValue[][], prepare?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  rows.forEach((values, index) => {
    if (values.length > 0) sheet.getRow(index + 1).values = values;
  });
  prepare?.(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvUtf8WithBom(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

describe('parseRegister on the sample register a center sent us', () => {
  // Inspected cell by cell: title merged over A1:K1, header in row 2, 45 numbered rows (3–47).
  it('finds the header under the title row and maps the columns by their Chinese names', async () => {
    const parsed = await parseRegister(await readFile(SAMPLE), XLSX);
    expect(parsed.columns).toEqual({
      name: '姓名',
      gender: '性别',
      birthYear: '出生年月',
      idNumber: '身份证号码',
      phone: '联系电话',
      address: '所在网格/小区',
      teamNames: '服务队',
      skills: '特长',
      joinedOn: '加入时间',
      notes: '备注',
    });
    expect(parsed.totalRows).toBe(45);
    expect(parsed.candidates).toHaveLength(41);
    expect(parsed.candidates.map((c) => c.row)).toEqual([...Array.from({ length: 40 }, (_, i) => i + 3), 47]);
  });

  it('rejects the four bad rows with a sentence naming the column and the value', async () => {
    const parsed = await parseRegister(await readFile(SAMPLE), XLSX);
    expect(parsed.errors).toEqual([
      { row: 43, message: '第43行 联系电话“1380013800”不是11位手机号码' },
      { row: 44, message: '第44行 缺少姓名' },
      // Weighted sum of 51012119600512001 is 183, 183 mod 11 = 7, so the check digit is 5; the file says 3.
      { row: 45, message: '第45行 身份证号码“510121196005120013”校验位不正确，请核对' },
      { row: 46, message: '第46行 联系电话“19558086395”与第5行重复' },
    ]);
  });

  it('reads numbers stored as numbers, date cells, text dates and full-width digits', async () => {
    const parsed = await parseRegister(await readFile(SAMPLE), XLSX);
    const byRow = new Map(parsed.candidates.map((c) => [c.row, c]));
    // Row 3: phone is a number cell, 加入时间 a date cell (serial 44552), 出生年月 the text 1962.7.
    expect(byRow.get(3)).toEqual<ImportCandidate>({
      row: 3,
      name: '毛慧敏',
      gender: 'female',
      phone: '18529202938',
      idNumber: ID_1962,
      birthYear: 1962,
      address: '银湖水榭',
      skills: ['理发'],
      teamNames: ['妇女志愿服务队'],
      joinedOn: '2021-12-22',
    });
    // Row 5: 出生年月 "1962.10" must not become 1962.1; phone is text.
    expect(byRow.get(5)).toMatchObject({ phone: '19558086395', birthYear: 1962, joinedOn: '2020-03-03', gender: 'female' });
    // Row 6: 加入时间 is the text 2021.3.6.
    expect(byRow.get(6)).toMatchObject({ joinedOn: '2021-03-06', teamNames: ['居民志愿服务队'], skills: ['书法'] });
    // Row 7: address "恋湖家园 " with a trailing space, phone a number cell.
    expect(byRow.get(7)).toMatchObject({ phone: '19432093858', address: '恋湖家园', gender: 'male', birthYear: 1945, joinedOn: '2015-10-08' });
    // Row 12: no ID number; the birth year comes from 出生年月 1958.1.
    expect(byRow.get(12)).toMatchObject({ name: '李晓东', phone: '19578198790', birthYear: 1958, joinedOn: '2017-08-04' });
    expect(byRow.get(12)?.idNumber).toBeUndefined();
    // Row 13: 特长 left empty.
    expect(byRow.get(13)).toMatchObject({ skills: [], idNumber: '510121195112040630', birthYear: 1951 });
    // Row 47: phone typed with full-width digits １３７００１３７０００.
    expect(byRow.get(47)).toMatchObject({ name: '卢红梅', phone: '13700137000', birthYear: 1960, joinedOn: '2020-01-01' });
  });
});

describe('parseRegister on CSV', () => {
  const csv = [
    '姓名,性别,手机号,身份证号,出生年份,住址/网格,技能,服务队,加入日期,备注,监护人',
    `张三,男,138 0013 8000,${ID_1949},,一网格3号楼,"理发、摄影",助老志愿服务队,2023/5/1,,`,
    '李四,女,+86 139-0000-1111,,1958年3月,二网格,急救 书法,"党员志愿服务队，文体志愿服务队",2023年5月1日,周末有空,',
    '王小明,男,,,2015,三网格,,,2023.5.1,,王大明',
  ].join('\r\n');
  const expected: ImportCandidate[] = [
    {
      row: 2,
      name: '张三',
      gender: 'male',
      phone: '13800138000',
      idNumber: ID_1949,
      birthYear: 1949,
      address: '一网格3号楼',
      skills: ['理发', '摄影'],
      teamNames: ['助老志愿服务队'],
      joinedOn: '2023-05-01',
    },
    {
      row: 3,
      name: '李四',
      gender: 'female',
      phone: '13900001111',
      birthYear: 1958,
      address: '二网格',
      skills: ['急救', '书法'],
      teamNames: ['党员志愿服务队', '文体志愿服务队'],
      joinedOn: '2023-05-01',
      notes: '周末有空',
    },
    { row: 4, name: '王小明', gender: 'male', birthYear: 2015, address: '三网格', skills: [], teamNames: [], joinedOn: '2023-05-01', guardianName: '王大明' },
  ];

  it('reads UTF-8 with a BOM', async () => {
    const parsed = await parseRegister(csvUtf8WithBom(csv), 'text/csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.candidates).toEqual(expected);
  });

  it('reads the same file saved as GBK by Excel on Chinese Windows', async () => {
    const gbk = iconv.encode(csv, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const parsed = await parseRegister(gbk, 'text/csv');
    expect(parsed.candidates).toEqual(expected);
  });

  it('reads GBK bytes written out by hand', async () => {
    // 姓名,手机号 / 张三,13800138000 in GBK: 姓 D0D5 名 C3FB 手 CAD6 机 BBFA 号 BAC5 张 D5C5 三 C8FD.
    const bytes = Buffer.from([
      0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xca, 0xd6, 0xbb, 0xfa, 0xba, 0xc5, 0x0d, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, ...Buffer.from('13800138000'),
    ]);
    const parsed = await parseRegister(bytes, 'application/vnd.ms-excel');
    expect(parsed.candidates).toEqual([{ row: 2, name: '张三', gender: 'unspecified', phone: '13800138000', skills: [], teamNames: [] }]);
  });

  it('reads what Excel writes for long numbers, and refuses digits it has already lost', async () => {
    const text = ['姓名,手机号,身份证号', '甲,1.3812345678E+10,', '乙,1.38123E+10,', '丙,="13912345678",5.10121E+17'].join('\n');
    const parsed = await parseRegister(csvUtf8WithBom(text), 'text/csv');
    expect(parsed.candidates).toMatchObject([{ row: 2, name: '甲', phone: '13812345678' }]);
    expect(parsed.errors).toEqual([
      { row: 3, message: '第3行 手机号“1.38123E+10”以科学计数法保存，号码已不完整' },
      { row: 4, message: '第4行 身份证号“5.10121E+17”以数字格式保存，末尾几位已丢失，请把该列设为文本后重新填写' },
    ]);
  });
});

describe('parseRegister rules', () => {
  it('normalises full-width digits in phone, ID number and dates', async () => {
    const parsed = await parseRegister(
      await xlsx([
        ['姓名', '手机', '身份证', '出生日期', '入队时间'],
        ['赵六', '１３８－００１３－８０００', '１１０１０５１９４９１２３１００２ｘ', '１９４９．１２', '２０２３年５月１日'],
      ]),
      XLSX,
    );
    expect(parsed.candidates).toMatchObject([{ phone: '13800138000', idNumber: ID_1949, birthYear: 1949, joinedOn: '2023-05-01' }]);
  });

  it('takes phone numbers and dates stored as numbers', async () => {
    const parsed = await parseRegister(
      await xlsx([
        ['name', 'phone', 'birthYear', 'joinedOn'],
        ['A', 13800138000, 1958, 45047],
        ['B', 8613900001111, new Date(Date.UTC(1962, 6, 28)), new Date(Date.UTC(2023, 4, 1))],
        ['C', '13700137000.0', 1962.1, 20230501],
      ]),
      XLSX,
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.candidates.map(({ phone, birthYear, joinedOn }) => ({ phone, birthYear, joinedOn }))).toEqual([
      // Excel serial 45047 is 2023-05-01.
      { phone: '13800138000', birthYear: 1958, joinedOn: '2023-05-01' },
      { phone: '13900001111', birthYear: 1962, joinedOn: '2023-05-01' },
      { phone: '13700137000', birthYear: 1962, joinedOn: '2023-05-01' },
    ]);
  });

  it('refuses an ID number stored as a number, because Excel kept only 15 digits of it', async () => {
    const parsed = await parseRegister(await xlsx([['姓名', '身份证号'], ['钱七', 110105194912310000]]), XLSX);
    expect(parsed.candidates).toEqual([]);
    expect(parsed.errors).toEqual([{ row: 2, message: '第2行 身份证号“110105194912310000”以数字格式保存，末尾几位已丢失，请把该列设为文本后重新填写' }]);
  });

  it('reports every problem of a row in one message', async () => {
    const parsed = await parseRegister(
      await xlsx([
        ['姓名', '手机号', '身份证号', '加入日期'],
        ['孙八', '1381234567', '110105194912310021', '2023年13月1日'],
      ]),
      XLSX,
    );
    expect(parsed.errors).toEqual([
      {
        row: 2,
        message: '第2行 手机号“1381234567”不是11位手机号码；身份证号“110105194912310021”校验位不正确，请核对；加入日期“2023年13月1日”无法识别为日期',
      },
    ]);
  });

  it('derives the birth year from the ID number when the column is absent', async () => {
    const parsed = await parseRegister(await xlsx([['姓名', '身份证号'], ['周九', ID_1948]]), XLSX);
    expect(parsed.candidates).toMatchObject([{ idNumber: ID_1948, birthYear: 1948 }]);
  });

  it('reports a later row with the same phone or ID number as an earlier one', async () => {
    const parsed = await parseRegister(
      await xlsx([
        ['姓名', '手机号', '身份证号'],
        ['吴一', '13800138000', ID_1962],
        ['郑二', '138 0013 8000', ''],
        ['王三', '13900001111', ID_1962.toLowerCase()],
      ]),
      XLSX,
    );
    expect(parsed.candidates.map((c) => c.name)).toEqual(['吴一']);
    expect(parsed.errors).toEqual([
      { row: 3, message: '第3行 手机号“13800138000”与第2行重复' },
      { row: 4, message: `第4行 身份证号“${ID_1962}”与第2行重复` },
    ]);
  });

  it('reports a row without a name, and skips empty, numbered-only and footer rows without counting them', async () => {
    const parsed = await parseRegister(
      await xlsx([
        ['序号', '姓名', '手机号'],
        [1, '冯十', '13800138000'],
        [],
        [2, '', '13900001111'],
        [3, '', ''],
        ['合计', '共2人', ''],
        ['', '制表人：陈某', '审核人：林某'],
      ]),
      XLSX,
    );
    expect(parsed.totalRows).toBe(2);
    expect(parsed.candidates.map((c) => c.row)).toEqual([2]);
    expect(parsed.errors).toEqual([{ row: 4, message: '第4行 缺少姓名' }]);
  });

  it('finds the header below several title rows and merged cells, and keeps Excel row numbers', async () => {
    const bytes = await xlsx(
      [
        ['东河园社区志愿者花名册'],
        ['填报单位：东河园社区居委会', '', '', '填报日期：2024年5月'],
        [],
        ['姓 名', '性别', '联系电话（必填）', '所属队伍'],
        ['陈 一', '女', '13800138000', '助老志愿服务队'],
        ['林二', '男性', '13900001111'],
      ],
      (sheet) => {
        sheet.mergeCells('A1:D1');
        sheet.mergeCells('D5:D6');
      },
    );
    const parsed = await parseRegister(bytes, undefined);
    expect(parsed.columns).toEqual({ name: '姓 名', gender: '性别', phone: '联系电话（必填）', teamNames: '所属队伍' });
    expect(parsed.candidates).toEqual([
      { row: 5, name: '陈一', gender: 'female', phone: '13800138000', skills: [], teamNames: ['助老志愿服务队'] },
      // The team cell is merged down over both rows.
      { row: 6, name: '林二', gender: 'male', phone: '13900001111', skills: [], teamNames: ['助老志愿服务队'] },
    ]);
  });

  it('parses its own template back', async () => {
    const parsed = await parseRegister(await registerTemplateXlsx(), XLSX);
    expect(Object.keys(parsed.columns).sort()).toEqual(
      ['name', 'gender', 'phone', 'idNumber', 'birthYear', 'address', 'skills', 'teamNames', 'joinedOn', 'notes', 'guardianName'].sort(),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.candidates).toEqual([
      {
        row: 3,
        name: '张三',
        gender: 'male',
        phone: '13800138000',
        idNumber: ID_1949,
        birthYear: 1949,
        address: '一网格3号楼',
        skills: ['理发', '摄影'],
        teamNames: ['助老志愿服务队'],
        joinedOn: '2024-03-01',
        notes: '示例行，导入前请删除',
      },
    ]);
  });

  it('keeps phone and ID columns of the template as text cells', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await registerTemplateXlsx()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect([sheet.getColumn(3).numFmt, sheet.getColumn(4).numFmt]).toEqual(['@', '@']);
    expect(typeof sheet.getCell('C3').value).toBe('string');
  });
});

describe('parseRegister refuses files it cannot read as a register', () => {
  const refuses = (bytes: Buffer, contentType?: string) => expect(parseRegister(bytes, contentType)).rejects.toBeInstanceOf(RegisterFormatError);

  it('refuses a PNG, an empty upload, an old .xls and a fake .xlsx', async () => {
    await refuses(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'image/png');
    await refuses(Buffer.alloc(0), 'text/csv');
    await refuses(Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex'), 'application/vnd.ms-excel');
    await refuses(Buffer.from('姓名,手机号\n张三,13800138000'), XLSX);
  });

  it('refuses a text without a 姓名 header in its first rows', async () => {
    await expect(parseRegister(Buffer.from('亲爱的各位志愿者：\n周六上午九点集合。\n'), 'text/plain')).rejects.toThrow(/姓名/);
  });

  it(`refuses more than ${MAX_DATA_ROWS} data rows`, async () => {
    const rows = Array.from({ length: MAX_DATA_ROWS + 1 }, (_, i) => `志愿者${i},`);
    await expect(parseRegister(Buffer.from(['姓名,备注', ...rows].join('\n')), 'text/csv')).rejects.toThrow(/20000/);
  });
});
