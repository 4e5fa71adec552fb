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
import { startCluster } from '../scripts/temporal-cluster';
import { createWorker } from '../worker/worker';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { loadConfig } from '../runtime/config';
import { connectClient } from '../runtime/temporal';

/**
 * What every benchmark stands on: its own Temporal server (the CLI's dev server, or Temporal's own server on
 * PostgreSQL with `--engine cluster`), a throwaway database on the real PostgreSQL and one worker as
 * worker/main.ts runs it, so figures never mix with another run's state.
 */
export type Engine = 'dev' | 'cluster';

export interface BenchStack {
  engine: Engine;
  config: Config;
  /** The environment the config was read from: a process the bench starts (the API) gets the same. */
  env: Record<string, string>;
  pool: Pool;
  client: Client;
  /** The worker's connection, for the bench's own baseline worker. */
  connection: NativeConnection;
}

/** Progress goes to stderr, so stdout holds only the figures. */
export const log = (msg: string) => process.stderr.write(`${msg}\n`);

function rawArg(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

/** `--name N` or `--name=N`, a positive whole number. */
export function intArg(argv: string[], name: string, fallback: number): number {
  const raw = rawArg(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${raw}`);
  return n;
}

/** `--engine dev` (the default) or `--engine cluster`. */
export function engineArg(argv: string[]): Engine {
  const raw = rawArg(argv, 'engine') ?? 'dev';
  if (raw !== 'dev' && raw !== 'cluster') throw new Error(`--engine must be dev or cluster, not ${raw}`);
  return raw;
}

/** The size and engine every Temporal benchmark takes. */
export function benchArgs(fallbackSize: number): { size: number; engine: Engine } {
  const argv = process.argv.slice(2);
  return { size: intArg(argv, 'size', fallbackSize), engine: engineArg(argv) };
}

/** BENCH_WORKER_OPTIONS, e.g. '{"maxCachedWorkflows":2000}': worker options to measure before changing worker/worker.ts. */
function workerTuning(): Parameters<typeof createWorker>[0]['tuning'] {
  const raw = process.env.BENCH_WORKER_OPTIONS;
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Parameters<typeof createWorker>[0]['tuning'];
  } catch {
    throw new Error(`BENCH_WORKER_OPTIONS is not JSON: ${raw}`);
  }
}

interface Engineered {
  address: string;
  teardown(): Promise<void>;
}

async function devServer(): Promise<Engineered> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      searchAttributes: SEARCH_ATTRIBUTES,
      // Its log would go to our stdout, which holds only the figures: with BENCH_TEMPORAL_LOG=1, warnings and worse.
      log: { format: 'pretty', level: process.env.BENCH_TEMPORAL_LOG ? 'warn' : 'never' },
    },
  });
  return { address: env.address, teardown: () => env.teardown() };
}

/** Temporal's own server on databases of its own beside the bench's, dropped with it. */
async function cluster(adminUrl: string, dbName: string, dataDir: string): Promise<Engineered> {
  const databasePrefix = `${dbName}_temporal`;
  // A base port of its own: clear of the dev server's 7233, of the tests' 20000–32000 and of the system's ephemeral ports.
  const basePort = 14000 + Math.floor(Math.random() * 45) * 120;
  const started = await startCluster({
    adminUrl,
    databasePrefix,
    basePort,
    dataDir: path.join(dataDir, 'cluster'),
    namespace: 'default',
    retentionHours: 24,
  });
  return {
    address: started.address,
    async teardown() {
      await started.stop();
      const admin = new PgClient({ connectionString: adminUrl });
      await admin.connect();
      for (const db of [databasePrefix, `${databasePrefix}_visibility`]) await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Runs `body` on a fresh stack and tears it all down afterwards, also when `body` throws. */
export async function withBenchStack<T>(engine: Engine, body: (stack: BenchStack) => Promise<T>): Promise<T> {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `ot_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ot-bench-'));

  let server: Engineered | undefined;
  let pool: Pool | undefined;
  let client: Client | undefined;
  let connection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let dbCreated = false;
  try {
    log(`starting ${engine === 'dev' ? 'a Temporal dev server' : 'a Temporal cluster on PostgreSQL'} and database ${dbName}`);
    const admin = new PgClient({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    dbCreated = true;
    server = engine === 'dev' ? await devServer() : await cluster(adminUrl, dbName, dataDir);

    const env = {
      DATABASE_URL: dbUrl.toString(),
      TEMPORAL_ADDRESS: server.address,
      OT_CASE_ID_KEY: randomBytes(16).toString('hex'),
      OT_PAYLOAD_KEYS: `bench=${randomBytes(32).toString('base64')}`,
      OT_DATA_DIR: dataDir,
      OT_TASK_QUEUE: 'ot-bench',
    };
    const config = loadConfig(env);
    pool = createPool(config.databaseUrl, 20); // as worker/main.ts
    await migrate(pool);
    client = await connectClient(config);
    connection = await NativeConnection.connect({ address: config.temporalAddress });
    const tuning = workerTuning();
    if (tuning) log(`worker options tried: ${JSON.stringify(tuning)}`);
    const t = performance.now();
    worker = await createWorker({ config, pool, client, connection, tuning });
    log(`the worker was created (its workflow bundle built) in ${(performance.now() - t).toFixed(0)} ms`);
    running = worker.run();
    return await body({ engine, config, env, pool, client, connection });
  } finally {
    log('tearing down');
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch((err) => log(`worker: ${(err as Error).message}`));
    await connection?.close().catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await server?.teardown().catch((err) => log(`Temporal server: ${(err as Error).message}`));
    if (dbCreated) {
      const admin = new PgClient({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}
