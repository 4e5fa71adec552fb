import { MONTHS, ScheduleAlreadyRunning, type Client, type ScheduleOptions, type ScheduleSpec } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { Config } from '../schemas/config';
import { reportDate } from '../workflows/calendar';
import { WORKFLOW_TYPES } from '../workflows/contracts/workflow-types';
import { reportScheduleId, type ReportSnapshotArgs } from '../workflows/contracts/report-snapshot';
import { retentionEnds, retentionScheduleId, type RetentionArgs } from '../workflows/contracts/retention';
import { CAMPAIGN_ZONE, REPORTS, type CampaignCalendar, type Report } from '../schemas/calendar';

/**
 * Fires once, at the start of the report's day in Europe/Oslo (or at its moment, on a compressed
 * calendar): the year is part of the spec, so the schedule never fires again in a later year.
 */
export function reportScheduleSpec(date: string): ScheduleSpec {
  const at = DateTime.fromISO(date, { zone: CAMPAIGN_ZONE }).setZone(CAMPAIGN_ZONE);
  if (!at.isValid) throw new Error(`not a date: ${date}`);
  return {
    calendars: [
      { year: at.year, month: MONTHS[at.month - 1], dayOfMonth: at.day, hour: at.hour, minute: at.minute, second: at.second, comment: date },
    ],
    timezone: CAMPAIGN_ZONE,
  };
}

function scheduleOptions(config: Config, schoolYear: number, calendar: CampaignCalendar, report: Report): ScheduleOptions {
  return {
    scheduleId: reportScheduleId(schoolYear, report),
    spec: reportScheduleSpec(reportDate(calendar, report)),
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPES.reportSnapshot,
      workflowId: reportScheduleId(schoolYear, report),
      taskQueue: config.taskQueue,
      args: [{ schoolYear, report, settleSeconds: config.reportSettleSeconds } satisfies ReportSnapshotArgs],
    },
    // A server or worker down on the day still takes the snapshot when it is back, within a week.
    policies: { overlap: 'SKIP', catchupWindow: '7 days' },
    memo: { schoolYear, report },
  };
}

/** The cohort's retention schedule: fires once, when its retention period ends, and erases the cohort. */
function retentionScheduleOptions(config: Config, schoolYear: number, calendar: CampaignCalendar): ScheduleOptions {
  const ends = DateTime.fromMillis(retentionEnds(calendar.schoolYearEnd, config.retentionYears), { zone: CAMPAIGN_ZONE });
  return {
    scheduleId: retentionScheduleId(schoolYear),
    spec: reportScheduleSpec(ends.toISO({ suppressMilliseconds: true })!),
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPES.retention,
      workflowId: retentionScheduleId(schoolYear),
      taskQueue: config.taskQueue,
      args: [{ schoolYear, dryRun: false, by: `schedule ${retentionScheduleId(schoolYear)}` } satisfies RetentionArgs],
    },
    // The law's period: a server down on the day still erases when it is back, however late.
    policies: { overlap: 'SKIP', catchupWindow: '365 days' },
    memo: { schoolYear, retention: true },
  };
}

/**
 * The cohort's report schedules, made once and kept on its calendar: a schedule that exists is updated
 * to the calendar's date, so running this again (another import, a calendar change) makes no second one.
 */
export async function ensureReportSchedules(
  client: Client,
  config: Config,
  schoolYear: number,
  calendar: CampaignCalendar,
): Promise<{ created: number; updated: number }> {
  const tally = { created: 0, updated: 0 };
  // The retention schedule follows the school year's end as the report schedules follow theirs.
  const all = [
    ...REPORTS.map((report) => scheduleOptions(config, schoolYear, calendar, report)),
    retentionScheduleOptions(config, schoolYear, calendar),
  ];
  for (const options of all) {
    try {
      await client.schedule.create(options);
      tally.created++;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action }));
      tally.updated++;
    }
  }
  return tally;
}
