import type { Pool } from 'pg';
import { OT_STATUS_GROUPS } from '../schemas/ot-codes';
import { displayName } from './person-name';

/** One case the office sends back to VIGO: out of the target group (UDIR group 5), and whether it has gone back yet. */
export interface VigoReturnRow {
  caseId: string;
  unit: string;
  name: string;
  firstName: string;
  lastName: string;
  /** Absent when the id holds no real date (a fictitious one may not). */
  birthDate?: string;
  /** VIGO's own key of the person: only in the file that goes back to VIGO, never in the API's answer or a screen. */
  nationalId: string;
  fictitiousId: boolean;
  osCode: string;
  otStatus: string;
  stage: string;
  /** When the office marked it returned and who ran it, from the case's journal; absent: not yet. */
  returned?: { at: string; by?: string };
}

/**
 * The cases of a school year that go back to VIGO: every case whose status is a code of UDIR group 5 (Feil from washing a
 * fictitious id without an address, an *_IM code from washing, a cross-check or an outcome), with the journal row of its
 * return when it has one. Closed cases are kept: one closed before it was marked is still owed to VIGO.
 */
export async function vigoReturnRows(
  pool: Pool,
  q: { schoolYear: number; unit?: string; unitIn?: readonly string[]; returned?: boolean },
): Promise<VigoReturnRow[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.unit, c.os_code, c.ot_status, c.stage, ${displayName()} AS name, p.first_name, p.last_name,
            to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.national_id, p.id_kind, ret.at AS returned_at, ret.by_user AS returned_by
     FROM cases c JOIN persons p USING (case_id)
     LEFT JOIN LATERAL (SELECT e.at, e.by_user FROM case_events e WHERE e.case_id = c.case_id AND e.event = 'RETURNED_TO_VIGO'
                        ORDER BY e.seq LIMIT 1) ret ON true
     WHERE c.school_year = $1 AND c.ot_status = ANY($2) AND ($3::text IS NULL OR c.unit = $3) AND ($4::text[] IS NULL OR c.unit = ANY($4))
       AND ($5::boolean IS NULL OR (ret.at IS NOT NULL) = $5)
     ORDER BY c.unit, p.last_name, p.first_name, c.case_id`,
    [q.schoolYear, OT_STATUS_GROUPS[5], q.unit ?? null, q.unitIn ?? null, q.returned ?? null],
  );
  return r.rows.map((row) => ({
    caseId: row.case_id,
    unit: row.unit,
    name: row.name,
    firstName: row.first_name,
    lastName: row.last_name,
    ...(row.birth_date ? { birthDate: row.birth_date } : {}),
    nationalId: row.national_id,
    fictitiousId: row.id_kind === 'fictitious',
    osCode: row.os_code,
    otStatus: row.ot_status,
    stage: row.stage,
    ...(row.returned_at ? { returned: { at: (row.returned_at as Date).toISOString(), ...(row.returned_by ? { by: row.returned_by } : {}) } } : {}),
  }));
}

/** How many of these cases have their return journalled in the read model: what `ot vigo return` waits for. */
export async function countReturnedToVigo(pool: Pool, caseIds: readonly string[]): Promise<number> {
  const r = await pool.query<{ n: string }>(
    `SELECT count(DISTINCT case_id) AS n FROM case_events WHERE case_id = ANY($1) AND event = 'RETURNED_TO_VIGO'`,
    [caseIds],
  );
  return Number(r.rows[0].n);
}
