import { type Report } from '../../schemas/calendar';

/** The contract of the `reportSnapshot` workflow and of the report schedules that start it. */

export interface ReportSnapshotArgs {
  schoolYear: number;
  report: Report;
  /** How long after the moment to wait before reading the journal (absent: at once). */
  settleSeconds?: number;
}

export interface TakenSnapshot {
  asOf: string;
  total: number;
  created: boolean;
}

export type ReportSnapshotWorkflow = (args: ReportSnapshotArgs) => Promise<TakenSnapshot>;

/** A cohort's schedule for a report, and the one workflow it starts: the same id, so a report is taken once. */
export function reportScheduleId(schoolYear: number, report: Report): string {
  return `report-${schoolYear}-${report}`;
}

export interface ReportActivities {
  /** The report's moment on the cohort's calendar now (epoch ms): a date moved after the schedule was made still counts. */
  reportMoment(schoolYear: number, report: Report): Promise<number>;
  takeReportSnapshot(schoolYear: number, report: Report, at: number, by: string): Promise<TakenSnapshot>;
  /**
   * Makes the cohort's four report schedules, or moves them to its calendar now: the last step of an
   * import and of a calendar broadcast. Running it again makes no second schedule.
   */
  ensureReportSchedules(schoolYear: number): Promise<{ created: number; updated: number }>;
}
