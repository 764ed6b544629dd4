import { Router, type Response } from 'express';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { AppContext } from '../context.ts';
import { auditChange } from '../audit.ts';
import { actorOf, requirePermission } from '../auth/session.ts';
import { parseInput } from '../http/validate.ts';
import { exportRangeSchema } from '../protocol/schemas.ts';
import { attendanceColumns, attendanceRows, type AttendanceRow } from './attendance-rows.ts';

const ROWS_PER_YIELD = 500;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function download(res: Response, type: string, filename: string): void {
  res.setHeader('Content-Type', type);
  // RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names survive every browser.
  res.setHeader('Content-Disposition', `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
}

/** Writes rows to an export, yielding between batches so scans keep their sub-second acks during a year's export. */
async function eachRow(rows: Iterable<AttendanceRow>, write: (row: AttendanceRow) => void): Promise<void> {
  let count = 0;
  for (const row of rows) {
    write(row);
    if (++count % ROWS_PER_YIELD === 0) await yieldToEventLoop();
  }
}

export function exportRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get('/exports/attendance.xlsx', requirePermission('exports:personal'), async (req, res) => {
    const { from, to } = parseInput(exportRangeSchema, req.query);
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.attendance', undefined, `xlsx ${from}..${to}`)]);
    download(res, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `签到记录_${from}_${to}.xlsx`);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: true });
    const sheet = workbook.addWorksheet('签到记录');
    sheet.columns = attendanceColumns.map((c) => ({ header: c.header, key: c.key, width: c.key === 'activity' ? 28 : 16 }));
    await eachRow(attendanceRows(ctx.store.state, from, to), (row) => sheet.addRow(row).commit());
    sheet.commit();
    await workbook.commit();
  });

  router.get('/exports/attendance.csv', requirePermission('exports:personal'), async (req, res) => {
    const { from, to } = parseInput(exportRangeSchema, req.query);
    await ctx.store.commit([auditChange(ctx.clock.now(), actorOf(req), 'export.attendance', undefined, `csv ${from}..${to}`)]);
    download(res, 'text/csv; charset=utf-8', `签到记录_${from}_${to}.csv`);
    // The BOM makes Excel on Windows read the file as UTF-8 instead of garbling Chinese.
    const csv = stringify({ header: true, bom: true, columns: attendanceColumns.map((c) => ({ key: c.key, header: c.header })) });
    csv.pipe(res);
    await eachRow(attendanceRows(ctx.store.state, from, to), (row) => csv.write(row));
    csv.end();
  });

  return router;
}
