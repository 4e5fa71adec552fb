import { defineQuery } from '@temporalio/workflow';
import type { RejectedRow } from '../../schemas/vigo-row';
import type { CaseStage } from '../youth-case/machine';

/** The contract of the `cohortImport` workflow. */

export interface CohortImportArgs {
  importId: string;
  schoolYear: number;
  pageSize?: number;
}

/** What an import reports. Line numbers and reasons only: it travels through Temporal and is logged. */
export interface ImportSummary {
  importId: string;
  schoolYear: number;
  fileName: string;
  rows: number;
  created: number;
  existing: number;
  rejected: RejectedRow[];
  /** Lines of youth born before the age limit's year: past it already, skipped (not rejected). */
  outsideTargetGroup: number[];
  /**
   * Of the accepted youth: in last year's cohort (found by the person key, the flag `inOtLastYear`), and of those, never
   * reached last year (`unreachedLastYear`). Absent from summaries of imports finished before these counts existed.
   */
  carriedOver?: { inOtLastYear: number; unreachedLastYear: number };
  /**
   * Of the accepted youth: at the age limit, who leave the target group this school year (`agesOutOn`), and of those, the
   * ones whose 1 January (the calendar's `ageOut`) had passed when the file was read, so they leave as their case starts.
   * Absent from summaries of imports finished before these counts existed.
   */
  ageLimit?: { agesOut: number; agedOutAtImport: number };
  /** Rows of people already imported whose fields differ from what is stored: reported, not applied. */
  changed: { line: number; fields: string[] }[];
  warnings: string[];
  /** How many accepted rows start in each stage of the case machine. */
  stages: Partial<Record<CaseStage, number>>;
  /** Lines to send back to VIGO: coded Feil, or washed out of the target group. */
  returnToVigo: number[];
  /** Lines the admissions office must find an address for. */
  forAdmissionsOffice: number[];
  /** --strict and some row was rejected: nothing was imported. */
  refused: boolean;
}

export interface ImportProgress {
  phase: 'staging' | 'starting' | 'done';
  toStart: number;
  started: number;
}

export type CohortImportWorkflow = (args: CohortImportArgs) => Promise<ImportSummary>;

export function cohortImportWorkflowId(schoolYear: number, importId: string): string {
  return `cohort-import-${schoolYear}-${importId}`;
}

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

export interface CasesPage {
  started: number;
  remaining: number;
  calendarVersion: number;
}

export interface CohortImportActivities {
  /** Reads the uploaded file and, in one transaction, stores its people and the cases to start; a retry returns the stored summary. */
  stageImport(importId: string): Promise<ImportSummary>;
  /** Starts the next page of staged cases; idempotent by workflow id. */
  startCasesPage(importId: string, pageSize: number): Promise<CasesPage>;
}
