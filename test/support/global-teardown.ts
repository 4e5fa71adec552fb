import type { TestEngine } from './global-setup';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as unknown as {
    __otTestEngine?: TestEngine;
    __otTestDb?: { adminUrl: string; dbName: string; loginUsers: string[] };
  };
  await g.__otTestEngine?.teardown();
  if (g.__otTestDb && !process.env.TEST_KEEP_DATABASE) {
    const admin = new Client({ connectionString: g.__otTestDb.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${g.__otTestDb.dbName} WITH (FORCE)`);
    // The run's login users: members of the group roles, owning nothing and granted nothing themselves.
    for (const user of g.__otTestDb.loginUsers) await admin.query(`DROP ROLE IF EXISTS ${user}`);
    await admin.end();
  }
}
