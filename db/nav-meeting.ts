import type { Pool } from 'pg';
import type { PostalAddress } from '../schemas/vigo-row';
import { displayName } from './person-name';

/** One youth on the NAV meeting's list: still OTUK, with the contact details the meeting checks. */
export interface NavMeetingRow {
  caseId: string;
  unit: string;
  name: string;
  birthDate?: string;
  otStatus: string;
  stage: string;
  caseworker?: string;
  /** Who phones the youth in the campaign now, when they are on a call list. */
  caller?: string;
  address?: PostalAddress;
  mobile?: string;
  mobileWrong: boolean;
  otherPhones: string[];
  email?: string;
}

/**
 * A unit's youth still OTUK (open cases), with their contact details, for the cooperation meeting with NAV (seed 001). With
 * `person`, only the share of one counsellor: the cases they hold as caseworker, or whose call they have on a call list now.
 */
export async function navMeetingRows(pool: Pool, q: { schoolYear: number; unit: string; person?: string }): Promise<NavMeetingRow[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.unit, c.ot_status, c.stage, c.caseworker, ${displayName()} AS name, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
            p.address, p.mobile, p.mobile_wrong, p.other_phones, p.email,
            (SELECT cl.staff FROM call_list cl WHERE cl.case_id = c.case_id AND cl.left_at IS NULL LIMIT 1) AS caller
     FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND c.ot_status = 'OTUK' AND c.stage <> 'closed'
       AND ($3::text IS NULL OR c.caseworker = $3
            OR EXISTS (SELECT 1 FROM call_list cl WHERE cl.case_id = c.case_id AND cl.left_at IS NULL AND cl.staff = $3))
     ORDER BY p.last_name, p.first_name, c.case_id`,
    [q.schoolYear, q.unit, q.person ?? null],
  );
  return r.rows.map((row) => ({
    caseId: row.case_id,
    unit: row.unit,
    name: row.name,
    ...(row.birth_date ? { birthDate: row.birth_date } : {}),
    otStatus: row.ot_status,
    stage: row.stage,
    ...(row.caseworker ? { caseworker: row.caseworker } : {}),
    ...(row.caller ? { caller: row.caller } : {}),
    ...(row.address ? { address: row.address } : {}),
    ...(row.mobile ? { mobile: row.mobile } : {}),
    mobileWrong: Boolean(row.mobile_wrong),
    otherPhones: row.other_phones ?? [],
    ...(row.email ? { email: row.email } : {}),
  }));
}

/** What an import row is compared with: the case as the read model has it and the person's contact details now. */
export interface NavImportTarget {
  caseId: string;
  schoolYear: number;
  unit: string;
  stage: string;
  address?: PostalAddress;
  mobile?: string;
  mobileWrong: boolean;
}

export async function navImportTargets(pool: Pool, caseIds: readonly string[]): Promise<Map<string, NavImportTarget>> {
  if (caseIds.length === 0) return new Map();
  const r = await pool.query(
    `SELECT c.case_id, c.school_year, c.unit, c.stage, p.address, p.mobile, p.mobile_wrong
     FROM cases c JOIN persons p USING (case_id) WHERE c.case_id = ANY($1)`,
    [[...new Set(caseIds)]],
  );
  return new Map(
    r.rows.map((row) => [
      row.case_id,
      {
        caseId: row.case_id,
        schoolYear: row.school_year,
        unit: row.unit,
        stage: row.stage,
        ...(row.address ? { address: row.address } : {}),
        ...(row.mobile ? { mobile: row.mobile } : {}),
        mobileWrong: Boolean(row.mobile_wrong),
      },
    ]),
  );
}
