import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { storeCohortCalendar, type StoredCalendar } from '../db/cohort-calendar';
import type { SignalTally } from '../activities/mass-operations';
import type { Config } from '../schemas/config';
import type { CampaignCalendar } from '../schemas/calendar';
import type { calendarBroadcast } from '../workflows/mass-operations';
import { ensureReportSchedules } from './report-schedules';

/** Stores the cohort's new calendar, then tells every open case of the cohort and moves its report schedules; running cases replan at once. */
export async function setCalendar(
  deps: { pool: Pool; client: Client; config: Config },
  schoolYear: number,
  calendar: CampaignCalendar,
): Promise<StoredCalendar & { told: SignalTally }> {
  const stored = await storeCohortCalendar(deps.pool, schoolYear, calendar);
  const told = await deps.client.workflow.execute<typeof calendarBroadcast>('calendarBroadcast', {
    workflowId: `calendar-${schoolYear}-v${stored.version}`,
    taskQueue: deps.config.taskQueue,
    args: [{ schoolYear }],
  });
  await ensureReportSchedules(deps.client, deps.config, schoolYear, calendar);
  return { ...stored, told };
}
