import type { Pool, PoolClient } from 'pg';
import { reachSql } from './case-reach';

/**
 * Never reached in their school year, as the year end found them (reachSql, db/case-reach.ts, the one rule of it): still
 * OTUK or an OS code and no reply ever came. A youth who replied and has no outcome yet was reached. `c` is the cases row.
 */
const neverReached = () => `${reachSql('c')} = 'neverReached'`;

/** A youth's case of the school year before, found by the person key. */
export interface LastYearCase {
  caseId: string;
  schoolYear: number;
  /** Never reached in that year (as it ended, or as it stands when it has not ended yet). */
  unreached: boolean;
}

/** Last year's cases of these persons (by person key): who was in OT the school year before, and who nobody reached then. */
export async function lastYearCases(db: Pool | PoolClient, schoolYear: number, personKeys: readonly string[]): Promise<Map<string, LastYearCase>> {
  if (personKeys.length === 0) return new Map();
  const r = await db.query<{ person_key: string; case_id: string; unreached: boolean }>(
    `SELECT p.person_key, c.case_id, ${neverReached()} AS unreached
     FROM persons p JOIN cases c USING (case_id) WHERE p.school_year = $1 AND p.person_key = ANY($2)`,
    [schoolYear - 1, personKeys],
  );
  return new Map(r.rows.map((row) => [row.person_key, { caseId: row.case_id, schoolYear: schoolYear - 1, unreached: row.unreached }]));
}

/** The case of the same youth the school year before this case's, if they were in OT then: the link a case view shows. */
export async function lastYearCaseOf(db: Pool | PoolClient, caseId: string): Promise<LastYearCase | undefined> {
  const r = await db.query<{ case_id: string; school_year: number; unreached: boolean }>(
    `SELECT c.case_id, c.school_year, ${neverReached()} AS unreached
     FROM persons me JOIN persons p ON p.person_key = me.person_key AND p.school_year = me.school_year - 1
     JOIN cases c ON c.case_id = p.case_id
     WHERE me.case_id = $1`,
    [caseId],
  );
  const row = r.rows[0];
  return row ? { caseId: row.case_id, schoolYear: row.school_year, unreached: row.unreached } : undefined;
}
