import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { caseIdOf } from '../domain/case-id';
import type { CrosscheckEntry } from '../domain/crosscheck-list';
import type { CrosscheckList } from '../schemas/crosscheck';
import type { Config } from '../schemas/config';
import type { crosscheck } from '../workflows/mass-operations';
import { stagesTaking, type CaseStage } from '../workflows/youth-case/machine';

/** Where a case must stand for a cross-check match to change it: not yet settled by an outcome, the washing or the year end. */
const CHANGEABLE = stagesTaking('CROSSCHECK_MATCHED');

export interface CrosscheckMatch {
  line: number;
  caseId: string;
  name: string;
  unit: string;
  stage: CaseStage;
  otStatus: string;
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
): Promise<CrosscheckReport> {
  const status = deps.config.crosscheckCodes[list];
  const lineOf = new Map(entries.map((e) => [caseIdOf(e.nationalId, schoolYear, deps.config.caseIdKey), e.line]));
  const r = await deps.pool.query(
    `SELECT c.case_id, c.unit, c.stage, c.ot_status, p.first_name || ' ' || p.last_name AS name
     FROM cases c JOIN persons p USING (case_id) WHERE c.school_year = $1 AND c.case_id = ANY($2)`,
    [schoolYear, [...lineOf.keys()]],
  );
  const matches: CrosscheckMatch[] = r.rows
    .map((row) => ({ line: lineOf.get(row.case_id)!, caseId: row.case_id, name: row.name, unit: row.unit, stage: row.stage, otStatus: row.ot_status }))
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
    await deps.client.workflow.execute<typeof crosscheck>('crosscheck', {
      workflowId: `crosscheck-${schoolYear}-${list}-${Date.now()}`,
      taskQueue: deps.config.taskQueue,
      args: [{ schoolYear, list, status, caseIds: report.recoded.map((m) => m.caseId), by }],
    });
  }
  return report;
}
