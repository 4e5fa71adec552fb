import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { Client as PgClient, type Pool } from 'pg';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { type Config } from '../schemas/config';
import { temporalCliPath } from '../scripts/temporal-cli';
import { createWorker } from '../worker/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { loadConfig } from '../runtime/config';
import { connectClient } from '../runtime/temporal';

/**
 * What every benchmark stands on: its own Temporal dev server, a throwaway database on the real
 * PostgreSQL and one worker as worker/main.ts runs it, so figures never mix with another run's state.
 */
export interface BenchStack {
  config: Config;
  pool: Pool;
  client: Client;
}

/** Progress goes to stderr, so stdout holds only the figures. */
export const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** `--name N` or `--name=N`, a positive whole number. */
export function intArg(argv: string[], name: string, fallback: number): number {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${raw}`);
  return n;
}

/** Runs `body` on a fresh stack and tears it all down afterwards, also when `body` throws. */
export async function withBenchStack<T>(body: (stack: BenchStack) => Promise<T>): Promise<T> {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `ot_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ot-bench-'));

  let env: TestWorkflowEnvironment | undefined;
  let pool: Pool | undefined;
  let client: Client | undefined;
  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let dbCreated = false;
  try {
    log(`starting a Temporal dev server and database ${dbName}`);
    const admin = new PgClient({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    dbCreated = true;
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliPath() }, searchAttributes: SEARCH_ATTRIBUTES },
    });

    const config = loadConfig({
      DATABASE_URL: dbUrl.toString(),
      TEMPORAL_ADDRESS: env.address,
      OT_CASE_ID_KEY: randomBytes(16).toString('hex'),
      OT_DATA_DIR: dataDir,
      OT_TASK_QUEUE: 'ot-bench',
    });
    pool = createPool(config.databaseUrl, 20); // as worker/main.ts
    await migrate(pool);
    client = await connectClient(config);
    connection = await NativeConnection.connect({ address: config.temporalAddress });
    worker = await createWorker({ config, pool, client, connection });
    running = worker.run();
    return await body({ config, pool, client });
  } finally {
    log('tearing down');
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch((err) => log(`worker: ${(err as Error).message}`));
    await connection?.close().catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await env?.teardown().catch((err) => log(`dev server: ${(err as Error).message}`));
    if (dbCreated) {
      const admin = new PgClient({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
