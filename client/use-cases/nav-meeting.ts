import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { navImportTargets, navMeetingRows, type NavImportTarget, type NavMeetingRow } from '../../db/nav-meeting';
import { writeListFiles, type ListColumn } from '../../domain/list-files';
import { NAV_EXPORT_COLUMNS, readNavImport, type NavImportRow } from '../../domain/nav-meeting-file';
import type { RejectedRow, PostalAddress } from '../../schemas/vigo-row';
import { caseViewQuery, refusalQuery, youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import type { CaseAction } from '../../workflows/youth-case/machine';
import { CaseActionError, registerAction, registerContact, type ContactDetails } from './case-actions';

export type { NavMeetingRow };

type Column = (typeof NAV_EXPORT_COLUMNS)[number];
const CELLS: Record<Column, ListColumn<NavMeetingRow>> = {
  saksref: { header: 'saksref', value: (r) => r.caseId, width: 26 },
  namn: { header: 'namn', value: (r) => r.name, width: 30 },
  fødd: { header: 'fødd', value: (r) => r.birthDate, width: 12 },
  ot_eining: { header: 'ot_eining', value: (r) => r.unit },
  status: { header: 'status', value: (r) => r.otStatus },
  saksbehandlar: { header: 'saksbehandlar', value: (r) => r.caseworker, width: 20 },
  ringjar: { header: 'ringjar', value: (r) => r.caller, width: 20 },
  adresse: { header: 'adresse', value: (r) => r.address?.street, width: 30 },
  postnummer: { header: 'postnummer', value: (r) => r.address?.postcode },
  poststad: { header: 'poststad', value: (r) => r.address?.city, width: 16 },
  // The 8 digits without +47, as PSWin's export has them: no cell to escape, and the import reads them back. A number a call
  // found wrong is left out (it is under andre_nummer): the meeting is asked for a new one.
  mobil: { header: 'mobil', value: (r) => (r.mobileWrong ? undefined : r.mobile?.replace(/^\+47/, '')), width: 14 },
  andre_nummer: {
    header: 'andre_nummer',
    value: (r) => [...(r.mobileWrong && r.mobile ? [`${r.mobile} (feil)`] : []), ...r.otherPhones].join(', ') || undefined,
    width: 24,
  },
  epost: { header: 'epost', value: (r) => r.email, width: 26 },
};
const COLUMNS = NAV_EXPORT_COLUMNS.map((c) => CELLS[c]);

/** A unit's youth still OTUK with their contact details, for the NAV meeting; with `person`, one counsellor's share. */
export function navMeetingList(pool: Pool, q: { schoolYear: number; unit: string; person?: string }): Promise<NavMeetingRow[]> {
  return navMeetingRows(pool, q);
}

/** The meeting's list as CSV and XLSX at `base`: the same columns the import reads back. */
export function writeNavMeetingFiles(base: string, rows: NavMeetingRow[]): Promise<{ csv: string; xlsx: string }> {
  return writeListFiles(base, 'NAV-møte', COLUMNS, rows);
}

/** The list as a download (the API sends it; nothing is kept). */
export async function navMeetingFile(
  pool: Pool,
  q: { schoolYear: number; unit: string; person?: string; format: 'csv' | 'xlsx' },
): Promise<{ name: string; content: Buffer; caseIds: string[] }> {
  const rows = await navMeetingRows(pool, q);
  const dir = await mkdtemp(path.join(tmpdir(), 'ot-nav-'));
  try {
    const name = `nav-${q.schoolYear}-${q.unit}`;
    const files = await writeNavMeetingFiles(path.join(dir, name), rows);
    return { name: `${name}.${q.format}`, content: await readFile(files[q.format]), caseIds: rows.map((r) => r.caseId) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface NavImportChange {
  line: number;
  caseId: string;
  /** What changed on the case: "address", "mobile", "status OTUK → OTAR". */
  changes: string[];
}

export interface NavImportSummary {
  schoolYear: number;
  /** Data rows in the file. */
  rows: number;
  applied: NavImportChange[];
  /** Lines whose row holds nothing the case does not have already: the file imported again lands here. */
  unchanged: number[];
  rejected: RejectedRow[];
  warnings: string[];
  /** With `strict`, a file with a rejected row is refused whole: nothing applied. */
  refused: boolean;
}

type Planned = { row: NavImportRow; address?: PostalAddress; mobile?: string; status?: { from: string; to: NavImportRow['status'] & string } };

const sameAddress = (a: PostalAddress | undefined, b: PostalAddress) =>
  a !== undefined && [a.street, a.postcode, a.city].join('|').toLowerCase() === [b.street, b.postcode, b.city].join('|').toLowerCase();

/** What a row would change on its case, or why the case refuses it: asked of the case itself (its refusal query) before anything is applied. */
async function plan(client: Client, row: NavImportRow, target: NavImportTarget, actor: { by: string; byUserId?: string }): Promise<Planned | string> {
  const handle = client.workflow.getHandle(youthCaseWorkflowId(target.schoolYear, row.caseId));
  const planned: Planned = { row };
  if (row.address && !sameAddress(target.address, row.address)) planned.address = row.address;
  if (row.mobile && (row.mobile !== target.mobile || target.mobileWrong)) planned.mobile = row.mobile;
  try {
    if (row.status) {
      const now = await handle.query(caseViewQuery);
      if (now.otStatus !== row.status) planned.status = { from: now.otStatus, to: row.status };
    }
    const requests: CaseAction[] = [
      ...(planned.address ? [{ type: 'CONTACT' as const, kind: 'address' as const, source: 'nav' as const, ...actor }] : []),
      ...(planned.mobile ? [{ type: 'CONTACT' as const, kind: 'mobile' as const, source: 'nav' as const, ...actor }] : []),
      ...(planned.status ? [{ type: 'OUTCOME' as const, status: planned.status.to, channel: 'nav' as const, ...actor }] : []),
    ];
    for (const request of requests) {
      const refused = await handle.query(refusalQuery, request);
      if (refused) return refused;
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'the case is closed: its school year has ended';
    throw err;
  }
  return planned;
}

/** Applies one planned row as the caseworker's own Updates would (CONTACT with source nav, OUTCOME by channel nav); what it changed. */
async function apply(pool: Pool, client: Client, p: Planned, actor: { by: string; byUserId?: string }): Promise<string[]> {
  const done: string[] = [];
  const contact = (details: ContactDetails) => registerContact(pool, client, p.row.caseId, details, { source: 'nav', ...actor });
  try {
    if (p.address) {
      await contact({ kind: 'address', address: p.address });
      done.push('address');
    }
    if (p.mobile) {
      await contact({ kind: 'mobile', mobile: p.mobile });
      done.push('mobile');
    }
    if (p.status) {
      await registerAction(pool, client, p.row.caseId, { type: 'OUTCOME', status: p.status.to, channel: 'nav', ...actor });
      done.push(`status ${p.status.from} → ${p.status.to}`);
    }
  } catch (err) {
    if (!(err instanceof CaseActionError)) throw err;
    // Another change came between the check and this one: say what was applied before it.
    throw new CaseActionError(`${err.message}${done.length ? ` (${done.join(', ')} registered before it)` : ''}`, err.kind);
  }
  return done;
}

/**
 * Imports what the NAV meeting learned: a CSV of case references with a new address, mobile or status. Every row is read and
 * checked on its own (domain/nav-meeting-file.ts), then against its case: one of another school year or of a unit the user
 * does not see is "no case", and each change is asked of the case before anything is applied. Rows that fail are listed by
 * line and the rest applied, as the same Updates a caseworker makes; with `strict`, any failed row refuses the whole file.
 * A row whose cells hold what the case has already changes nothing, so the same file imported again applies nothing more.
 */
export async function importNavMeeting(
  deps: { pool: Pool; client: Client },
  req: { schoolYear: number; text: string; strict?: boolean; unitIn?: readonly string[]; by: string; byUserId?: string },
): Promise<NavImportSummary> {
  const reading = readNavImport(req.text);
  const actor = { by: req.by, ...(req.byUserId ? { byUserId: req.byUserId } : {}) };
  const summary: NavImportSummary = {
    schoolYear: req.schoolYear,
    rows: reading.rows.length + reading.rejected.length,
    applied: [],
    unchanged: [],
    rejected: [...reading.rejected],
    warnings: reading.warnings,
    refused: false,
  };
  const targets = await navImportTargets(
    deps.pool,
    reading.rows.map((r) => r.caseId),
  );
  const plans: Planned[] = [];
  for (const row of reading.rows) {
    const target = targets.get(row.caseId);
    if (!target || target.schoolYear !== req.schoolYear || (req.unitIn && !req.unitIn.includes(target.unit))) {
      summary.rejected.push({ line: row.line, reason: `no case ${row.caseId} in school year ${req.schoolYear}` });
      continue;
    }
    const planned = await plan(deps.client, row, target, actor);
    if (typeof planned === 'string') summary.rejected.push({ line: row.line, reason: planned });
    else if (!planned.address && !planned.mobile && !planned.status) summary.unchanged.push(row.line);
    else plans.push(planned);
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  if (req.strict && summary.rejected.length > 0) return { ...summary, unchanged: [], refused: true };
  for (const p of plans) {
    try {
      summary.applied.push({ line: p.row.line, caseId: p.row.caseId, changes: await apply(deps.pool, deps.client, p, actor) });
    } catch (err) {
      if (!(err instanceof CaseActionError)) throw err;
      summary.rejected.push({ line: p.row.line, reason: err.message });
    }
  }
  summary.rejected.sort((a, b) => a.line - b.line);
  return summary;
}
