import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { Client as PgClient, type Pool } from 'pg';
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { recordDeliveryReport } from '../../activities/sms-delivery';
import type { Config } from '../../schemas/config';
import { loadConfig } from '../../runtime/config';
import { connectClient } from '../../runtime/temporal';
import { startCluster, type Cluster } from '../../scripts/temporal-cluster';
import { startFakeSmsGateway, type FakeSmsGateway, type RandomFaults } from '../fake-sms-gateway';
import { spawnWorker, type WorkerProcess } from '../worker-process';
import { log } from '../stack';

/**
 * What the fault suite stands on: Temporal's own server on PostgreSQL (a process per service, two history processes),
 * a throwaway application database, the fake HTTP SMS gateway failing at random, and the real worker program in
 * processes of its own (dist/worker/main.js), which the suite kills and starts again.
 */
export interface FaultStack {
  config: Config;
  pool: Pool;
  client: Client;
  cluster: Cluster;
  gateway: FakeSmsGateway;
  /** The application database's name: its backends are the ones the suite cuts. */
  dbName: string;
  adminUrl: string;
  workers: WorkerProcess[];
  /** Starts one more worker process, as worker/main.ts runs; resolves once it polls. */
  startWorker(): Promise<WorkerProcess>;
}

export interface FaultStackOptions {
  workers: number;
  gatewayFaults: RandomFaults;
  /** How long a send may take before its answer counts as unknown; the gateway's late answers come after it. */
  smsTimeoutMs: number;
}

export async function withFaultStack<T>(options: FaultStackOptions, body: (stack: FaultStack) => Promise<T>): Promise<T> {
  Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `ot_faults_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const dbUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ot-faults-'));
  const databases: string[] = [];
  let cluster: Cluster | undefined;
  let gateway: FakeSmsGateway | undefined;
  let pool: Pool | undefined;
  let client: Client | undefined;
  const workers: WorkerProcess[] = [];
  const admin = async <R>(work: (c: PgClient) => Promise<R>): Promise<R> => {
    const c = new PgClient({ connectionString: adminUrl });
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };
  try {
    log(`starting a Temporal cluster and database ${dbName}`);
    await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
    databases.push(dbName, `${dbName}_temporal`, `${dbName}_temporal_visibility`);
    // A base port clear of the dev server's 7233, of the tests' clusters (20000–31999) and of the system's random ports.
    const basePort = 12000 + Math.floor(Math.random() * 50) * 120;
    cluster = await startCluster({
      adminUrl,
      databasePrefix: `${dbName}_temporal`,
      basePort,
      dataDir: path.join(dataDir, 'cluster'),
      namespace: 'default',
      retentionHours: 24,
      shards: 8,
    });
    // The gateway's delivery reports go where the API's /sms/delivery-report puts them (the suite runs no API process).
    let reportTo: (report: unknown) => Promise<unknown> = () => Promise.reject(new Error('not yet'));
    gateway = await startFakeSmsGateway({
      lateMs: options.smsTimeoutMs * 3,
      randomFaults: options.gatewayFaults,
      deliveryReports: { delayMs: 2000, send: async (report) => void (await reportTo(report)) },
    });
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: dbUrl.toString(),
      TEMPORAL_ADDRESS: cluster.address,
      OT_CASE_ID_KEY: randomBytes(16).toString('hex'),
      OT_DATA_DIR: dataDir,
      OT_TASK_QUEUE: 'ot-faults',
      OT_SMS_PROVIDER: 'http',
      OT_SMS_URL: gateway.url,
      OT_SMS_USER: gateway.user,
      OT_SMS_PASSWORD: gateway.password,
      OT_SMS_SENDER: 'OT Vestland',
      OT_SMS_TIMEOUT_MS: String(options.smsTimeoutMs),
      // A compressed year's reports are taken a moment after their time, not a minute.
      OT_REPORT_SETTLE_SECONDS: '2',
      // info: the worker says "worker polling" when it runs, which startWorker waits for.
      OT_LOG_LEVEL: 'info',
    };
    const config = loadConfig({ ...process.env, ...env });
    pool = createPool(config.databaseUrl, 6);
    await migrate(pool);
    const reportPool = pool;
    reportTo = (report) => recordDeliveryReport(reportPool, report);
    client = await connectClient(config);
    const startWorker = async (): Promise<WorkerProcess> => {
      const w = spawnWorker(env);
      workers.push(w);
      // worker/main.ts logs "worker polling" once it runs; a worker that dies first says why. Each worker bundles the
      // workflow code as it starts, which on a busy two-core machine can take minutes.
      const deadline = Date.now() + 600_000;
      while (!w.output().includes('worker polling')) {
        if (w.child.exitCode !== null) throw new Error(`a worker process exited while starting:\n${w.output().slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`a worker process did not start polling in 10 minutes:\n${w.output().slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      return w;
    };
    for (let i = 0; i < options.workers; i++) await startWorker();
    return await body({ config, pool, client, cluster, gateway, dbName, adminUrl, workers, startWorker });
  } finally {
    log('tearing down');
    for (const w of workers) await w.kill('SIGTERM').catch(() => undefined);
    await client?.connection.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await cluster?.stop().catch((err) => log(`cluster: ${(err as Error).message}`));
    await gateway?.close().catch(() => undefined);
    await admin(async (c) => {
      for (const db of databases) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }).catch((err) => log(`dropping the databases: ${(err as Error).message}`));
    if (!process.env.OT_FAULTS_KEEP) rmSync(dataDir, { recursive: true, force: true });
  }
}
