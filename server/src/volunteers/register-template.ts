const HEADERS = ['姓名', '性别', '手机号', '身份证号', '出生年份', '住址/网格', '技能', '服务队', '加入日期', '备注', '监护人'];
const COLUMN_WIDTHS = [10, 6, 14, 21, 9, 18, 18, 18, 12, 20, 10];
const TEXT_COLUMNS = ['手机号', '身份证号'];

/** The example ID is the one printed in GB 11643 itself, so it passes the check digit. */
const EXAMPLE_ROW = ['张三', '男', '13800138000', '11010519491231002X', 1949, '一网格3号楼', '理发、摄影', '助老志愿服务队', new Date(Date.UTC(2024, 2, 1)), '示例行，导入前请删除', ''];

/**
 * The register template staff download, fill in and import. Phone and ID columns are text
 * cells: typed into a number cell, Excel shows an 11-digit phone in scientific notation and
 * drops the last three digits of an ID number for good.
 */
export async function registerTemplateXlsx(): Promise<Buffer> {
  // Imported on first use: exceljs alone is ~0.6 s of CPU, too much for every start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('志愿者登记表', { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.mergeCells(1, 1, 1, HEADERS.length);
  sheet.getCell(1, 1).value = '志愿者登记表（第3行是示例，导入前请删除）';
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getRow(2).values = HEADERS;
  sheet.getRow(2).font = { bold: true };
  HEADERS.forEach((header, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = COLUMN_WIDTHS[index]!;
    if (TEXT_COLUMNS.includes(header)) column.numFmt = '@';
  });
  sheet.getColumn(HEADERS.indexOf('加入日期') + 1).numFmt = 'yyyy-mm-dd';
  sheet.getRow(3).values = EXAMPLE_ROW;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
