import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { storeUpload } from '../../db/imports';
import type { Config } from '../../schemas/config';
import { cohortImportWorkflowId, type CohortImportWorkflow } from '../../workflows/contracts/cohort-import';
import { WORKFLOW_TYPES } from '../../workflows/contracts/workflow-types';

/**
 * Uploads a transfer file into PostgreSQL (it holds personal data, so it never enters a Temporal payload)
 * and starts the import workflow that stages it and starts its cases.
 */
export async function submitImport(
  deps: { pool: Pool; client: Client; config: Config },
  file: { fileName: string; content: string; schoolYear: number; strict: boolean },
): Promise<WorkflowHandle<CohortImportWorkflow>> {
  const importId = randomUUID();
  await storeUpload(deps.pool, { importId, ...file });
  return deps.client.workflow.start<CohortImportWorkflow>(WORKFLOW_TYPES.cohortImport, {
    workflowId: cohortImportWorkflowId(file.schoolYear, importId),
    taskQueue: deps.config.taskQueue,
    args: [{ importId, schoolYear: file.schoolYear }],
  });
}
