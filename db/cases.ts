import type { Pool } from 'pg';
import type { CaseStage } from '../workflows/youth-case/machine';
import type { CaseView } from '../workflows/youth-case/view';
import { displayName } from './person-name';

export interface CaseFilter {
  schoolYear: number;
  unit?: string;
  status?: string;
  stage?: string;
  /** Only cases whose status is one of these. */
  statusIn?: readonly string[];
}

export interface CaseListRow extends CaseView {
  name: string;
}

/** The case list from the read model: PostgreSQL, so that a county's 30,000 cases list quickly. */
export async function listCases(pool: Pool, filter: CaseFilter): Promise<CaseListRow[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.school_year, c.unit, c.os_code, c.ot_status, c.stage, c.caseworker, c.flags, c.sms, ${displayName()} AS name
     FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND ($2::text IS NULL OR c.unit = $2) AND ($3::text IS NULL OR c.ot_status = $3)
       AND ($4::text IS NULL OR c.stage = $4) AND ($5::text[] IS NULL OR c.ot_status = ANY($5))
     ORDER BY c.unit, p.last_name, p.first_name, c.case_id`,
    [filter.schoolYear, filter.unit ?? null, filter.status ?? null, filter.stage ?? null, filter.statusIn ?? null],
  );
  return r.rows.map((row) => ({
    caseId: row.case_id,
    schoolYear: row.school_year,
    unit: row.unit,
    osCode: row.os_code,
    otStatus: row.ot_status,
    stage: row.stage,
    caseworker: row.caseworker ?? undefined,
    flags: row.flags,
    sms: row.sms,
    name: row.name,
  }));
}

export interface MatchedCase {
  caseId: string;
  name: string;
  unit: string;
  stage: CaseStage;
  otStatus: string;
}

/** The cohort's cases among these ids, as the read model has them now. */
export async function casesByIds(pool: Pool, schoolYear: number, caseIds: string[]): Promise<MatchedCase[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.unit, c.stage, c.ot_status, ${displayName()} AS name
     FROM cases c JOIN persons p USING (case_id) WHERE c.school_year = $1 AND c.case_id = ANY($2)`,
    [schoolYear, caseIds],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name, unit: row.unit, stage: row.stage, otStatus: row.ot_status }));
}

/** The unit's cases in these stages with no mobile to send the SMS to: their names are noted for other ways of contact. */
export async function casesWithoutMobile(
  pool: Pool,
  q: { schoolYear: number; unit: string; stages: readonly CaseStage[] },
): Promise<{ caseId: string; name: string }[]> {
  const r = await pool.query<{ case_id: string; name: string }>(
    `SELECT c.case_id, ${displayName()} AS name FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND c.sms = 'noMobile' AND c.stage = ANY($3) ORDER BY p.last_name, p.first_name, c.case_id`,
    [q.schoolYear, q.unit, q.stages],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name }));
}

/** Open cases whose person has this mobile, newest school year first: where an inbound SMS may belong. */
export async function openCasesWithMobile(pool: Pool, mobile: string): Promise<string[]> {
  const r = await pool.query<{ case_id: string }>(
    `SELECT c.case_id FROM persons p JOIN cases c USING (case_id) WHERE p.mobile = $1 AND c.stage <> 'closed' ORDER BY c.school_year DESC`,
    [mobile],
  );
  return r.rows.map((row) => row.case_id);
}

/** When the cohort's first letters were confirmed sent, from the journal; undefined before any. */
export async function firstLettersSentAt(pool: Pool, schoolYear: number): Promise<number | undefined> {
  const r = await pool.query<{ at: Date | null }>(
    `SELECT min(e.at) AS at FROM case_events e JOIN cases c USING (case_id) WHERE c.school_year = $1 AND e.event = 'LETTERS_SENT'`,
    [schoolYear],
  );
  return r.rows[0].at?.getTime();
}
