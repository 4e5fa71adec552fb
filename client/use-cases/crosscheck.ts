import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { casesByIds, type MatchedCase } from '../../db/cases';
import { caseIdsOfNationalIds } from '../../db/persons';
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
  // By the persons stored at import: the API and the CLI hold no case-id key.
  const caseIdOf = await caseIdsOfNationalIds(
    deps.pool,
    schoolYear,
    entries.map((e) => e.nationalId),
  );
  const lineOf = new Map(entries.flatMap((e) => (caseIdOf.has(e.nationalId) ? [[caseIdOf.get(e.nationalId)!, e.line] as const] : [])));
  const matches: CrosscheckMatch[] = (await casesByIds(deps.pool, schoolYear, [...lineOf.keys()]))
    .map((m) => ({ line: lineOf.get(m.caseId)!, ...m }))
    .sort((a, b) => a.line - b.line);
  const found = new Set(matches.map((m) => m.caseId));
  const notInCohort = entries.filter((e) => !found.has(caseIdOf.get(e.nationalId) ?? '')).map((e) => e.line);
  const report: CrosscheckReport = {
    list,
    status,
    entries: entries.length,
    recoded: matches.filter((m) => CHANGEABLE.includes(m.stage)),
    unchanged: matches.filter((m) => !CHANGEABLE.includes(m.stage)),
    notInCohort,
  };
  if (report.recoded.length > 0) {
    const caseIds = report.recoded.map((m) => m.caseId);
    await executeOrJoin(deps, 'crosscheck', crosscheckWorkflowId(schoolYear, list, digestOf([status, ...caseIds])), [
      { schoolYear, list, status, caseIds, by, ...(byUserId ? { byUserId } : {}) },
    ]);
  }
  return report;
}
