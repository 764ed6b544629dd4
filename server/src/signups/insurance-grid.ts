import { cellFromExcel, isEmptyCell, type Cell } from '../volunteers/register-cells.ts';
import { RegisterFormatError, RegisterTooLargeError } from '../volunteers/register-import.ts';

/**
 * Reading the insurer's XLSX into rows of cells. It runs in the register importer's worker
 * thread (volunteers/register-worker.ts): exceljs holds the whole workbook and takes seconds of
 * CPU on a long list, which on the main thread would hold up every scan's ack meanwhile.
 */

export const MAX_INSURANCE_ROWS = 5000;

export interface GridRow {
  /** The row's number in the sheet, for the error list. */
  number: number;
  cells: Cell[];
}

/** The rows of the first visible sheet with any; [] for an empty workbook. */
export async function readInsuranceGrid(bytes: Buffer): Promise<GridRow[]> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new RegisterFormatError('The XLSX file could not be read; it may be damaged');
  }
  for (const sheet of workbook.worksheets) {
    if (sheet.state !== 'visible') continue;
    const rows: GridRow[] = [];
    sheet.eachRow((row, number) => {
      const cells: Cell[] = [];
      row.eachCell((cell, column) => {
        cells[column - 1] = cellFromExcel(cell.value);
      });
      if (cells.some((c) => !isEmptyCell(c))) rows.push({ number, cells });
    });
    if (rows.length > MAX_INSURANCE_ROWS + 20) throw new RegisterTooLargeError(`The list has more than ${MAX_INSURANCE_ROWS} rows; split it`);
    if (rows.length > 0) return rows;
  }
  return [];
}
