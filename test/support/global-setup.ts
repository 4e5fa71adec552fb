import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from 'pg';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { insertUser } from '../../db/users';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { temporalCliPath } from '../../scripts/temporal-cli';

const TEST_OPERATOR = 'test-operator';

/** One real Temporal dev server and one throwaway PostgreSQL database for the whole run. */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `ot_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const pool = createPool(url.toString());
  await migrate(pool);
  // The account every CLI run of the tests acts as unless it names another (--as): the CLI needs one.
  await insertUser(pool, { id: randomUUID(), username: TEST_OPERATOR, displayName: 'Test Operator', role: 'operator', units: [] });
  await pool.end();

  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: SEARCH_ATTRIBUTES,
      // The server's own complaints (e.g. about a worker a test kills on purpose) only with TEST_TEMPORAL_LOG=1.
      log: { format: 'pretty', level: process.env.TEST_TEMPORAL_LOG ? 'warn' : 'never' },
    },
  });

  Object.assign(globalThis, { __otTestEnv: env, __otTestDb: { adminUrl, dbName } });
  process.env.TEMPORAL_ADDRESS = env.address;
  process.env.DATABASE_URL = url.toString();
  process.env.OT_CASE_ID_KEY = randomBytes(16).toString('hex');
  process.env.OT_USER = TEST_OPERATOR;
}
