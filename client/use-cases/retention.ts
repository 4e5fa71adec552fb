import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { caseIdOf } from '../../domain/case-id';
import { cohortYears, readRetentionLog, storedCaseIds, type RetentionLogEntry } from '../../db/erasure';
import type { Config } from '../../schemas/config';
import { retentionWorkflowId, type RetentionResult } from '../../workflows/contracts/retention';
import { executeOrJoin } from './run-workflow';

/** A refusal of the retention workflow (a period not ended, a case still open), in its own words. */
export class RetentionError extends Error {}

type Deps = { pool: Pool; client: Client; config: Config };

async function run(deps: Deps, workflowId: string, args: Parameters<typeof executeOrJoin<'retention'>>[3]): Promise<RetentionResult> {
  try {
    return await executeOrJoin(deps, 'retention', workflowId, args);
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new RetentionError(err.cause?.message ?? err.message);
    throw err;
  }
}

/** What the cohort holds now (every row and file a retention run would erase), when its period ends, and what went before. */
export async function showRetention(deps: Deps, schoolYear: number, by: string): Promise<RetentionResult & { log: RetentionLogEntry[] }> {
  const plan = await run(deps, retentionWorkflowId(schoolYear, `dry-${randomUUID()}`), [{ schoolYear, dryRun: true, by }]);
  return { ...plan, log: await readRetentionLog(deps.pool, schoolYear) };
}

/**
 * Erases the cohort through its retention workflow. An operator's run and the schedule's may both come; the second
 * finds nothing left to erase (and logs that), since each page is one transaction.
 */
export async function runRetention(deps: Deps, schoolYear: number, by: string, dryRun: boolean): Promise<RetentionResult> {
  if (dryRun) return run(deps, retentionWorkflowId(schoolYear, `dry-${randomUUID()}`), [{ schoolYear, dryRun: true, by }]);
  return run(deps, retentionWorkflowId(schoolYear, 'run'), [{ schoolYear, dryRun: false, by }]);
}

/** The school years that hold a person of this national id, and their case ids (no number leaves this function). */
export async function casesOfNationalId(deps: Deps, nationalId: string, schoolYear?: number): Promise<{ schoolYear: number; caseId: string }[]> {
  const years = schoolYear ? [schoolYear] : await cohortYears(deps.pool);
  const all = years.map((y) => ({ schoolYear: y, caseId: caseIdOf(nationalId, y, deps.config.caseIdKey) }));
  const stored = await storedCaseIds(
    deps.pool,
    all.map((c) => c.caseId),
  );
  const found = all.filter((c) => stored.has(c.caseId));
  return found;
}

/** Erases one person's data (each of their cases), or lists what would go; the stored reports keep their counts. */
export async function erasePerson(
  deps: Deps,
  cases: { schoolYear: number; caseId: string }[],
  by: string,
  dryRun: boolean,
): Promise<RetentionResult[]> {
  const results: RetentionResult[] = [];
  for (const c of cases) {
    const id = retentionWorkflowId(c.schoolYear, dryRun ? `person-${c.caseId}-dry-${randomUUID()}` : `person-${c.caseId}`);
    results.push(await run(deps, id, [{ schoolYear: c.schoolYear, caseIds: [c.caseId], dryRun, by }]));
  }
  return results;
}
