import { parse } from 'csv-parse/sync';
import { nationalIdSchema } from '../schemas/national-id';

/** A cross-check list from the admissions office cannot be used as it is; nothing has been matched. */
export class CrosscheckFileError extends Error {}

export interface CrosscheckEntry {
  line: number;
  nationalId: string;
}

const ID_COLUMNS = ['fodselsnummer', 'fødselsnummer', 'fnr', 'personnummer', 'national_id'];

/**
 * Reads a cross-check list: a CSV with a fodselsnummer column (other columns, such as names, are
 * ignored), or one number per line without a header. Every row must hold a valid number, or the
 * whole list is refused with the lines to mend, so a typo never silently drops a youth.
 */
export function readCrosscheckList(text: string): CrosscheckEntry[] {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const firstLine = normalised.split('\n', 1)[0] ?? '';
  if (firstLine.trim() === '') throw new CrosscheckFileError('the list is empty: line 1 must be a header with fodselsnummer, or a number');
  const unquoted = firstLine.replace(/"[^"]*"/g, '');
  const delimiter = (unquoted.match(/;/g)?.length ?? 0) >= (unquoted.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(normalised, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new CrosscheckFileError(`the list is not valid CSV${line ? ` at line ${line}` : ''}`);
  }
  records = records.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  if (records.length === 0) throw new CrosscheckFileError('the list is empty');
  const header = records[0].record.map((h) => h.trim().toLowerCase());
  let column = header.findIndex((h) => ID_COLUMNS.includes(h));
  if (column < 0) {
    if (!/^\d/.test(header[0] ?? '')) throw new CrosscheckFileError(`line 1 has no fodselsnummer column (one of ${ID_COLUMNS.join(', ')})`);
    column = 0; // no header: the numbers start on line 1
  } else {
    records = records.slice(1);
  }

  const entries: CrosscheckEntry[] = [];
  const bad: number[] = [];
  const seen = new Set<string>();
  for (const { record, info } of records) {
    const parsed = nationalIdSchema.safeParse((record[column] ?? '').trim());
    if (!parsed.success) {
      bad.push(info.lines);
      continue;
    }
    if (seen.has(parsed.data)) continue;
    seen.add(parsed.data);
    entries.push({ line: info.lines, nationalId: parsed.data });
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 10).join(', ') + (bad.length > 10 ? ` and ${bad.length - 10} more` : '');
    throw new CrosscheckFileError(`no 11-digit fodselsnummer on line${bad.length > 1 ? 's' : ''} ${shown}; nothing was matched`);
  }
  if (entries.length === 0) throw new CrosscheckFileError('the list holds no fodselsnummer');
  return entries;
}
