import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { countReturnedToVigo, vigoReturnRows, type VigoReturnRow } from '../../db/vigo-returns';
import { feilListBase, vigoReturnBase, vigoReturnFolder } from '../../domain/cohort-files';
import { digestOf } from '../../domain/digest';
import { writeListFiles, type ListColumn } from '../../domain/list-files';
import { privateFolder } from '../../domain/private-files';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import type { Config } from '../../schemas/config';
import { vigoReturnWorkflowId } from '../../workflows/contracts/mass-operations';
import { executeOrJoin } from './run-workflow';

export type { VigoReturnRow };

/** One case on the list as the API and the console see it: no national id (that goes only into the file for VIGO). */
export type VigoReturnEntry = Omit<VigoReturnRow, 'nationalId' | 'firstName' | 'lastName'>;

export const entryOf = ({ nationalId: _id, firstName: _f, lastName: _l, ...entry }: VigoReturnRow): VigoReturnEntry => entry;

const osloDateTime = (iso: string) => DateTime.fromISO(iso).setZone(CAMPAIGN_ZONE).toFormat('yyyy-MM-dd HH:mm');

/**
 * The file an office sends back to VIGO: the person as VIGO knows them (its own key, the fødselsnummer, fictitious or
 * not, is how VIGO finds the record), the code that takes them out of OT's target group and the case reference.
 */
const VIGO_COLUMNS: ListColumn<VigoReturnRow>[] = [
  { header: 'fodselsnummer', value: (r) => r.nationalId, width: 14 },
  { header: 'etternavn', value: (r) => r.lastName, width: 20 },
  { header: 'fornavn', value: (r) => r.firstName, width: 20 },
  { header: 'fødd', value: (r) => r.birthDate, width: 12 },
  { header: 'ot_eining', value: (r) => r.unit },
  { header: 'os_kode', value: (r) => r.osCode },
  { header: 'ot_status', value: (r) => r.otStatus },
  { header: 'fiktivt_id', value: (r) => (r.fictitiousId ? 'ja' : 'nei') },
  { header: 'sendt_tilbake', value: (r) => (r.returned ? osloDateTime(r.returned.at) : undefined), width: 18 },
  { header: 'saksref', value: (r) => r.caseId, width: 26 },
];

/** The admissions office's list of the Feil cases: by name and birth date, never the national id (seed 001). */
const FEIL_COLUMNS: ListColumn<VigoReturnRow>[] = [
  { header: 'namn', value: (r) => r.name, width: 30 },
  { header: 'fødd', value: (r) => r.birthDate, width: 12 },
  { header: 'ot_eining', value: (r) => r.unit },
  { header: 'os_kode', value: (r) => r.osCode },
  { header: 'grunn', value: () => 'fiktivt fødselsnummer og ingen adresse: koda Feil og sendt tilbake til VIGO', width: 60 },
  { header: 'saksref', value: (r) => r.caseId, width: 26 },
];

export type VigoListKind = 'vigo' | 'admissions-office';

/** The list of a kind: every case for VIGO; only the Feil cases for the admissions office. */
const rowsOf = (kind: VigoListKind, rows: VigoReturnRow[]) => (kind === 'vigo' ? rows : rows.filter((r) => r.otStatus === 'Feil'));

/** The cases to send back to VIGO (or, with `returned`, those sent back, or with undefined both). */
export function vigoReturnList(
  pool: Pool,
  q: { schoolYear: number; unit?: string; unitIn?: readonly string[]; returned?: boolean },
): Promise<VigoReturnRow[]> {
  return vigoReturnRows(pool, q);
}

/** Writes one list as CSV and XLSX at `base` (.csv, .xlsx). */
export function writeVigoList(kind: VigoListKind, base: string, rows: VigoReturnRow[]): Promise<{ csv: string; xlsx: string }> {
  return kind === 'vigo'
    ? writeListFiles(base, 'Tilbake til VIGO', VIGO_COLUMNS, rowsOf(kind, rows))
    : writeListFiles(base, 'Feil til inntakskontoret', FEIL_COLUMNS, rowsOf(kind, rows));
}

/** One list of a unit as a download (the API sends it; nothing is kept): written to a private temporary folder and read back. */
export async function vigoListFile(
  pool: Pool,
  q: { schoolYear: number; unit: string; kind: VigoListKind; format: 'csv' | 'xlsx'; returned?: boolean },
): Promise<{ name: string; content: Buffer; caseIds: string[] }> {
  const rows = rowsOf(q.kind, await vigoReturnRows(pool, q));
  const dir = await mkdtemp(path.join(tmpdir(), 'ot-vigo-'));
  try {
    const name = q.kind === 'vigo' ? `vigo-retur-${q.schoolYear}-${q.unit}` : `inntakskontoret-feil-${q.schoolYear}-${q.unit}`;
    const files = await writeVigoList(q.kind, path.join(dir, name), rows);
    return { name: `${name}.${q.format}`, content: await readFile(files[q.format]), caseIds: rows.map((r) => r.caseId) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface UnitReturn {
  unit: string;
  /** Marked returned by this run: exactly the cases in its files. */
  returned: VigoReturnEntry[];
  files: { vigo: { csv: string; xlsx: string }; admissionsOffice?: { csv: string; xlsx: string; entries: number } };
}

export interface VigoReturnResult {
  schoolYear: number;
  units: UnitReturn[];
  /** Sent back before: nothing more is done with them. */
  alreadyReturned: number;
  /** Closed (the school year ended) before they were marked: still owed to VIGO, but their journal takes nothing more. */
  closed: VigoReturnEntry[];
}

/** Waits (a little) until the read model holds the return of each marked case, so the answer and the next list agree. */
async function projected(pool: Pool, caseIds: string[]): Promise<void> {
  for (let i = 0; i < 100 && (await countReturnedToVigo(pool, caseIds)) < caseIds.length; i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * The office sends its cases back to VIGO: per unit, the file for VIGO and the admissions office's list of the Feil cases
 * are written (into the data folder's vigo/<year>/<unit>/ unless `outDir` names a folder), then exactly the cases in them
 * are marked returned by the vigoReturn workflow, which signals each; every case journals it once, with who ran it and
 * when. Running it again finds nothing more to return and writes nothing.
 */
export async function returnToVigo(
  deps: { pool: Pool; client: Client; config: Config },
  req: { schoolYear: number; unit?: string; unitIn?: readonly string[]; by: string; byUserId?: string; outDir?: string },
): Promise<VigoReturnResult> {
  const all = await vigoReturnRows(deps.pool, req);
  const open = all.filter((r) => !r.returned && r.stage !== 'closed');
  const result: VigoReturnResult = {
    schoolYear: req.schoolYear,
    units: [],
    alreadyReturned: all.filter((r) => r.returned).length,
    closed: all.filter((r) => !r.returned && r.stage === 'closed').map(entryOf),
  };
  if (open.length === 0) return result;
  const stamp = DateTime.now().setZone(CAMPAIGN_ZONE).toFormat("yyyyLLdd'T'HHmmss");
  for (const unit of [...new Set(open.map((r) => r.unit))]) {
    const rows = open.filter((r) => r.unit === unit);
    const dir = privateFolder(req.outDir ?? vigoReturnFolder(deps.config.dataDir, req.schoolYear, unit));
    const vigo = await writeVigoList('vigo', path.join(dir, vigoReturnBase(req.schoolYear, unit, stamp)), rows);
    const feil = rowsOf('admissions-office', rows);
    const admissionsOffice = feil.length
      ? { ...(await writeVigoList('admissions-office', path.join(dir, feilListBase(req.schoolYear, unit, stamp)), rows)), entries: feil.length }
      : undefined;
    result.units.push({ unit, returned: rows.map(entryOf), files: { vigo, ...(admissionsOffice ? { admissionsOffice } : {}) } });
  }
  const caseIds = open.map((r) => r.caseId);
  const tally = await executeOrJoin(deps, 'vigoReturn', vigoReturnWorkflowId(req.schoolYear, digestOf(caseIds)), [
    { schoolYear: req.schoolYear, caseIds, by: req.by, ...(req.byUserId ? { byUserId: req.byUserId } : {}) },
  ]);
  if (tally.closed > 0) {
    // Closed between the list and the signal (the year ended just now): the files name them, their journal could not.
    const after = new Set((await vigoReturnRows(deps.pool, { ...req, returned: false })).filter((r) => r.stage === 'closed').map((r) => r.caseId));
    result.closed.push(...open.filter((r) => after.has(r.caseId)).map(entryOf));
  }
  const closedIds = new Set(result.closed.map((r) => r.caseId));
  await projected(
    deps.pool,
    caseIds.filter((id) => !closedIds.has(id)),
  );
  return result;
}
