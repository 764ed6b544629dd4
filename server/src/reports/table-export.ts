import type { Writable } from 'node:stream';
import type { Response } from 'express';

export type Cell = string | number;

export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => Cell | undefined;
  /** Excel column width in characters; a CJK character takes about two. */
  width?: number;
}

/** One table of an export: a worksheet of the XLSX, a section of the CSV. */
export interface TableSheet<Row = never> {
  name: string;
  columns: readonly TableColumn<Row>[];
  /** Async rows are read as they are written: the district hub streams them from PostgreSQL. */
  rows: Iterable<Row> | AsyncIterable<Row>;
}

export type ExportFormat = 'xlsx' | 'csv';

/**
 * Rows written between two turns of the event loop. Short, because the stream work those rows
 * set off (CSV encoding, zipping) runs after the slice in the same turn: measured, a 10 ms slice
 * held the loop about 40 ms, a 3 ms one under 20 ms.
 */
const SLICE_MS = 3;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Gathers the records an export writes, oldest first. The walk over ten years of records pauses
 * every few milliseconds like the writing does, so choosing a year's rows does not stall scans.
 */
export async function collectByTime<T extends { at: number }>(records: Iterable<T>): Promise<T[]> {
  const selected: T[] = [];
  let sliceStart = performance.now();
  for (const record of records) {
    selected.push(record);
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await nextTurn();
    sliceStart = performance.now();
  }
  // Stable: records of the same instant keep the order they were made in.
  return selected.sort((a, b) => a.at - b.at);
}

/** Lets TypeScript check each sheet's columns against its own rows, then forgets the row type. */
export function sheet<Row>(table: TableSheet<Row>): TableSheet<unknown> {
  return table as unknown as TableSheet<unknown>;
}

/** The Chinese file name, and an ASCII one for clients that cannot read RFC 5987 names. */
export interface ExportName {
  name: string;
  ascii: string;
}

const contentTypes: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** The headers of a download: its type, and its name in Chinese with an ASCII fallback. */
export function setDownloadHeaders(res: Response, format: ExportFormat, filename: ExportName): void {
  res.setHeader('Content-Type', contentTypes[format]);
  // RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser.
  const ascii = filename.ascii.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${filename.name}.${format}`)}`);
  res.setHeader('Cache-Control', 'no-store');
}

/**
 * Streams tables as XLSX or CSV. Every export goes through here: rows are written in slices of
 * about 10 ms with a turn of the event loop between them, and the writer waits while the client is slow,
 * so a year's export neither stalls the scans nor piles up in memory. A client that goes away
 * stops the export. (The station's own reports and exports write their tables in a worker thread
 * with writeTables, reports/report-offthread.ts; the district hub calls this.)
 */
export async function sendTables(res: Response, format: ExportFormat, filename: ExportName, sheets: readonly TableSheet<unknown>[]): Promise<void> {
  setDownloadHeaders(res, format, filename);
  try {
    await writeTables(res, format, sheets);
  } catch (error) {
    // Headers are gone by now, so the error cannot become a JSON answer: cut the download short instead of ending it as if complete.
    res.destroy();
    throw error;
  }
}

/**
 * The body of a download, written to `out` (a response, or a worker's stream back to it) and
 * ended; false when `out` was destroyed (the client went away) before all rows were written.
 */
export async function writeTables(out: Writable, format: ExportFormat, sheets: readonly TableSheet<unknown>[]): Promise<boolean> {
  return format === 'xlsx' ? writeXlsx(out, sheets) : writeCsv(out, sheets);
}

async function writeXlsx(out: Writable, sheets: readonly TableSheet<unknown>[]): Promise<boolean> {
  // Imported on first use: exceljs alone is ~0.6 s of CPU, too much for every start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  for (const table of sheets) {
    const worksheet = workbook.addWorksheet(table.name);
    worksheet.columns = table.columns.map((column) => ({ header: column.header, width: column.width ?? 16 }));
    worksheet.getRow(1).font = { bold: true };
    const completed = await writeRows(table.rows, out, out, (row) => worksheet.addRow(table.columns.map((column) => column.value(row) ?? '')).commit());
    if (!completed) return false;
    worksheet.commit();
  }
  await workbook.commit();
  return true;
}

/** A leading character that makes a spreadsheet read a cell as a formula or a command (OWASP: CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number ("-2.5", "+3") is read as a number, never as a formula: left as it is. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * One text cell as a CSV cell that Excel and WPS show as text. Names, notes and addresses are
 * typed by people: `=HYPERLINK(…)` in a name must not become a link or a command in the office
 * PC's spreadsheet. A leading apostrophe makes the cell plain text (OWASP's rule). Numbers are
 * numbers; XLSX cells are written as typed strings and need none of this.
 */
export function csvSafeCell(value: Cell | undefined): Cell {
  if (typeof value !== 'string') return value ?? '';
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

async function writeCsv(out: Writable, sheets: readonly TableSheet<unknown>[]): Promise<boolean> {
  // The BOM makes Excel on Windows read the file as UTF-8 instead of garbling Chinese.
  const { stringify } = await import('csv-stringify');
  const csv = stringify({ bom: true });
  csv.pipe(out);
  // Every row, headers and table names included, goes through csvSafeCell: this is the only place the server writes CSV.
  const writeCells = (cells: (Cell | undefined)[]) => csv.write(cells.map(csvSafeCell));
  // A CSV has one table: several are written one after another, each under its name, a blank line apart.
  const titled = sheets.length > 1;
  for (const [index, table] of sheets.entries()) {
    if (titled) {
      if (index > 0) writeCells([]);
      writeCells([table.name]);
    }
    writeCells(table.columns.map((column) => column.header));
    const completed = await writeRows(table.rows, csv, out, (row) => writeCells(table.columns.map((column) => column.value(row))));
    if (!completed) return false;
  }
  csv.end();
  return true;
}

/** False when the client went away before all rows were written. */
async function writeRows<Row>(rows: Iterable<Row> | AsyncIterable<Row>, target: Writable, res: Writable, write: (row: Row) => void): Promise<boolean> {
  let sliceStart = performance.now();
  for await (const row of rows) {
    write(row);
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await nextTurn();
    sliceStart = performance.now();
    if (target.writableNeedDrain || res.writableNeedDrain) await drained([target, res], res);
    if (res.destroyed) return false;
  }
  return !res.destroyed;
}

function drained(streams: Writable[], res: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const stream of streams) stream.off('drain', check);
      res.off('close', done);
      resolve();
    };
    const check = () => {
      if (!streams.some((stream) => stream.writableNeedDrain)) done();
    };
    for (const stream of streams) stream.on('drain', check);
    res.on('close', done);
  });
}
