import type { Pool, PoolClient } from 'pg';
import { pickStaff, shareCalls } from '../domain/call-sharing';
import { CASEWORKER_STAGES } from '../workflows/youth-case/machine';
import type { CaseView } from '../workflows/youth-case/view';
import { noteTextOf } from './case-notes';
import { displayName } from './person-name';
import { type PhoneCampaign } from '../schemas/calendar';
import type { CallList, CallListRow, CallMove } from '../schemas/api/calls';
import { unitStaffNow } from './unit-staff';

/** One youth on a call list, as GET /calls answers it (schemas/api/calls.ts). */
export type { CallListRow };

/**
 * Keeps a case's call-list entries in step with its projected view: an entry is closed when the case
 * leaves the campaign's list, and a case coming onto one is given to the staff member holding the
 * fewest cases. Runs in the projection's transaction, so the list and the case row never disagree.
 */
export async function syncCallList(db: PoolClient, view: CaseView, fileStaff: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE call_list SET left_at = now(), left_as = $3
     WHERE case_id = $1 AND left_at IS NULL AND campaign IS DISTINCT FROM $2`,
    [view.caseId, view.phoneCampaign ?? null, `${view.otStatus} ${view.stage}`],
  );
  if (!view.phoneCampaign) return;
  const key = [view.schoolYear, view.phoneCampaign, view.caseId];
  const known = await db.query('SELECT 1 FROM call_list WHERE school_year = $1 AND campaign = $2 AND case_id = $3', key);
  if (known.rowCount) return;
  // One assignment at a time per unit: each sees the holdings the one before it left, and the staff as a change left them.
  await lockCallList(db, view.schoolYear, view.unit);
  const staff = await unitStaffNow(db, view.unit, fileStaff);
  const holdings = await holdingsOf(db, view.schoolYear, staff);
  await db.query(`INSERT INTO call_list (school_year, campaign, case_id, unit, staff) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
    ...key,
    view.unit,
    pickStaff(staff, holdings) ?? null,
  ]);
}

/** The lock that makes a unit's call sharing one step at a time in a school year. */
async function lockCallList(db: PoolClient, schoolYear: number, unit: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`call-list:${schoolYear}:${unit}`]);
}

/** What each staff member holds in a school year: their open calls, and the cases they follow up as caseworker. */
async function holdingsOf(db: PoolClient, schoolYear: number, staff: readonly string[]): Promise<Map<string, number>> {
  const held = await db.query<{ staff: string; n: string }>(
    `SELECT staff, count(*) AS n FROM (
       SELECT staff FROM call_list WHERE school_year = $1 AND left_at IS NULL AND staff = ANY($2)
       UNION ALL
       SELECT caseworker FROM cases WHERE school_year = $1 AND caseworker = ANY($2) AND stage = ANY($3)
     ) held GROUP BY staff`,
    [schoolYear, staff, CASEWORKER_STAGES],
  );
  return new Map(held.rows.map((r) => [r.staff, Number(r.n)]));
}

interface Mover {
  by: string;
  byUserId?: string;
}

async function moveCall(
  db: PoolClient,
  row: { school_year: number; campaign: PhoneCampaign; case_id: string; staff: string | null },
  to: string | undefined,
  reason: 'staff-removed' | 'reassigned',
  mover: Mover,
): Promise<CallMove> {
  await db.query(
    `UPDATE call_list SET staff = $4, moved_from = $5, moved_at = now(), moved_by = $6, moved_by_user_id = $7, move_reason = $8
     WHERE school_year = $1 AND campaign = $2 AND case_id = $3 AND left_at IS NULL`,
    [row.school_year, row.campaign, row.case_id, to ?? null, row.staff, mover.by, mover.byUserId ?? null, reason],
  );
  return {
    schoolYear: row.school_year,
    campaign: row.campaign,
    caseId: row.case_id,
    ...(row.staff ? { from: row.staff } : {}),
    ...(to ? { to } : {}),
  };
}

/**
 * A staff member left the unit: each of their open calls, in every school year, goes to whichever remaining staff member
 * holds the fewest then, one at a time, as new calls are shared. Nobody else's calls move. Run in the staff change's transaction.
 */
export async function reshareCallsOf(db: PoolClient, q: { unit: string; departed: string; staff: readonly string[] } & Mover): Promise<CallMove[]> {
  const years = await db.query<{ school_year: number }>(
    'SELECT DISTINCT school_year FROM call_list WHERE unit = $1 AND staff = $2 AND left_at IS NULL ORDER BY 1',
    [q.unit, q.departed],
  );
  const moved: CallMove[] = [];
  for (const { school_year: schoolYear } of years.rows) {
    await lockCallList(db, schoolYear, q.unit);
    const open = await db.query<{ school_year: number; campaign: PhoneCampaign; case_id: string; staff: string }>(
      `SELECT school_year, campaign, case_id, staff FROM call_list
       WHERE school_year = $1 AND unit = $2 AND staff = $3 AND left_at IS NULL ORDER BY assigned_at, case_id`,
      [schoolYear, q.unit, q.departed],
    );
    const takers = shareCalls(open.rows.length, q.staff, await holdingsOf(db, schoolYear, q.staff));
    for (const [i, row] of open.rows.entries()) moved.push(await moveCall(db, row, takers[i], 'staff-removed', q));
  }
  return moved;
}

/** Moves one case's open call, or every open call of one staff member, in a unit's school year to another staff member. */
export async function reassignCalls(
  db: PoolClient,
  q: { schoolYear: number; unit: string; to: string } & ({ caseId: string } | { from: string }) & Mover,
): Promise<CallMove[]> {
  await lockCallList(db, q.schoolYear, q.unit);
  const open = await db.query<{ school_year: number; campaign: PhoneCampaign; case_id: string; staff: string | null }>(
    `SELECT school_year, campaign, case_id, staff FROM call_list
     WHERE school_year = $1 AND unit = $2 AND left_at IS NULL AND ${'caseId' in q ? 'case_id = $3' : 'staff = $3'}
       AND staff IS DISTINCT FROM $4
     ORDER BY assigned_at, case_id`,
    [q.schoolYear, q.unit, 'caseId' in q ? q.caseId : q.from, q.to],
  );
  const moved: CallMove[] = [];
  for (const row of open.rows) moved.push(await moveCall(db, row, q.to, 'reassigned', q));
  return moved;
}

/** Who holds a case's open call in a school year, if it is on a list; undefined staff: on the list unshared. */
export async function openCallOf(db: Pool | PoolClient, schoolYear: number, caseId: string): Promise<{ unit: string; staff?: string } | undefined> {
  const r = await db.query<{ unit: string; staff: string | null }>(
    'SELECT unit, staff FROM call_list WHERE school_year = $1 AND case_id = $2 AND left_at IS NULL',
    [schoolYear, caseId],
  );
  return r.rows[0] ? { unit: r.rows[0].unit, ...(r.rows[0].staff ? { staff: r.rows[0].staff } : {}) } : undefined;
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
    `SELECT l.case_id, l.campaign, l.staff, l.left_at, l.left_as, l.moved_from, l.moved_at, l.moved_by, l.move_reason, ${displayName()} AS name, p.mobile, p.mobile_wrong,
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
      ...(row.moved_at
        ? {
            moved: { ...(row.moved_from ? { from: row.moved_from } : {}), at: row.moved_at.toISOString(), by: row.moved_by, reason: row.move_reason },
          }
        : {}),
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
