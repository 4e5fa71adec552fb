import type { CohortPolicy } from '../schemas/cohort-policy';
import { isBornTooEarly } from '../schemas/cohort-policy';
import { classifyNationalId, type NationalIdKind } from '../schemas/national-id';
import type { OsCode, OtStatusCode } from '../schemas/ot-codes';
import type { OtUnit } from '../schemas/units';
import {
  REQUIRED_COLUMNS,
  VIGO_COLUMNS,
  vigoRowSchema,
  type Guardian,
  type PostalAddress,
  type RejectedRow,
  type VigoColumn,
} from '../schemas/vigo-row';
import { ageOn, defaultCalendar } from '../workflows/calendar';
import { cellsByName, readCsvTable } from './csv-rows';

/** A person as the campaign keeps them: what PostgreSQL stores, never what a workflow carries. */
export interface TransferPerson {
  line: number;
  nationalId: string;
  idKind: NationalIdKind;
  birthDate?: string;
  firstName: string;
  lastName: string;
  address?: PostalAddress;
  /** An address given only in part cannot carry a letter; kept so staff see what VIGO sent. */
  partialAddress?: Partial<PostalAddress>;
  address2?: PostalAddress;
  mobile?: string;
  email?: string;
  unit: string;
  osCode: OsCode;
  caseworker?: string;
  washedStatus?: OtStatusCode;
  guardians: Guardian[];
  under18: boolean;
}

export interface TransferReading {
  /** Data rows in the file (the header not counted). */
  rows: number;
  accepted: TransferPerson[];
  rejected: RejectedRow[];
  /** Line numbers of youth born too early for the cohort's age limit. */
  outsideTargetGroup: number[];
  warnings: string[];
}

/** The file as a whole cannot be read: no header, a required column missing. */
export class TransferFileError extends Error {}

function address(street?: string, postcode?: string, city?: string): { full?: PostalAddress; partial?: Partial<PostalAddress> } {
  if (street && postcode && city) return { full: { street, postcode, city } };
  if (street || postcode || city) return { partial: { street, postcode, city } };
  return {};
}

/** Reads a VIGO transfer (formats/vigo-transfer.md): every row accepted, rejected with its line, or outside the target group. */
export function readTransfer(text: string, units: OtUnit[], policy: Pick<CohortPolicy, 'schoolYear' | 'ageLimit'>): TransferReading {
  const { names, rows: data } = readCsvTable(text, {
    empty: 'the file is empty: line 1 must be the header row',
    invalid: (at, reason) => `the file is not valid CSV${at}: ${reason}`,
    error: (message) => new TransferFileError(message),
  });
  const warnings = names.filter((n) => n !== '' && !(VIGO_COLUMNS as readonly string[]).includes(n)).map((n) => `unknown column "${n}" is ignored`);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new TransferFileError(`the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  const duplicated = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  if (duplicated.length > 0) throw new TransferFileError(`the header repeats the column ${duplicated[0]}`);

  const unitCodes = new Set(units.map((u) => u.code));
  const letters = defaultCalendar(policy.schoolYear).letters;
  const seen = new Map<string, number>();
  const reading: TransferReading = { rows: data.length, accepted: [], rejected: [], outsideTargetGroup: [], warnings };

  for (const record of data) {
    const line = record.line;
    const cells = cellsByName<VigoColumn>(names, record, VIGO_COLUMNS);
    const parsed = vigoRowSchema.safeParse(cells);
    if (!parsed.success) {
      reading.rejected.push({ line, reason: parsed.error.issues[0].message });
      continue;
    }
    const row = parsed.data;
    if (!unitCodes.has(row.ot_eining)) {
      // Echo the cell only when it is short: a long one may be an id number in the wrong column.
      const shown = row.ot_eining.length <= 8 ? ` ${row.ot_eining}` : '';
      reading.rejected.push({ line, reason: `ot_eining${shown} is not a configured OT unit` });
      continue;
    }
    const earlier = seen.get(row.fodselsnummer);
    if (earlier !== undefined) {
      reading.rejected.push({ line, reason: `the same fodselsnummer as line ${earlier}` });
      continue;
    }
    seen.set(row.fodselsnummer, line);

    const id = classifyNationalId(row.fodselsnummer);
    if (id.birthDate && isBornTooEarly(id.birthDate, policy)) {
      reading.outsideTargetGroup.push(line);
      continue;
    }
    const home = address(row.adresse, row.postnummer, row.poststad);
    const guardians: Guardian[] = [];
    for (const g of [
      [row.foresatt1_namn, row.foresatt1_adresse, row.foresatt1_postnummer, row.foresatt1_poststad],
      [row.foresatt2_namn, row.foresatt2_adresse, row.foresatt2_postnummer, row.foresatt2_poststad],
    ] as const) {
      if (g[0]) guardians.push({ name: g[0], address: address(g[1], g[2], g[3]).full });
    }
    reading.accepted.push({
      line,
      nationalId: row.fodselsnummer,
      idKind: id.kind,
      birthDate: id.birthDate,
      firstName: row.fornavn,
      lastName: row.etternavn,
      address: home.full,
      partialAddress: home.partial,
      address2: address(row.adresse2, row.postnummer2, row.poststad2).full,
      mobile: row.mobil,
      email: row.epost,
      unit: row.ot_eining,
      osCode: row.os_kode,
      caseworker: row.saksbehandlar,
      washedStatus: row.ot_status,
      guardians,
      under18: id.birthDate !== undefined && ageOn(id.birthDate, letters[row.os_kode]) < 18,
    });
  }
  return reading;
}
