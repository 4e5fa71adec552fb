import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../schemas/config';
import type { cohortImport } from '../workflows/cohort-import';

export function importWorkflowId(schoolYear: number, importId: string): string {
  return `cohort-import-${schoolYear}-${importId}`;
}

/**
 * Uploads a transfer file into PostgreSQL (it holds personal data, so it never enters a Temporal payload)
 * and starts the import workflow that stages it and starts its cases.
 */
export async function submitImport(
  deps: { pool: Pool; client: Client; config: Config },
  file: { fileName: string; content: string; schoolYear: number; strict: boolean },
): Promise<WorkflowHandle<typeof cohortImport>> {
  const importId = randomUUID();
  await deps.pool.query('INSERT INTO imports (import_id, school_year, file_name, content, strict) VALUES ($1, $2, $3, $4, $5)', [
    importId, file.schoolYear, file.fileName, file.content, file.strict,
  ]);
  return deps.client.workflow.start<typeof cohortImport>('cohortImport', {
    workflowId: importWorkflowId(file.schoolYear, importId),
    taskQueue: deps.config.taskQueue,
    args: [{ importId, schoolYear: file.schoolYear }],
  });
}
