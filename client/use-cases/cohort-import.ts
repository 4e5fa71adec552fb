import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { storeUpload } from '../../db/imports';
import type { Config } from '../../schemas/config';
import {
  cohortImportWorkflowId,
  importProgressQuery,
  type CohortImportWorkflow,
  type ImportProgress,
  type ImportSummary,
} from '../../workflows/contracts/cohort-import';
import { WORKFLOW_TYPES } from '../../workflows/contracts/workflow-types';

/**
 * Uploads a transfer file into PostgreSQL (it holds personal data, so it never enters a Temporal payload)
 * and starts the import workflow that stages it and starts its cases.
 */
export async function submitImport(
  deps: { pool: Pool; client: Client; config: Config },
  file: { fileName: string; content: string; schoolYear: number; strict: boolean },
  importId: string = randomUUID(),
): Promise<WorkflowHandle<CohortImportWorkflow>> {
  await storeUpload(deps.pool, { importId, ...file });
  return deps.client.workflow.start<CohortImportWorkflow>(WORKFLOW_TYPES.cohortImport, {
    workflowId: cohortImportWorkflowId(file.schoolYear, importId),
    taskQueue: deps.config.taskQueue,
    args: [{ importId, schoolYear: file.schoolYear }],
  });
}

/** Where an import stands: still running (with its progress), done (with its summary), or failed (with why). */
export type ImportStatus =
  | { state: 'running'; progress?: ImportProgress }
  | { state: 'completed'; summary: ImportSummary }
  | { state: 'failed'; reason: string }
  | { state: 'unknown' };

export async function importStatus(client: Client, schoolYear: number, importId: string): Promise<ImportStatus> {
  const handle = client.workflow.getHandle<CohortImportWorkflow>(cohortImportWorkflowId(schoolYear, importId));
  const described = await handle.describe().catch((err: unknown) => {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  });
  if (!described) return { state: 'unknown' };
  if (described.status.name === 'RUNNING') return { state: 'running', progress: await handle.query(importProgressQuery).catch(() => undefined) };
  try {
    return { state: 'completed', summary: await handle.result() };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    // The reason is the innermost cause: workflow failed ← activity failed ← the file's problem.
    let cause: Error = err;
    while (cause.cause instanceof Error) cause = cause.cause;
    return { state: 'failed', reason: cause.message };
  }
}
