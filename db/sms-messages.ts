import type { Pool } from 'pg';
import { stagesTaking } from '../workflows/youth-case/machine';
import { displayName } from './person-name';

/** The stages in which a case with its SMS due is on the SMS list: those that take "SMS sent". */
export const SMS_LIST_STAGES = stagesTaking('SMS_SENT');

/** The unit's messages the gateway refused for good (such as a number no longer in use), with its reason. */
export async function refusedSmsList(
  pool: Pool,
  q: { schoolYear: number; unit: string },
): Promise<{ caseId: string; name: string; reason: string }[]> {
  const r = await pool.query<{ case_id: string; name: string; last_error: string | null }>(
    `SELECT s.case_id, ${displayName()} AS name, s.last_error FROM sms_messages s JOIN persons p USING (case_id)
     WHERE s.school_year = $1 AND s.unit = $2 AND s.status = 'failed' ORDER BY p.last_name, p.first_name, s.case_id`,
    [q.schoolYear, q.unit],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name, reason: row.last_error ?? 'refused' }));
}

/**
 * The unit's cases an SMS campaign would hand a message to now: SMS due, a mobile, and no message of
 * this step yet (the same selection the campaign's pages make, less what was handed over already).
 */
export async function casesAwaitingSms(pool: Pool, q: { schoolYear: number; unit: string; step: string }): Promise<string[]> {
  const r = await pool.query<{ case_id: string }>(
    `SELECT c.case_id FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND c.sms = 'due' AND c.stage = ANY($4) AND p.mobile IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sms_messages s WHERE s.message_key = c.case_id || ':' || $3)
     ORDER BY c.case_id`,
    [q.schoolYear, q.unit, q.step, SMS_LIST_STAGES],
  );
  return r.rows.map((row) => row.case_id);
}
