import type { Pool, PoolClient } from 'pg';
import { OS_CODES } from '../schemas/ot-codes';

/**
 * Never reached in their school year: the case is still OTUK (or still an OS code: no letter was confirmed) and no reply
 * ever put it in contact (a youth who replied and has no outcome yet is reached, not unreached). After the year end this
 * is how the year left them: "unreached", carried to next year's import. `c` is the cases row, `statuses` the parameter
 * holding UNREACHED_STATUSES.
 */
const neverReached = (statuses: string) => `c.ot_status = ANY(${statuses}) AND NOT EXISTS (
    SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.to_stage = 'contactEstablished')`;
const UNREACHED_STATUSES = ['OTUK', ...OS_CODES];

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
    `SELECT p.person_key, c.case_id, ${neverReached('$3')} AS unreached
     FROM persons p JOIN cases c USING (case_id) WHERE p.school_year = $1 AND p.person_key = ANY($2)`,
    [schoolYear - 1, personKeys, UNREACHED_STATUSES],
  );
  return new Map(r.rows.map((row) => [row.person_key, { caseId: row.case_id, schoolYear: schoolYear - 1, unreached: row.unreached }]));
}

/** The case of the same youth the school year before this case's, if they were in OT then: the link a case view shows. */
export async function lastYearCaseOf(db: Pool | PoolClient, caseId: string): Promise<LastYearCase | undefined> {
  const r = await db.query<{ case_id: string; school_year: number; unreached: boolean }>(
    `SELECT c.case_id, c.school_year, ${neverReached('$2')} AS unreached
     FROM persons me JOIN persons p ON p.person_key = me.person_key AND p.school_year = me.school_year - 1
     JOIN cases c ON c.case_id = p.case_id
     WHERE me.case_id = $1`,
    [caseId, UNREACHED_STATUSES],
  );
  const row = r.rows[0];
  return row ? { caseId: row.case_id, schoolYear: row.school_year, unreached: row.unreached } : undefined;
}
