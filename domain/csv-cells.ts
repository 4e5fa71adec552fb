/**
 * Every CSV the system writes goes through here: the lists for office staff, the reports and the SMS outbox for PSWin.
 * Semicolon-separated (Norwegian Excel's list separator), UTF-8 with a byte-order mark, CRLF line ends, RFC 4180 quoting.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, after
 * trimming, one that starts with a tab or a carriage return) as a formula, so a name such as `=HYPERLINK("http://…")` in a
 * transfer file would become a link or a command in the office's Excel. Such a text cell is written with a single quote in
 * front, and quoted: Excel shows it as the text it is. Numbers (JS numbers: counts, positions) are written as they are; a
 * number cannot hold a formula, and a negative count must stay a number.
 *
 * No column keeps a leading `+`: the SMS export's mobile is stored validated (`+47` and 8 digits, schemas/mobile.ts) and
 * written without `+47`, as PSWin wants it, so it starts with a digit and is never escaped.
 */

export type CsvValue = string | number | undefined | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text that a spreadsheet would run as a formula, made plain text (CSV only: an XLSX cell is typed text, see list-files.ts). */
export function defuseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV cell: escaped against formulas, quoted when it must be (separator, quote, line break) or was escaped. */
export function csvCell(value: CsvValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = defuseFormula(value);
  return text !== value || /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(';')}\r\n`;
}

const BOM = '\uFEFF';

/** A whole file: a header row and the rows, as Excel opens it. */
export function csvText(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return BOM + csvLine(header) + rows.map(csvLine).join('');
}
