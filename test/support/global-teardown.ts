import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as unknown as { __otTestEnv?: TestWorkflowEnvironment; __otTestDb?: { adminUrl: string; dbName: string } };
  await g.__otTestEnv?.teardown();
  if (g.__otTestDb && !process.env.TEST_KEEP_DATABASE) {
    const admin = new Client({ connectionString: g.__otTestDb.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${g.__otTestDb.dbName} WITH (FORCE)`);
    await admin.end();
  }
}
