import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { type Config } from '../../schemas/config';
import { createWorker } from '../../worker/worker';
import { loadConfig } from '../../runtime/config';
import { connectClient } from '../../runtime/temporal';

let runtimeInstalled = false;

/** The real parts a test needs, against the run's dev server and database (see global-setup). */
export interface TestStack {
  config: Config;
  pool: Pool;
  client: Client;
  connection: NativeConnection;
  startWorker(taskQueue?: string): Promise<{ worker: Worker; stopped: Promise<void> }>;
  close(): Promise<void>;
}

export async function openStack(overrides: Partial<Config> = {}): Promise<TestStack> {
  if (!runtimeInstalled) {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
    } catch {
      // Another test file of this process installed it already.
    }
    runtimeInstalled = true;
  }
  const config = { ...loadConfig(), ...overrides };
  const pool = createPool(config.databaseUrl);
  // The workers connect as the worker's database role, as in production (see global-setup); the test itself as the superuser.
  const workerPool = createPool(config.databaseUrls.worker);
  const client = await connectClient(config);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const workers: { worker: Worker; stopped: Promise<void> }[] = [];
  return {
    config,
    pool,
    client,
    connection,
    async startWorker(taskQueue) {
      const worker = await createWorker({ config, pool: workerPool, client, connection, taskQueue });
      const entry = { worker, stopped: worker.run() };
      workers.push(entry);
      return entry;
    },
    async close() {
      for (const w of workers) {
        if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
        await w.stopped.catch(() => undefined);
      }
      await connection.close();
      await client.connection.close();
      await pool.end();
      await workerPool.end();
    },
  };
}
