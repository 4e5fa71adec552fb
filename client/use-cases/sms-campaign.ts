import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { exportAgain, exportOutbox } from '../../activities/sms-delivery';

export { SmsExportError } from '../../activities/sms-delivery';
import { casesWithoutMobile } from '../../db/cases';
import { casesAwaitingSms } from '../../db/sms-messages';
import { digestOf } from '../../domain/digest';
import type { Config } from '../../schemas/config';
import { SECOND_SMS_STEP, SMS_STEP, smsCampaignByHandWorkflowId, type SmsCampaignResult } from '../../workflows/contracts/sms-campaign';
import { UNREACHED_AFTER_LETTER_STAGES } from '../../workflows/youth-case/machine';
import { executeOrJoin } from './run-workflow';

export { refusedSmsList } from '../../db/sms-messages';

/**
 * Runs a unit's SMS campaign now, as a workflow the Temporal UI shows; a message already sent is never
 * sent again. The run is named by the cases it has to send to, so asking twice at once runs it once.
 */
export async function runSmsCampaign(
  deps: { pool: Pool; client: Client; config: Config },
  req: { schoolYear: number; unit: string; by: string; second?: boolean },
): Promise<SmsCampaignResult> {
  const step = req.second ? SECOND_SMS_STEP : SMS_STEP;
  const due = await casesAwaitingSms(deps.pool, { schoolYear: req.schoolYear, unit: req.unit, step });
  // The second round's runs are named apart from the first's, even when both have nobody left to send to.
  const workflowId = smsCampaignByHandWorkflowId(req.schoolYear, req.unit, digestOf(req.second ? [step, ...due] : due));
  return executeOrJoin(deps, 'smsCampaign', workflowId, [
    { schoolYear: req.schoolYear, unit: req.unit, by: req.by, ...(req.second ? { step: SECOND_SMS_STEP } : {}) },
  ]);
}

/** The still-unknown youth of a unit without a mobile: the seed has their names noted for other ways of contact. */
export function noMobileList(pool: Pool, q: { schoolYear: number; unit: string }): Promise<{ caseId: string; name: string }[]> {
  return casesWithoutMobile(pool, { ...q, stages: UNREACHED_AFTER_LETTER_STAGES });
}

/**
 * Exports a unit's outbox for the bulk SMS tool: `write` puts the CSV where it goes (a file, standard output) before its messages are
 * marked exported, in the same transaction, so a write that fails leaves them queued for the next export. Nothing is written when no
 * message waits; returns the messages the file holds.
 */
export async function exportSmsOutbox(
  pool: Pool,
  req: { schoolYear: number; unit: string; by?: string; byUserId?: string },
  write: (csv: string) => Promise<void>,
): Promise<{ messageKeys: string[]; exportId: string }> {
  const { messageKeys, exportId } = await exportOutbox(pool, req, async (file) => {
    if (file.messageKeys.length > 0) await write(file.csv);
  });
  return { messageKeys, exportId };
}

/**
 * Writes a lost export again: its messages not yet confirmed sent, and only those (SmsExportError when there is no such
 * export of the unit, or nothing of it is left to send). Nothing is marked anew: confirming it goes on as for the first file.
 */
export async function exportSmsAgain(
  pool: Pool,
  req: { schoolYear: number; unit: string; exportId: string; by?: string },
  write: (csv: string) => Promise<void>,
): Promise<{ messageKeys: string[]; exportId: string; held: number }> {
  const { messageKeys, exportId, held } = await exportAgain(pool, req, (file) => write(file.csv));
  return { messageKeys, exportId, held };
}
