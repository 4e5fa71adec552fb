import type { PoolClient } from 'pg';
import { pickStaff } from '../domain/call-sharing';
import { CASEWORKER_STAGES } from '../workflows/youth-case/machine';
import type { CaseView } from '../workflows/youth-case/view';

/**
 * Keeps a case's call-list entries in step with its projected view: an entry is closed when the case
 * leaves the campaign's list, and a case coming onto one is given to the staff member holding the
 * fewest cases. Runs in the projection's transaction, so the list and the case row never disagree.
 */
export async function syncCallList(db: PoolClient, view: CaseView, staff: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE call_list SET left_at = now(), left_as = $3
     WHERE case_id = $1 AND left_at IS NULL AND campaign IS DISTINCT FROM $2`,
    [view.caseId, view.phoneCampaign ?? null, `${view.otStatus} ${view.stage}`],
  );
  if (!view.phoneCampaign) return;
  const key = [view.schoolYear, view.phoneCampaign, view.caseId];
  const known = await db.query('SELECT 1 FROM call_list WHERE school_year = $1 AND campaign = $2 AND case_id = $3', key);
  if (known.rowCount) return;
  // One assignment at a time per unit: each sees the holdings the one before it left.
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`call-list:${view.schoolYear}:${view.unit}`]);
  const held = await db.query<{ staff: string; n: string }>(
    `SELECT staff, count(*) AS n FROM (
       SELECT staff FROM call_list WHERE school_year = $1 AND left_at IS NULL AND staff = ANY($2)
       UNION ALL
       SELECT caseworker FROM cases WHERE school_year = $1 AND caseworker = ANY($2) AND stage = ANY($3)
     ) held GROUP BY staff`,
    [view.schoolYear, staff, CASEWORKER_STAGES],
  );
  const holdings = new Map(held.rows.map((r) => [r.staff, Number(r.n)]));
  await db.query(
    `INSERT INTO call_list (school_year, campaign, case_id, unit, staff) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [...key, view.unit, pickStaff(staff, holdings) ?? null],
  );
}
