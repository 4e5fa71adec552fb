import { CASE_ID_PATTERN } from '../schemas/case-id';
import { ADDRESS_LINE_MAX, tooLong } from '../schemas/limits';
import { normaliseMobile } from '../schemas/mobile';
import { OS_CODES, parseOtStatus, otGroupOf, type OtStatusCode } from '../schemas/ot-codes';
import type { PostalAddress, RejectedRow } from '../schemas/vigo-row';
import { cellsByName, readCsvTable } from './csv-rows';

/**
 * The NAV meeting's list, both ways: the columns of the export (domain order), and what the import reads back of them.
 * The export is the form: the meeting writes the new address, mobile or status over the old ones, and the same file is
 * imported. A cell that still holds what is stored changes nothing, so importing the file again changes nothing more.
 */
export const NAV_EXPORT_COLUMNS = [
  'saksref',
  'namn',
  'fødd',
  'ot_eining',
  'status',
  'saksbehandlar',
  'ringjar',
  'adresse',
  'postnummer',
  'poststad',
  'mobil',
  'andre_nummer',
  'epost',
] as const;

/** The columns the import reads; the export's other columns are there for the meeting and ignored. */
const READ_COLUMNS = ['saksref', 'adresse', 'postnummer', 'poststad', 'mobil', 'status'] as const;
type ReadColumn = (typeof READ_COLUMNS)[number];

/** One row of what the meeting learned, checked on its own: the case, and the new details it gives (absent: none). */
export interface NavImportRow {
  line: number;
  caseId: string;
  address?: PostalAddress;
  mobile?: string;
  /** An outcome: OTOV or a code of UDIR groups 3–5. OTUK (or an empty cell) says nothing new. */
  status?: OtStatusCode;
}

export interface NavImportReading {
  rows: NavImportRow[];
  rejected: RejectedRow[];
  warnings: string[];
}

/** The file as a whole cannot be read: no header, no saksref column, not CSV. */
export class NavImportFileError extends Error {}

/** Why a row cannot be applied, or its parsed content. Cells are echoed only when short and harmless (never an id number). */
function readRow(line: number, cells: Partial<Record<ReadColumn, string>>): NavImportRow | string {
  // A cell the export escaped against formulas (domain/csv-cells.ts) comes back with its quote: read it as written.
  const cell = (c: ReadColumn) => (cells[c] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
  const caseId = cell('saksref').toLowerCase();
  if (!caseId) return 'saksref is missing';
  if (!CASE_ID_PATTERN.test(caseId)) return 'saksref must be a case id (24 hexadecimal characters, as the export wrote it)';
  const row: NavImportRow = { line, caseId };

  const [street, postcode, city] = [cell('adresse'), cell('postnummer'), cell('poststad')];
  if (street || postcode || city) {
    if (!street || !postcode || !city) return 'a new address needs adresse, postnummer and poststad: all three, or none';
    if (!/^\d{4}$/.test(postcode)) return 'postnummer must be 4 digits';
    if (street.length > ADDRESS_LINE_MAX) return tooLong('adresse', ADDRESS_LINE_MAX);
    if (city.length > ADDRESS_LINE_MAX) return tooLong('poststad', ADDRESS_LINE_MAX);
    row.address = { street, postcode, city };
  }

  const mobile = cell('mobil');
  if (mobile) {
    const e164 = normaliseMobile(mobile);
    if (!e164) return 'mobil is not a Norwegian mobile number (8 digits starting with 4 or 9)';
    row.mobile = e164;
  }

  const status = cell('status');
  if (status && status.toUpperCase() !== 'OTUK') {
    const shown = status.length <= 8 ? ` "${status}"` : '';
    if ((OS_CODES as readonly string[]).includes(status.toUpperCase()))
      return `status${shown} is an OS code: it says why VIGO sent the youth and cannot be what the meeting learned; use OTOV or a code of UDIR groups 3–5`;
    const code = parseOtStatus(status);
    if (!code) return `status${shown} is not a UDIR OT status code`;
    if (otGroupOf(code) < 2) return `status${shown}: use OTOV or a code of UDIR groups 3–5`;
    row.status = code;
  }
  return row;
}

/**
 * Reads the NAV meeting's file: a header with saksref and any of adresse/postnummer/poststad, mobil and status, then one row
 * per youth. Every row is checked on its own, as the transfer file's are: a row that breaks a rule is rejected with its line
 * number (the header is line 1) and the reason; a case named twice is rejected on its second line.
 */
export function readNavImport(text: string): NavImportReading {
  const { names, rows: data } = readCsvTable(text, {
    empty: 'the file is empty: line 1 must be the header row, with a saksref column',
    invalid: (at) => `the file is not valid CSV${at}`,
    error: (message) => new NavImportFileError(message),
  });
  if (!names.includes('saksref')) throw new NavImportFileError('the header lacks the column saksref (the case reference the export wrote)');
  const duplicated = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  if (duplicated.length > 0) throw new NavImportFileError(`the header repeats the column ${duplicated[0]}`);
  const known = new Set<string>([...NAV_EXPORT_COLUMNS, ...READ_COLUMNS]);
  const warnings = names.filter((n) => n !== '' && !known.has(n)).map((n) => `unknown column "${n.slice(0, 40)}" is ignored`);

  const reading: NavImportReading = { rows: [], rejected: [], warnings };
  const seen = new Map<string, number>();
  for (const record of data) {
    const line = record.line;
    const row = readRow(line, cellsByName(names, record, READ_COLUMNS));
    if (typeof row === 'string') {
      reading.rejected.push({ line, reason: row });
      continue;
    }
    const earlier = seen.get(row.caseId);
    if (earlier !== undefined) {
      reading.rejected.push({ line, reason: `the same saksref as line ${earlier}` });
      continue;
    }
    seen.set(row.caseId, line);
    reading.rows.push(row);
  }
  return reading;
}
