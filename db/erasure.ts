import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './pool';

type Db = Pool | PoolClient;

/**
 * The one home for erasing persons: a cohort past its retention period, or one person on request. Every row that
 * holds a person's data, or links to one, is deleted; the stored reports keep their counts (report_snapshots.counts
 * never names a case), and only their link to the person (report_snapshot_cases) goes, which migration 014 allows
 * once the person is gone. A new table of personal data is one more step here (before `persons` when it has a
 * foreign key to it): the plan, the dry run and the erasure all read this list.
 */
export interface ErasureStep {
  table: string;
  /** What the step removes, for the README and the operator: the columns whose data goes. */
  clears: string;
  /** The rows of the persons in $1 (their case ids). */
  where: string;
}

export const ERASURE_STEPS: readonly ErasureStep[] = [
  {
    table: 'import_rows',
    clears: 'case_input (the whole transfer row: name, national id, addresses, mobile, guardians)',
    where: 'case_id = ANY($1)',
  },
  { table: 'call_list', clears: 'the call list entries (staff, when and how the case left)', where: 'case_id = ANY($1)' },
  { table: 'returned_letters', clears: 'returned letters', where: 'case_id = ANY($1)' },
  { table: 'letters', clears: 'addressee, address (printed letters)', where: 'case_id = ANY($1)' },
  { table: 'held_letters', clears: 'held letters and their reason', where: 'case_id = ANY($1)' },
  { table: 'mailing_cases', clears: 'which mailings held the case', where: 'case_id = ANY($1)' },
  { table: 'sms_messages', clears: 'mobile, body (the SMS sent)', where: 'case_id = ANY($1)' },
  {
    table: 'sms_inbox',
    clears: 'mobile, body (replies: those registered on the case, and unmatched ones from its mobiles)',
    where: `case_id = ANY($1) OR (case_id IS NULL AND mobile IN (
      SELECT m FROM persons p, LATERAL unnest(array_append(p.other_phones, p.mobile)) AS m WHERE p.case_id = ANY($1) AND m IS NOT NULL))`,
  },
  // Before the journal and the person: a note names its person's case (and the journal row names the note).
  {
    table: 'case_notes',
    clears: "text (the notes: replies', outcomes', calls', returned letters', and the youth's SMS replies)",
    where: 'case_id = ANY($1)',
  },
  { table: 'follow_up_plans', clears: 'goal, measures, review dates (the follow-up plans)', where: 'case_id = ANY($1)' },
  { table: 'case_events', clears: 'the journal: note, detail, who, when, from and to', where: 'case_id = ANY($1)' },
  { table: 'cases', clears: 'the read model row (unit, codes, stage, caseworker, flags)', where: 'case_id = ANY($1)' },
  {
    table: 'persons',
    clears: 'national_id, person_key, names, birth_date, address, partial_address, address2, mobile, other_phones, email, guardians',
    where: 'case_id = ANY($1)',
  },
  { table: 'report_snapshot_cases', clears: "the stored reports' link to the case (their counts stay)", where: 'case_id = ANY($1)' },
];

/** Rows of a cohort held by no person: its uploaded transfer files and their summaries. */
const COHORT_STEPS: readonly { table: string; clears: string; where: string }[] = [
  {
    table: 'import_rows',
    clears: 'rows of the cohort left by an import',
    where: 'import_id IN (SELECT import_id FROM imports WHERE school_year = $1)',
  },
  { table: 'imports', clears: 'content, summary (the uploaded transfer file and what reading it gave)', where: 'school_year = $1' },
];

export type ErasureCounts = Record<string, number>;

const add = (into: ErasureCounts, from: ErasureCounts) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
};

async function countRows(db: Db, caseIds: string[]): Promise<ErasureCounts> {
  const counts: ErasureCounts = {};
  for (const s of ERASURE_STEPS) {
    const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${s.table} WHERE ${s.where}`, [caseIds]);
    counts[s.table] = Number(r.rows[0].n);
  }
  return counts;
}

async function cohortRows(db: Db, schoolYear: number): Promise<ErasureCounts> {
  const counts: ErasureCounts = {};
  for (const s of COHORT_STEPS) {
    const r = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${s.table} WHERE ${s.where}`, [schoolYear]);
    counts[s.table] = Number(r.rows[0].n);
  }
  return counts;
}

export async function cohortCaseIds(db: Db, schoolYear: number, limit?: number): Promise<string[]> {
  const r = await db.query<{ case_id: string }>(
    `SELECT case_id FROM persons WHERE school_year = $1 ORDER BY case_id ${limit ? 'LIMIT $2' : ''}`,
    limit ? [schoolYear, limit] : [schoolYear],
  );
  return r.rows.map((x) => x.case_id);
}

/** What an erasure of these persons (or, without case ids, the whole cohort) would delete, row counts per table. */
export async function erasurePlan(db: Db, schoolYear: number, caseIds?: string[]): Promise<ErasureCounts> {
  if (caseIds) return countRows(db, caseIds);
  // Rows of the cohort's import are counted once: by person where a person holds them, then what is left.
  const byPerson = await countRows(db, await cohortCaseIds(db, schoolYear));
  const rest = await cohortRows(db, schoolYear);
  rest.import_rows = Math.max(0, rest.import_rows - byPerson.import_rows);
  return add(byPerson, rest);
}

/** Erases these persons in one transaction: all or nothing. Returns the rows deleted per table. */
export async function erasePersons(pool: Pool, caseIds: string[]): Promise<ErasureCounts> {
  return inTransaction(pool, async (db) => {
    const counts: ErasureCounts = {};
    for (const s of ERASURE_STEPS) counts[s.table] = (await db.query(`DELETE FROM ${s.table} WHERE ${s.where}`, [caseIds])).rowCount ?? 0;
    return counts;
  });
}

/** The next page of a cohort's persons erased (one transaction); `remaining` is how many are left. */
export async function eraseCohortPage(pool: Pool, schoolYear: number, pageSize: number): Promise<{ counts: ErasureCounts; remaining: number }> {
  const ids = await cohortCaseIds(pool, schoolYear, pageSize);
  const counts = ids.length ? await erasePersons(pool, ids) : {};
  const left = await pool.query<{ n: string }>('SELECT count(*) AS n FROM persons WHERE school_year = $1', [schoolYear]);
  return { counts, remaining: Number(left.rows[0].n) };
}

/** The cohort's rows that no person holds, once its persons are gone. */
export async function eraseCohortRest(pool: Pool, schoolYear: number): Promise<ErasureCounts> {
  return inTransaction(pool, async (db) => {
    const counts: ErasureCounts = {};
    for (const s of COHORT_STEPS) counts[s.table] = (await db.query(`DELETE FROM ${s.table} WHERE ${s.where}`, [schoolYear])).rowCount ?? 0;
    return counts;
  });
}

/** Audit rows older than their own period go (migration 014's purge_audit_log: never under a year). */
export async function purgeAudit(db: Db, keepYears: number): Promise<number> {
  const r = await db.query<{ n: string }>('SELECT purge_audit_log($1) AS n', [keepYears]);
  return Number(r.rows[0].n);
}

export async function countAuditToPurge(db: Db, keepYears: number): Promise<number> {
  const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE at < now() - make_interval(years => $1)', [keepYears]);
  return Number(r.rows[0].n);
}

export interface RetentionLogEntry {
  at: string;
  schoolYear: number;
  kind: 'cohort' | 'person';
  counts: ErasureCounts;
  files: number;
  by: string;
  workflowId: string;
}

export async function logRetention(db: Db, e: Omit<RetentionLogEntry, 'at'>): Promise<void> {
  await db.query('INSERT INTO retention_log (school_year, kind, counts, files, by_who, workflow_id) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.schoolYear,
    e.kind,
    JSON.stringify(e.counts),
    e.files,
    e.by,
    e.workflowId,
  ]);
}

export async function readRetentionLog(db: Db, schoolYear: number): Promise<RetentionLogEntry[]> {
  const r = await db.query('SELECT at, school_year, kind, counts, files, by_who, workflow_id FROM retention_log WHERE school_year = $1 ORDER BY id', [
    schoolYear,
  ]);
  return r.rows.map((x) => ({
    at: (x.at as Date).toISOString(),
    schoolYear: x.school_year,
    kind: x.kind,
    counts: x.counts,
    files: x.files,
    by: x.by_who,
    workflowId: x.workflow_id,
  }));
}

/** The letter batches that printed or held a letter of these persons: their files name them. */
export async function batchesOfPersons(db: Db, caseIds: string[]): Promise<{ schoolYear: number; unit: string; osCode: string; number: number }[]> {
  const r = await db.query(
    `SELECT DISTINCT b.school_year, b.unit, b.os_code, b.number FROM letter_batches b
     WHERE b.batch_id IN (SELECT batch_id FROM letters WHERE case_id = ANY($1) UNION SELECT batch_id FROM held_letters WHERE case_id = ANY($1))
     ORDER BY 1, 2, 3, 4`,
    [caseIds],
  );
  return r.rows.map((x) => ({ schoolYear: x.school_year, unit: x.unit, osCode: x.os_code, number: x.number }));
}

/** Which of these case ids have a person stored. */
export async function storedCaseIds(db: Db, caseIds: string[]): Promise<Set<string>> {
  const r = await db.query<{ case_id: string }>('SELECT case_id FROM persons WHERE case_id = ANY($1)', [caseIds]);
  return new Set(r.rows.map((x) => x.case_id));
}

export async function cohortYears(db: Db): Promise<number[]> {
  return (await db.query<{ school_year: number }>('SELECT school_year FROM cohorts ORDER BY school_year')).rows.map((r) => r.school_year);
}
