import type { RejectedRow } from '../domain/vigo-transfer';
import type { CaseStage } from '../workflows/youth-case/machine';

/** What an import reports. Line numbers and reasons only: it travels through Temporal and is logged. */
export interface ImportSummary {
  importId: string;
  schoolYear: number;
  fileName: string;
  rows: number;
  created: number;
  existing: number;
  rejected: RejectedRow[];
  outsideTargetGroup: number[];
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
