import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { casesByIds, type MatchedCase } from '../../db/cases';
import { caseIdOf } from '../../domain/case-id';
import type { CrosscheckEntry } from '../../domain/crosscheck-list';
import { digestOf } from '../../domain/digest';
import type { Config } from '../../schemas/config';
import type { CrosscheckList } from '../../schemas/crosscheck';
import { crosscheckWorkflowId } from '../../workflows/contracts/mass-operations';
import { stagesTaking } from '../../workflows/youth-case/machine';
import { executeOrJoin } from './run-workflow';

/** Where a case must stand for a cross-check match to change it: not yet settled by an outcome, the washing or the year end. */
const CHANGEABLE = stagesTaking('CROSSCHECK_MATCHED');

export interface CrosscheckMatch extends MatchedCase {
  line: number;
}

export interface CrosscheckReport {
  list: CrosscheckList;
  status: string;
  entries: number;
  /** Matched and recoded to the list's code. */
  recoded: CrosscheckMatch[];
  /** Matched, but already settled: left as they are. */
  unchanged: CrosscheckMatch[];
  /** Lines whose youth is not in this school year's cohort. */
  notInCohort: number[];
}

/** Matches a list against the cohort county-wide and recodes the matches still open, by a workflow that signals each. */
export async function runCrosscheck(
  deps: { pool: Pool; client: Client; config: Config },
  schoolYear: number,
  list: CrosscheckList,
  entries: CrosscheckEntry[],
  by: string,
  byUserId?: string,
): Promise<CrosscheckReport> {
  const status = deps.config.crosscheckCodes[list];
  const lineOf = new Map(entries.map((e) => [caseIdOf(e.nationalId, schoolYear, deps.config.caseIdKey), e.line]));
  const matches: CrosscheckMatch[] = (await casesByIds(deps.pool, schoolYear, [...lineOf.keys()]))
    .map((m) => ({ line: lineOf.get(m.caseId)!, ...m }))
    .sort((a, b) => a.line - b.line);
  const found = new Set(matches.map((m) => m.caseId));
  const report: CrosscheckReport = {
    list,
    status,
    entries: entries.length,
    recoded: matches.filter((m) => CHANGEABLE.includes(m.stage)),
    unchanged: matches.filter((m) => !CHANGEABLE.includes(m.stage)),
    notInCohort: [...lineOf].filter(([id]) => !found.has(id)).map(([, line]) => line),
  };
  if (report.recoded.length > 0) {
    const caseIds = report.recoded.map((m) => m.caseId);
    await executeOrJoin(deps, 'crosscheck', crosscheckWorkflowId(schoolYear, list, digestOf([status, ...caseIds])), [
      { schoolYear, list, status, caseIds, by, ...(byUserId ? { byUserId } : {}) },
    ]);
  }
  return report;
}
