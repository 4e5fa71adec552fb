import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { storeCohortCalendar, type StoredCalendar } from '../../db/cohort-calendar';
import type { Config } from '../../schemas/config';
import { calendarBroadcastWorkflowId, type SignalTally } from '../../workflows/contracts/mass-operations';
import { executeOrJoin } from './run-workflow';
import { type CampaignCalendar } from '../../schemas/calendar';

/**
 * Stores the cohort's new calendar, then tells every open case of the cohort; running cases replan at
 * once, and the broadcast's last step moves the cohort's report schedules.
 */
export async function setCalendar(
  deps: { pool: Pool; client: Client; config: Config },
  schoolYear: number,
  calendar: CampaignCalendar,
): Promise<StoredCalendar & { told: SignalTally }> {
  const stored = await storeCohortCalendar(deps.pool, schoolYear, calendar);
  const told = await executeOrJoin(deps, 'calendarBroadcast', calendarBroadcastWorkflowId(schoolYear, stored.version), [{ schoolYear }]);
  return { ...stored, told };
}
