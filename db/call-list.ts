import type { Pool, PoolClient } from 'pg';
import { pickStaff } from '../domain/call-sharing';
import { CASEWORKER_STAGES } from '../workflows/youth-case/machine';
import type { CaseView } from '../workflows/youth-case/view';
import { noteTextOf } from './case-notes';
import { displayName } from './person-name';
import { type PhoneCampaign } from '../schemas/calendar';
import type { CallList, CallListRow } from '../schemas/api/calls';

/** One youth on a call list, as GET /calls answers it (schemas/api/calls.ts). */
export type { CallListRow };

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
  await db.query(`INSERT INTO call_list (school_year, campaign, case_id, unit, staff) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
    ...key,
    view.unit,
    pickStaff(staff, holdings) ?? null,
  ]);
}

/** The campaign whose list a unit works now: the latest that has put a case of the unit on a list. */
async function latestCampaign(pool: Pool, schoolYear: number, unit: string): Promise<PhoneCampaign | undefined> {
  const r = await pool.query<{ campaign: PhoneCampaign }>(
    'SELECT campaign FROM call_list WHERE school_year = $1 AND unit = $2 ORDER BY assigned_at DESC LIMIT 1',
    [schoolYear, unit],
  );
  return r.rows[0]?.campaign;
}

/**
 * A unit's call list, for one staff member or all: the youth still OTUK on the campaign's list, with
 * every number known, the last attempt and the notes passed on. `all` also lists those who left it.
 */
export async function callList(
  pool: Pool,
  q: { schoolYear: number; unit: string; staff?: string; campaign?: PhoneCampaign; all?: boolean },
): Promise<CallList> {
  const campaign = q.campaign ?? (await latestCampaign(pool, q.schoolYear, q.unit));
  if (!campaign) return { rows: [] };
  const r = await pool.query(
    `SELECT l.case_id, l.campaign, l.staff, l.left_at, l.left_as, ${displayName()} AS name, p.mobile, p.mobile_wrong,
            p.other_phones, c.ot_status, c.stage,
            calls.at AS last_at, calls.result AS last_result, calls.by_user AS last_by, calls.n AS attempts,
            ARRAY(SELECT to_char(e.at AT TIME ZONE 'Europe/Oslo', 'YYYY-MM-DD') || ' ' || coalesce(e.by_user, '') || ': ' || ${noteTextOf('e', 'n')}
                  FROM case_events e LEFT JOIN case_notes n ON n.id = e.note_id
                  WHERE e.case_id = l.case_id AND ${noteTextOf('e', 'n')} IS NOT NULL ORDER BY e.seq DESC LIMIT 5) AS notes
     FROM call_list l JOIN persons p USING (case_id) JOIN cases c USING (case_id)
     LEFT JOIN LATERAL (
       SELECT e.at, CASE WHEN e.event = 'CALL' THEN e.detail->>'result' ELSE 'reached' END AS result, e.by_user, count(*) OVER () AS n
       FROM case_events e WHERE e.case_id = l.case_id AND (e.event = 'CALL' OR e.channel = 'phone')
       ORDER BY e.seq DESC LIMIT 1
     ) calls ON true
     WHERE l.school_year = $1 AND l.unit = $2 AND l.campaign = $3 AND ($4::text IS NULL OR l.staff = $4) AND ($5 OR l.left_at IS NULL)
     ORDER BY l.staff NULLS LAST, p.last_name, p.first_name, l.case_id`,
    [q.schoolYear, q.unit, campaign, q.staff ?? null, Boolean(q.all)],
  );
  return {
    campaign,
    rows: r.rows.map((row) => ({
      caseId: row.case_id,
      campaign: row.campaign,
      staff: row.staff ?? undefined,
      name: row.name,
      mobile: row.mobile ?? undefined,
      mobileWrong: row.mobile_wrong,
      otherNumbers: row.other_phones,
      otStatus: row.ot_status,
      stage: row.stage,
      ...(row.last_at ? { lastAttempt: { at: row.last_at.toISOString(), result: row.last_result, by: row.last_by ?? undefined } } : {}),
      attempts: Number(row.attempts ?? 0),
      notes: row.notes,
      ...(row.left_at ? { left: { at: row.left_at.toISOString(), as: row.left_as } } : {}),
    })),
  };
}

/** Who has how many youth to call now in a unit's campaign: the fair share at a glance. */
export async function callListShares(
  pool: Pool,
  q: { schoolYear: number; unit: string; campaign: PhoneCampaign },
): Promise<{ staff?: string; open: number; left: number }[]> {
  const r = await pool.query<{ staff: string | null; open: string; left: string }>(
    `SELECT staff, count(*) FILTER (WHERE left_at IS NULL) AS open, count(*) FILTER (WHERE left_at IS NOT NULL) AS left
     FROM call_list WHERE school_year = $1 AND unit = $2 AND campaign = $3 GROUP BY staff ORDER BY staff NULLS LAST`,
    [q.schoolYear, q.unit, q.campaign],
  );
  return r.rows.map((row) => ({ staff: row.staff ?? undefined, open: Number(row.open), left: Number(row.left) }));
}
