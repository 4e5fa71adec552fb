import type { Pool, PoolClient } from 'pg';

/**
 * A case's status or stage at a moment, from its journal: what the last change at or before it left, else what
 * the first change found (nothing had changed yet), else the case's now (nothing ever changed).
 * `c` is the cases row and `at` the moment, as SQL.
 */
const atMoment = (what: 'status' | 'stage', at: string) => `COALESCE(
    (SELECT e.to_${what} FROM case_events e WHERE e.case_id = c.case_id AND e.at <= ${at} ORDER BY e.at DESC, e.seq DESC LIMIT 1),
    (SELECT e.from_${what} FROM case_events e WHERE e.case_id = c.case_id ORDER BY e.seq LIMIT 1),
    c.${what === 'status' ? 'ot_status' : 'stage'})`;
const statusAt = (at: string) => atMoment('status', at);

/** A case's stage at a moment (SQL on a cases row `c`), from its journal as a status is read. */
export const stageAtSql = (at: string) => atMoment('stage', at);

export interface StatusAt {
  caseId: string;
  unit: string;
  status: string;
}

/** Every case of the cohort that existed at the moment, with its status code then. */
export async function statusesAt(db: Pool | PoolClient, schoolYear: number, at: Date): Promise<StatusAt[]> {
  const r = await db.query<{ case_id: string; unit: string; status: string }>(
    `SELECT c.case_id, c.unit, ${statusAt('$2')} AS status
     FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND p.created_at <= $2
     ORDER BY c.unit, c.case_id`,
    [schoolYear, at],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, unit: row.unit, status: row.status }));
}

/** How many cases of each unit were OTUK at each of the moments; a unit with none then is left out. */
export async function otukAt(db: Pool | PoolClient, schoolYear: number, moments: Date[]): Promise<{ at: Date; unit: string; otuk: number }[]> {
  const r = await db.query<{ i: string; unit: string; otuk: string }>(
    `SELECT t.i, c.unit, count(*) AS otuk
     FROM unnest($2::timestamptz[]) WITH ORDINALITY AS t(at, i)
     CROSS JOIN cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND p.created_at <= t.at AND ${statusAt('t.at')} = 'OTUK'
     GROUP BY t.i, c.unit`,
    [schoolYear, moments],
  );
  return r.rows.map((row) => ({ at: moments[Number(row.i) - 1], unit: row.unit, otuk: Number(row.otuk) }));
}
