import { parse } from 'csv-parse/sync';

/**
 * The rows of a CSV file an office sends in (the VIGO transfer, the NAV meeting's list), each with the line it starts on,
 * as Excel writes them: a byte-order mark or none, CRLF or LF, `;` or `,` (whichever the header holds more of outside
 * quotes), quoted fields that may span lines, rows of bare delimiters for rows whose cells were cleared. Each reader then
 * checks its own columns and rows; this is the one place that knows how a file's rows and their line numbers are found.
 */
export interface CsvRow {
  /** The line the row starts on (the header is line 1): a quoted field may span lines, and the row is named by its first. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  /** The header's column names, trimmed and in lower case, in file order. */
  names: string[];
  /** The data rows (the header not counted), without the rows whose cells are all empty. */
  rows: CsvRow[];
}

/** What a reader says when the file as a whole cannot be read, in its own words and its own error class. */
export interface CsvFileProblems {
  /** The first line is empty: there is no header. */
  empty: string;
  /** Not valid CSV; `at` is ` at line N` where the parser knows it, `reason` the parser's own (short, never a cell). */
  invalid: (at: string, reason: string) => string;
  error: (message: string) => Error;
}

function detectDelimiter(headerLine: string): ';' | ',' {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  return (unquoted.match(/;/g)?.length ?? 0) >= (unquoted.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Reads the header and the rows of a CSV file; a file that cannot be read at all throws the reader's error. */
export function readCsvTable(text: string, problems: CsvFileProblems): CsvTable {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const headerLine = normalised.split('\n', 1)[0] ?? '';
  if (headerLine.trim() === '') throw problems.error(problems.empty);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(normalised, {
      delimiter: detectDelimiter(headerLine),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw problems.error(problems.invalid(line ? ` at line ${line}` : '', (err as Error).message.split(':')[0]));
  }
  // Excel writes a row of bare delimiters for a row whose cells were cleared: that is no row.
  const [header, ...data] = records.filter((r, i) => i === 0 || r.record.some((cell) => cell.trim() !== ''));
  return {
    names: header.record.map((h) => h.trim().toLowerCase()),
    rows: data.map(({ record, info }) => ({
      // info.lines is the line the row ends on: less the line breaks inside its fields, the line it starts on.
      line: info.lines - record.reduce((n, field) => n + (field.match(/\n/g)?.length ?? 0), 0),
      cells: record,
    })),
  };
}

/** A row's cells of the columns a reader knows, by column name; other columns are left out, a missing cell is absent. */
export function cellsByName<C extends string>(names: readonly string[], row: CsvRow, columns: readonly C[]): Partial<Record<C, string>> {
  const cells: Partial<Record<C, string>> = {};
  names.forEach((name, i) => {
    if ((columns as readonly string[]).includes(name)) cells[name as C] = row.cells[i];
  });
  return cells;
}
