import { DateTime } from 'luxon';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import { endInstantOf } from '../calendar';

/** The contract of the `retention` workflow: a cohort past its retention period, or persons erased on request. */

export interface RetentionArgs {
  schoolYear: number;
  /** Persons erased on request (their case ids); absent: the whole cohort, which must be past its period. */
  caseIds?: string[];
  /** Only list what would go. */
  dryRun: boolean;
  /** Who asked: an operator's name, or the schedule. */
  by: string;
}

/** What goes, or went: rows per table, the files, and audit rows past their own period. */
export interface RetentionResult {
  schoolYear: number;
  kind: 'cohort' | 'person';
  dryRun: boolean;
  retentionEnds: string;
  counts: Record<string, number>;
  files: string[];
  auditRows: number;
}

export type RetentionWorkflow = (args: RetentionArgs) => Promise<RetentionResult>;

/** When a cohort's data may no longer be kept: the end of its school year, plus the configured years. */
export function retentionEnds(schoolYearEnd: string, years: number): number {
  return DateTime.fromMillis(endInstantOf(schoolYearEnd), { zone: CAMPAIGN_ZONE }).plus({ years }).toMillis();
}

/** One schedule per cohort, and the one workflow it starts. */
export function retentionScheduleId(schoolYear: number): string {
  return `retention-${schoolYear}`;
}

/** A run asked by an operator: a dry run or an erasure of one person has an id of its own (no national id in it). */
export function retentionWorkflowId(schoolYear: number, what: string): string {
  return `retention-${schoolYear}-${what}`;
}

export class RetentionRefused extends Error {}

export interface RetentionActivities {
  /**
   * Refuses (a non-retryable failure naming why) a cohort whose period has not ended, and a cohort or person
   * with a case workflow still running; returns when the period ends (ISO).
   */
  checkRetention(args: RetentionArgs): Promise<string>;
  /** Rows per table that would go, the files, and the audit rows past their period. */
  planRetention(args: RetentionArgs): Promise<Omit<RetentionResult, 'dryRun' | 'retentionEnds' | 'schoolYear' | 'kind'>>;
  /** Erases the next page of the cohort's persons (one transaction), heartbeating; `remaining` is how many are left. */
  eraseRetentionPage(schoolYear: number, pageSize: number): Promise<{ counts: Record<string, number>; remaining: number }>;
  /** Erases the persons named, and what of the cohort no person holds once they are gone. */
  eraseNamedPersons(caseIds: string[]): Promise<Record<string, number>>;
  eraseCohortRest(schoolYear: number): Promise<Record<string, number>>;
  /** Deletes the files of the plan (a file already gone counts as deleted); the number deleted. */
  deleteRetentionFiles(files: string[]): Promise<number>;
  purgeAuditRows(): Promise<number>;
  logRetention(entry: {
    schoolYear: number;
    kind: 'cohort' | 'person';
    counts: Record<string, number>;
    files: number;
    by: string;
    workflowId: string;
  }): Promise<void>;
}
