import { NativeConnection, Worker, type Logger } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import type { Config } from '../schemas/config';

/** The worker of the campaign's task queue: every workflow and activity of the project. */
export async function createWorker(opts: {
  config: Config;
  pool: Pool;
  client: Client;
  connection: NativeConnection;
  taskQueue?: string;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.namespace,
    taskQueue: opts.taskQueue ?? opts.config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(opts.pool, opts.client, opts.config),
    maxConcurrentActivityTaskExecutions: 50,
  });
}

export type { Logger };
