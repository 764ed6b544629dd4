import { parse as parseCsv } from 'csv-parse/sync';
import {
  type Cell,
  type Reading,
  cellFromExcel,
  cellText,
  isEmptyCell,
  readBirth,
  readIdNumber,
  readJoinedOn,
  readPhone,
  toHalfWidth,
} from './register-cells.ts';

/**
 * Reads a volunteer register as a community center keeps it (XLSX or CSV, title rows above the
 * header, numbers stored as numbers, dates in any spelling) into candidate volunteers and
 * row-level errors. Pure: the route decides what is imported and maps team names to teams.
 */

export interface ImportCandidate {
  row: number;
  name: string;
  gender: 'male' | 'female' | 'unspecified';
  phone?: string;
  idNumber?: string;
  birthYear?: number;
  /** When the birth column gives the day (the ID number's date is read from the ID number itself). */
  birthDate?: string;
  address?: string;
  skills: string[];
  teamNames: string[];
  joinedOn?: string;
  notes?: string;
  guardianName?: string;
  /** The card number, when the file came from this system's own register export. */
  cardNo?: string;
}
export interface ImportRowError {
  row: number;
  message: string;
}
export interface ParsedRegister {
  candidates: ImportCandidate[];
  errors: ImportRowError[];
  totalRows: number;
  columns: Record<string, string>;
}

/** A problem with the whole file; the message is meant for staff, in Chinese then English. */
export class RegisterFormatError extends Error {
  override name = 'RegisterFormatError';
}

/** The file is far bigger than a register can be (too many rows, a zip bomb): refused before or while parsing. */
export class RegisterTooLargeError extends RegisterFormatError {
  override name = 'RegisterTooLargeError';
}

export const MAX_DATA_ROWS = 20_000;
const HEADER_SEARCH_ROWS = 10;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Field = 'cardNo' | 'name' | 'gender' | 'phone' | 'idNumber' | 'birthYear' | 'address' | 'skills' | 'teamNames' | 'joinedOn' | 'notes' | 'guardianName';

/**
 * Header names seen in registers. Exact names win; the loose patterns catch variants such as
 * 所在网格/小区 or 身份证号码(必填). The order matters: 监护人姓名 is the guardian, not the name,
 * and 入队时间 is a date, not a team.
 */
const COLUMNS: { field: Field; exact: string[]; loose: RegExp }[] = [
  // A register exported from here carries its card numbers: re-importing it must recognise everyone.
  { field: 'cardNo', exact: ['卡号', '志愿者卡号', '卡片编号', 'cardno'], loose: /^卡号/ },
  { field: 'guardianName', exact: ['监护人', '监护人姓名', 'guardian', 'guardianname'], loose: /^(?!.*(电话|手机|身份证|关系)).*监护人/ },
  { field: 'name', exact: ['姓名', '名字', '志愿者姓名', 'name'], loose: /^(?!.*监护).*姓名/ },
  { field: 'gender', exact: ['性别', 'gender', 'sex'], loose: /性别/ },
  { field: 'phone', exact: ['手机号', '手机', '手机号码', '联系电话', '电话', '电话号码', '联系方式', 'phone', 'mobile'], loose: /^(?!.*(监护|紧急|家属|座机|固话)).*(手机|电话|联系方式)/ },
  { field: 'idNumber', exact: ['身份证号', '身份证', '身份证号码', '证件号码', '证件号', '公民身份号码', 'idnumber'], loose: /身份证|证件号/ },
  { field: 'birthYear', exact: ['出生年份', '出生年月', '出生日期', '出生年', '生日', 'birthyear', 'birthdate'], loose: /出生/ },
  { field: 'joinedOn', exact: ['加入日期', '加入时间', '入队时间', '入队日期', '注册日期', '注册时间', '登记日期', '登记时间', 'joinedon'], loose: /(加入|入队|注册|登记).*(日期|时间)/ },
  { field: 'address', exact: ['住址', '地址', '网格', '住址/网格', '家庭住址', '现住址', '小区', 'address'], loose: /住址|地址|网格|小区/ },
  { field: 'skills', exact: ['技能', '特长', '专长', '技能特长', 'skills'], loose: /技能|特长|专长/ },
  { field: 'teamNames', exact: ['服务队', '队伍', '所属队伍', '团队', '所属团队', '所属服务队', 'team', 'teams'], loose: /队|团体/ },
  { field: 'notes', exact: ['备注', '说明', 'notes', 'note', 'remarks'], loose: /备注/ },
];

/** Summary and signature lines under the table. */
const FOOTER = /^(合计|总计|小计|共计|制表|填表|填报|审核|签字|盖章|注:)/;

const MAX_LENGTH = { name: 40, guardianName: 40, address: 200, notes: 1000, skills: 40, teamNames: 40 } as const;

interface GridRow {
  number: number;
  cells: Cell[];
}
type ColumnMap = Partial<Record<Field, number>>;

function normaliseHeader(text: string): string {
  return toHalfWidth(text)
    .replace(/\(.*?\)|【.*?】|\[.*?\]/g, '')
    .replace(/[\s*:]/g, '')
    .toLowerCase();
}

function matchColumns(cells: Cell[]): ColumnMap {
  const headers = Array.from(cells, (cell) => (typeof cell === 'string' ? normaliseHeader(cell) : ''));
  const found: ColumnMap = {};
  const taken = new Set<number>();
  for (const exact of [true, false]) {
    for (const { field, exact: names, loose } of COLUMNS) {
      if (found[field] !== undefined) continue;
      const index = headers.findIndex((header, i) => header !== '' && !taken.has(i) && (exact ? names.includes(header) : loose.test(header)));
      if (index >= 0) {
        found[field] = index;
        taken.add(index);
      }
    }
  }
  return found;
}

/** The row among the first few that names the most known columns, 姓名 among them. */
function findHeader(rows: GridRow[]): { index: number; columns: ColumnMap } | undefined {
  let best: { index: number; columns: ColumnMap } | undefined;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((row, index) => {
    const columns = matchColumns(row.cells);
    if (columns.name !== undefined && (!best || Object.keys(columns).length > Object.keys(best.columns).length)) best = { index, columns };
  });
  return best;
}

function genderOf(text: string): ImportCandidate['gender'] {
  const value = toHalfWidth(text).toLowerCase();
  if (['男', '男性', 'male', 'm'].includes(value)) return 'male';
  if (['女', '女性', 'female', 'f'].includes(value)) return 'female';
  return 'unspecified';
}

function splitList(text: string, separators: RegExp): string[] {
  return [...new Set(text.split(separators).map((item) => item.trim()).filter(Boolean))];
}

/** Names are often padded for alignment in print (张  三); spaces only matter between Latin words. */
function compactName(text: string): string {
  return text.replace(/(?<=[^\x00-\x7F]) (?=[^\x00-\x7F])/g, '');
}

/** One data row as a candidate, with every problem found in it. */
function readCandidate(row: number, cells: Cell[], columns: ColumnMap, label: (field: Field) => string): { candidate: ImportCandidate; problems: string[] } {
  const cell = (field: Field) => (columns[field] === undefined ? null : (cells[columns[field]] ?? null));
  const text = (field: Field) => cellText(cell(field));
  const problems: string[] = [];
  function read<T>(field: Field, reader: (cell: Cell) => Reading<T>): T | undefined {
    if (isEmptyCell(cell(field))) return undefined;
    const reading = reader(cell(field));
    if (reading.problem) problems.push(`${label(field)}“${text(field)}”${reading.problem}`);
    return reading.value;
  }
  const phone = read('phone', readPhone);
  const idNumber = read('idNumber', readIdNumber);
  const birth = read('birthYear', readBirth);
  const fields = {
    name: compactName(text('name')),
    phone,
    idNumber,
    // The ID number carries the birth date; the column wins when both are given.
    birthYear: isEmptyCell(cell('birthYear')) && idNumber ? Number(idNumber.slice(6, 10)) : birth?.year,
    birthDate: birth?.date,
    address: text('address'),
    joinedOn: read('joinedOn', readJoinedOn),
    notes: text('notes'),
    guardianName: compactName(text('guardianName')),
    cardNo: toHalfWidth(text('cardNo')).replace(/\s/g, ''),
  };
  if (!fields.name) problems.push(`缺少${label('name')}`);
  const candidate: ImportCandidate = {
    row,
    name: fields.name,
    gender: genderOf(text('gender')),
    skills: splitList(text('skills'), /[、，,;；/／\s]+/),
    teamNames: splitList(text('teamNames'), /[、，,;；\n]+/),
  };
  for (const [field, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') Object.assign(candidate, { [field]: value });
  }
  for (const [field, max] of Object.entries(MAX_LENGTH) as [keyof typeof MAX_LENGTH, number][]) {
    const tooLong = [candidate[field] ?? []].flat().find((value) => value.length > max);
    if (tooLong) problems.push(`${label(field)}“${tooLong.slice(0, 20)}…”超过${max}个字`);
  }
  return { candidate, problems };
}

function readRows(rows: GridRow[]): ParsedRegister {
  const header = findHeader(rows);
  if (!header) {
    throw new RegisterFormatError('没有找到含“姓名”列的表头行，请确认前10行中有表头。 / No header row with a 姓名 (name) column was found in the first 10 rows.');
  }
  const { columns } = header;
  const fields = Object.keys(columns) as Field[];
  const label = (field: Field) => cellText(rows[header.index]!.cells[columns[field] ?? -1]);
  const result: ParsedRegister = { candidates: [], errors: [], totalRows: 0, columns: Object.fromEntries(fields.map((field) => [field, label(field)])) };
  const firstRowOf = { phone: new Map<string, number>(), idNumber: new Map<string, number>() };

  for (const { number: row, cells } of rows.slice(header.index + 1)) {
    // Rows holding only a pre-printed 序号 or other unknown columns are blank lines of the form.
    if (fields.every((field) => isEmptyCell(cells[columns[field]!]))) continue;
    const firstText = toHalfWidth(cellText(cells.find((value) => !isEmptyCell(value)))).replace(/\s/g, '');
    // Registers printed over several pages repeat the header on each.
    const repeatsHeader = normaliseHeader(cellText(cells[columns.name!])) === normaliseHeader(label('name'));
    if (FOOTER.test(firstText) || repeatsHeader) continue;
    if (++result.totalRows > MAX_DATA_ROWS) {
      throw new RegisterTooLargeError(`文件超过${MAX_DATA_ROWS}行，请分成几个文件导入。 / The file has more than ${MAX_DATA_ROWS} rows; split it into smaller files.`);
    }

    const { candidate, problems } = readCandidate(row, cells, columns, label);
    for (const field of ['phone', 'idNumber'] as const) {
      const value = candidate[field];
      if (value === undefined) continue;
      const earlier = firstRowOf[field].get(value);
      if (earlier === undefined) firstRowOf[field].set(value, row);
      else problems.push(`${label(field)}“${value}”与第${earlier}行重复`);
    }
    if (problems.length > 0) result.errors.push({ row, message: `第${row}行 ${problems.join('；')}` });
    else result.candidates.push(candidate);
  }
  return result;
}

function hasPrefix(bytes: Buffer, prefix: number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

async function xlsxRows(bytes: Buffer): Promise<GridRow[][]> {
  // Imported on first use: exceljs alone is ~0.6 s of CPU, too much for every start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as its own ArrayBuffer-like Buffer; JSZip underneath takes a Node Buffer.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new RegisterFormatError('无法读取这个 Excel 文件，它可能已损坏。 / The XLSX file could not be read; it may be damaged.');
  }
  if (workbook.worksheets.length === 0) {
    throw new RegisterFormatError('这个 ZIP 文件不是 Excel 工作簿。 / The ZIP file is not an XLSX workbook.');
  }
  return workbook.worksheets
    .filter((sheet) => sheet.state === 'visible')
    .map((sheet) => {
      const rows: GridRow[] = [];
      // Cells inside a merged range report the range's value, so a team merged down a block
      // of rows reaches every row of the block.
      sheet.eachRow((row, number) => {
        const cells: Cell[] = [];
        row.eachCell((cell, column) => {
          cells[column - 1] = cellFromExcel(cell.value);
        });
        rows.push({ number, cells });
      });
      return rows;
    });
}

/** Excel on Chinese Windows saves CSV in GBK (a subset of GB18030) unless told to use UTF-8. */
function decodeText(bytes: Buffer): string {
  if (hasPrefix(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes.includes(0)) {
    throw new RegisterFormatError('这不是 Excel（.xlsx）或 CSV 文件。 / The file is not an XLSX or CSV spreadsheet.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function csvRows(bytes: Buffer): GridRow[] {
  const text = decodeText(bytes);
  const sample = text.slice(0, 4096);
  // Excel's "Unicode text" export is tab-separated.
  const delimiter = (sample.match(/\t/g)?.length ?? 0) > (sample.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new RegisterFormatError(`CSV 文件格式有误（第${line ?? '?'}行附近）。 / The CSV file is malformed near line ${line ?? '?'}.`);
  }
  // Record numbers are the row numbers Excel shows when it opens the file; they equal line numbers
  // unless a quoted cell spans lines.
  return records.map((cells, index) => ({ number: index + 1, cells })).filter((row) => row.cells.some((cell) => !isEmptyCell(cell)));
}

export async function parseRegister(bytes: Buffer, contentType: string | undefined): Promise<ParsedRegister> {
  if (bytes.length === 0) throw new RegisterFormatError('文件是空的。 / The file is empty.');
  if (hasPrefix(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new RegisterFormatError('这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。 / This is an old .xls file; save it as .xlsx and import again.');
  }
  const isZip = hasPrefix(bytes, [0x50, 0x4b, 0x03, 0x04]);
  if (!isZip && contentType?.split(';')[0]?.trim().toLowerCase() === XLSX_TYPE) {
    throw new RegisterFormatError('文件不是有效的 Excel（.xlsx）文件。 / The file is not a valid XLSX workbook.');
  }
  const sheets = isZip ? await xlsxRows(bytes) : [csvRows(bytes)];
  const nonEmpty = sheets.filter((rows) => rows.length > 0);
  if (nonEmpty.length === 0) throw new RegisterFormatError('文件是空的。 / The file is empty.');
  // A workbook may open with a cover or instructions sheet: use the first sheet that has a header.
  const registerSheet = nonEmpty.find((rows) => findHeader(rows)) ?? nonEmpty[0]!;
  return readRows(registerSheet);
}
