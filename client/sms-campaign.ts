import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../schemas/config';
import { UNKNOWN_STAGES } from '../workflows/youth-case/machine';
import type { smsCampaign, SmsCampaignResult } from '../workflows/sms-campaign';

/** Runs a unit's SMS campaign now, as a workflow the Temporal UI shows; a message already sent is never sent again. */
export async function runSmsCampaign(deps: { client: Client; config: Config }, req: { schoolYear: number; unit: string; by: string }): Promise<SmsCampaignResult> {
  return deps.client.workflow.execute<typeof smsCampaign>('smsCampaign', {
    workflowId: `sms-campaign-${req.schoolYear}-${req.unit}-by-hand-${new Date().toISOString()}`,
    taskQueue: deps.config.taskQueue,
    args: [{ schoolYear: req.schoolYear, unit: req.unit, by: req.by }],
  });
}

/** The still-unknown youth of a unit without a mobile: the seed has their names noted for other ways of contact. */
export async function noMobileList(pool: Pool, q: { schoolYear: number; unit: string }): Promise<{ caseId: string; name: string }[]> {
  const r = await pool.query<{ case_id: string; name: string }>(
    `SELECT c.case_id, p.first_name || ' ' || p.last_name AS name FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND c.sms = 'noMobile' AND c.stage = ANY($3) ORDER BY p.last_name, p.first_name, c.case_id`,
    [q.schoolYear, q.unit, UNKNOWN_STAGES],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name }));
}


/** The unit's messages the gateway refused for good (such as a number no longer in use), with its reason. */
export async function refusedSmsList(pool: Pool, q: { schoolYear: number; unit: string }): Promise<{ caseId: string; name: string; reason: string }[]> {
  const r = await pool.query<{ case_id: string; name: string; last_error: string | null }>(
    `SELECT s.case_id, p.first_name || ' ' || p.last_name AS name, s.last_error FROM sms_messages s JOIN persons p USING (case_id)
     WHERE s.school_year = $1 AND s.unit = $2 AND s.status = 'failed' ORDER BY p.last_name, p.first_name, s.case_id`,
    [q.schoolYear, q.unit],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name, reason: row.last_error ?? 'refused' }));
}
