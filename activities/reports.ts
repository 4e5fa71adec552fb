import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { readCohortCalendar } from '../db/cohort-calendar';
import { takeSnapshot } from '../db/report-snapshots';
import type { Config } from '../schemas/config';
import { instantOf, reportDate } from '../workflows/calendar';
import type { ReportActivities, TakenSnapshot } from '../workflows/contracts/report-snapshot';
import { ensureReportSchedules } from './report-schedules';
import { type Report } from '../schemas/calendar';

export function reportActivities(pool: Pool, client: Client, config: Config): ReportActivities {
  return {
    async reportMoment(schoolYear: number, report: Report): Promise<number> {
      return instantOf(reportDate((await readCohortCalendar(pool, schoolYear)).calendar, report));
    },

    async takeReportSnapshot(schoolYear: number, report: Report, at: number, by: string): Promise<TakenSnapshot> {
      const s = await takeSnapshot(
        pool,
        schoolYear,
        report,
        new Date(at),
        by,
        config.units.map((u) => u.code),
      );
      return { asOf: s.asOf, total: s.counts.county.total, created: s.created };
    },

    async ensureReportSchedules(schoolYear: number) {
      // The calendar as stored now: a broadcast that raced a newer change still leaves the newest dates.
      return ensureReportSchedules(client, config, schoolYear, (await readCohortCalendar(pool, schoolYear)).calendar);
    },
  };
}
