import type { Pool } from 'pg';
import { readCohortCalendar } from '../db/cohort-calendar';
import { takeSnapshot } from '../db/report-snapshots';
import type { Config } from '../schemas/config';
import type { Report } from '../schemas/calendar';
import { instantOf, reportDate } from '../workflows/calendar';

export interface TakenSnapshot {
  asOf: string;
  total: number;
  created: boolean;
}

export function reportActivities(pool: Pool, config: Config) {
  return {
    /** The report's moment on the cohort's calendar now (epoch ms): a date moved after the schedule was made still counts. */
    async reportMoment(schoolYear: number, report: Report): Promise<number> {
      return instantOf(reportDate((await readCohortCalendar(pool, schoolYear)).calendar, report));
    },

    async takeReportSnapshot(schoolYear: number, report: Report, at: number, by: string): Promise<TakenSnapshot> {
      const s = await takeSnapshot(pool, schoolYear, report, new Date(at), by, config.units.map((u) => u.code));
      return { asOf: s.asOf, total: s.counts.county.total, created: s.created };
    },
  };
}
export type ReportActivities = ReturnType<typeof reportActivities>;
