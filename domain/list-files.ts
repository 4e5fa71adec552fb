import ExcelJS from 'exceljs';

export interface ListColumn<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  width?: number;
}

/**
 * A list for office staff, written twice from one worksheet: CSV for other tools (semicolon-separated,
 * UTF-8 with a byte-order mark, as Norwegian Excel opens it) and XLSX for people. Returns both paths.
 */
export async function writeListFiles<T>(
  basePath: string,
  sheetName: string,
  columns: ListColumn<T>[],
  rows: T[],
): Promise<{ csv: string; xlsx: string }> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? ''));
  const paths = { csv: `${basePath}.csv`, xlsx: `${basePath}.xlsx` };
  await workbook.xlsx.writeFile(paths.xlsx);
  await workbook.csv.writeFile(paths.csv, { sheetName, formatterOptions: { delimiter: ';', writeBOM: true, rowDelimiter: '\r\n' } });
  return paths;
}
