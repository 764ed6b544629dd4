import type { CellValue } from 'exceljs';

/**
 * Cell normalisation for the register importer. Registers are typed by hand in Excel or WPS, so
 * the same value arrives as a number, a date cell or text in several spellings; these helpers
 * turn each into one form. The readers at the bottom also say, in the words staff will read
 * after the column name and value, why a cell cannot be used.
 */

/** A spreadsheet cell reduced to what the importer reads; every CSV cell is text. */
export type Cell = string | number | boolean | Date | null;

export function cellFromExcel(value: CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    return result === undefined || (typeof result === 'object' && !(result instanceof Date)) ? null : result;
  }
  if ('hyperlink' in value) return value.text;
  return null;
}

/** Full-width ASCII (０-９, Ａ-Ｚ, （）) and the ideographic space, as an IME types them, to half-width. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function isEmptyCell(cell: Cell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** Integers print without an exponent, so an 11-digit phone stored as a number reads as its digits. */
function numberText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : String(value);
}

function dayText(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The cell as a person reads it, with runs of spaces (also full-width ones) collapsed. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return numberText(cell);
  if (cell instanceof Date) return dayText(cell);
  return String(cell).replace(/\s+/g, ' ').trim();
}

/**
 * Phone and ID numbers as a string of digits. `approximate` is set when the digits cannot be
 * trusted: Excel keeps only 15 significant digits of a number, so an 18-digit ID typed into a
 * number cell has already lost its tail, and "1.38123E+10" in a CSV is missing digits too.
 */
function codeText(cell: Cell | undefined): { text: string; approximate: boolean } {
  if (typeof cell === 'number') {
    const text = numberText(cell);
    return { text, approximate: text.replace(/^-/, '').length > 15 };
  }
  // An apostrophe or ="…" is how people force Excel to keep a number as text.
  const text = toHalfWidth(cellText(cell))
    .replace(/^'|^="(.*)"$/g, '$1')
    .replace(/\s+/g, '');
  const scientific = /^(\d)\.(\d+)E\+?(\d+)$/i.exec(text);
  if (scientific) {
    const [, lead, fraction = '', exponent] = scientific;
    const missing = Number(exponent) - fraction.length;
    return missing < 0 ? { text, approximate: true } : { text: lead + fraction + '0'.repeat(missing), approximate: missing > 0 };
  }
  return { text: text.replace(/\.0+$/, ''), approximate: false };
}

interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

function checked(year: number, month?: number, day?: number): PartialDate | undefined {
  if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
  if (month === undefined) return { year };
  if (month < 1 || month > 12) return undefined;
  if (day === undefined) return { year, month };
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : undefined;
}

/** Excel's day 0 is 1899-12-30 once past its 1900 leap-year bug, which covers every plausible date. */
function fromExcelSerial(serial: number): Date {
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
}

function fromDate(date: Date): PartialDate | undefined {
  // exceljs hands date cells over as UTC midnight of the day shown in Excel.
  return checked(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function fromNumber(value: number): PartialDate | undefined {
  // 1962.10 typed into a number cell is 1962.1: only the year survives.
  if (value >= FIRST_YEAR && value < LAST_YEAR + 1) return { year: Math.floor(value) };
  if (Number.isInteger(value) && value >= 19000101 && value <= 21001231) {
    return checked(Math.floor(value / 10000), Math.floor(value / 100) % 100, value % 100);
  }
  const serialOf1901 = 367;
  const serialOf2101 = 73416;
  return value >= serialOf1901 && value < serialOf2101 ? fromDate(fromExcelSerial(value)) : undefined;
}

const SEPARATED_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|\s*月?)$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})?$/;

/** Dates as registers hold them: date cells, Excel serials, 2023/5/1, 2023年5月1日, 2023.5.1, 1958年3月, 1958. */
function parsePartialDate(cell: Cell | undefined): PartialDate | undefined {
  if (cell instanceof Date) return fromDate(cell);
  if (typeof cell === 'number') return fromNumber(cell);
  const text = toHalfWidth(cellText(cell));
  const match = SEPARATED_DATE.exec(text) ?? COMPACT_DATE.exec(text);
  if (match) return checked(Number(match[1]), Number(match[2]), match[3] === undefined ? undefined : Number(match[3]));
  const year = /^(\d{4})\s*年?$/.exec(text);
  if (year) return checked(Number(year[1]));
  return /^\d+(\.\d+)?$/.test(text) ? fromNumber(Number(text)) : undefined;
}

function formatDay(date: Required<PartialDate>): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** What a cell reader makes of a filled cell: a value, or the reason it cannot be used. */
export type Reading<T> = { value: T; problem?: undefined } | { value?: undefined; problem: string };

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

export function readPhone(cell: Cell): Reading<string> {
  const { text, approximate } = codeText(cell);
  if (approximate) return { problem: '以科学计数法保存，号码已不完整' };
  const digits = text.replace(/[-()]/g, '');
  const phone = /^(\+?86|0086)1\d{10}$/.test(digits) ? digits.slice(-11) : digits;
  return /^1[3-9]\d{9}$/.test(phone) ? { value: phone } : { problem: '不是11位手机号码' };
}

export function readIdNumber(cell: Cell): Reading<string> {
  const { text, approximate } = codeText(cell);
  if (approximate) return { problem: '以数字格式保存，末尾几位已丢失，请把该列设为文本后重新填写' };
  const id = text.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { problem: '不是18位身份证号码' };
  const sum = GB11643_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  if ('10X98765432'[sum % 11] !== id[17]) return { problem: '校验位不正确，请核对' };
  return parsePartialDate(id.slice(6, 14))?.day === undefined ? { problem: '中的出生日期无效' } : { value: id };
}

/** The birth year, and the full date (YYYY-MM-DD) when the cell gives the day too (1962.7 gives only the year). */
export function readBirth(cell: Cell): Reading<{ year: number; date?: string }> {
  const date = parsePartialDate(cell);
  if (date === undefined) return { problem: '无法识别为出生年份' };
  const { year, month, day } = date;
  return { value: month !== undefined && day !== undefined ? { year, date: formatDay({ year, month, day }) } : { year } };
}

export function readJoinedOn(cell: Cell): Reading<string> {
  const date = parsePartialDate(cell);
  // A month is enough (入队时间 2019年3月 is common); a bare year is too vague to record.
  if (date?.month === undefined) return { problem: '无法识别为日期' };
  return { value: formatDay({ year: date.year, month: date.month, day: date.day ?? 1 }) };
}

/** A full day (insurance cover from/to, issue 15): a month alone is not enough to insure anyone. */
export function readDay(cell: Cell): Reading<string> {
  const date = parsePartialDate(cell);
  if (date?.day === undefined || date.month === undefined) return { problem: '无法识别为日期' };
  return { value: formatDay({ year: date.year, month: date.month, day: date.day }) };
}
