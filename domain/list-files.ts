import ExcelJS from 'exceljs';
import { csvText } from './csv-cells';
import { writePrivateFile } from './private-files';

export interface ListColumn<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  width?: number;
}

/**
 * A list for office staff, written twice from the same cells: CSV for other tools (domain/csv-cells.ts: semicolons, a
 * byte-order mark, escaped against formulas) and XLSX for people. Every XLSX cell from data is a typed text cell (string
 * value, number format '@') or a number, never a formula: a name that starts with `=` is shown, never run. Both files are
 * owner-only (domain/private-files.ts). Returns both paths.
 */
export async function writeListFiles<T>(
  basePath: string,
  sheetName: string,
  columns: ListColumn<T>[],
  rows: T[],
): Promise<{ csv: string; xlsx: string }> {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const values of cells) {
    const row = sheet.addRow(values.map(() => null));
    values.forEach((value, i) => {
      const cell = row.getCell(i + 1);
      if (typeof value === 'number') {
        cell.value = value;
      } else {
        // Assigned as a plain string: exceljs makes a formula only of a { formula } object, which data never becomes here.
        cell.numFmt = '@';
        cell.value = value ?? '';
      }
    });
  }
  const paths = { csv: `${basePath}.csv`, xlsx: `${basePath}.xlsx` };
  await writePrivateFile(paths.xlsx, new Uint8Array(await workbook.xlsx.writeBuffer()));
  await writePrivateFile(
    paths.csv,
    csvText(
      columns.map((c) => c.header),
      cells,
    ),
  );
  return paths;
}
