import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client } from 'pg';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { insertUser } from '../../db/users';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { startCluster } from '../../scripts/temporal-cluster';
import globalTeardown from './global-teardown';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TEST_OPERATOR = 'test-operator';

/**
 * One real Temporal dev server and one throwaway PostgreSQL database for the whole run. The database is
 * migrated as the superuser, as a deployment migrates it as the schema's owner; workers and the CLI then
 * connect as login users of their own database roles (migration 008), as in production:
 * OT_WORKER_DATABASE_URL and OT_API_DATABASE_URL name them, for every process a test starts and for the
 * workers of test/support/stack.ts. Tests that set up or look at rows directly use DATABASE_URL, the superuser.
 */
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
  // Roles belong to the whole server: named after this run's database, and dropped with it (global-teardown).
  const loginUsers = { worker: `${dbName}_worker`, api: `${dbName}_api` };
  await pool.query(`CREATE ROLE ${loginUsers.worker} LOGIN IN ROLE ot_worker`);
  await pool.query(`CREATE ROLE ${loginUsers.api} LOGIN IN ROLE ot_api`);
  await pool.end();
  const urlOf = (user: string) => Object.assign(new URL(url), { username: user, password: '' }).toString();

  // `npm run test:cluster` (OT_TEST_ENGINE=cluster): Temporal's own server on PostgreSQL, a process per service; else the dev server.
  Object.assign(globalThis, { __otTestDb: { adminUrl, dbName, loginUsers: Object.values(loginUsers) } });
  let engine: TestEngine;
  try {
    engine = process.env.OT_TEST_ENGINE === 'cluster' ? await testCluster(adminUrl, dbName) : await devServer();
  } catch (err) {
    await globalTeardown(); // jest runs no teardown after a failed setup: the run's database and users go here
    throw err;
  }
  Object.assign(globalThis, { __otTestEngine: engine });
  process.env.TEMPORAL_ADDRESS = engine.address;
  process.env.DATABASE_URL = url.toString();
  process.env.OT_WORKER_DATABASE_URL = urlOf(loginUsers.worker);
  process.env.OT_API_DATABASE_URL = urlOf(loginUsers.api);
  process.env.OT_CASE_ID_KEY = randomBytes(16).toString('hex');
  // The payload codec's ring, as production gives it: an older key and the newest, which encrypts.
  process.env.OT_PAYLOAD_KEYS = ['test-old', 'test-new'].map((id) => `${id}=${randomBytes(32).toString('base64')}`).join(',');
  process.env.OT_USER = TEST_OPERATOR;
}

/** What global-teardown stops: the dev server, or the cluster and its two databases. */
export interface TestEngine {
  address: string;
  teardown(): Promise<void>;
}

async function devServer(): Promise<TestEngine> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: SEARCH_ATTRIBUTES,
      // The server's own complaints (e.g. about a worker a test kills on purpose) only with TEST_TEMPORAL_LOG=1.
      log: { format: 'pretty', level: process.env.TEST_TEMPORAL_LOG ? 'warn' : 'never' },
    },
  });
  return { address: env.address, teardown: () => env.teardown() };
}

async function testCluster(adminUrl: string, dbName: string): Promise<TestEngine> {
  const databasePrefix = `${dbName}_temporal`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ot-test-cluster-'));
  // A base port of its own, clear of the dev server's 7233 and of the ports the system picks at random (above 32768).
  const basePort = 20000 + Math.floor(Math.random() * 100) * 120;
  const dropDatabases = async (keepLogs: boolean) => {
    if (process.env.TEST_KEEP_DATABASE) return;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    for (const db of [databasePrefix, `${databasePrefix}_visibility`]) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
    if (!keepLogs) rmSync(dataDir, { recursive: true, force: true });
  };
  const cluster = await startCluster({ adminUrl, databasePrefix, basePort, dataDir, namespace: 'default', retentionHours: 24, shards: 8 }).catch(
    async (err: unknown) => {
      await dropDatabases(true); // the error names a process's log in dataDir
      throw err;
    },
  );
  return {
    address: cluster.address,
    async teardown() {
      // The services' own errors, as their logs go with the folder below: a failed run on the cluster is read by
      // them. Taken before the stop, which makes errors of its own (a service losing the others as they go).
      const logged = [...cluster.errorsLogged(3)].filter(([, lines]) => lines.length > 0);
      await cluster.stop();
      for (const [name, lines] of logged) process.stderr.write(`temporal ${name}'s last errors:\n  ${lines.join('\n  ')}\n`);
      await dropDatabases(false);
    },
  };
}
