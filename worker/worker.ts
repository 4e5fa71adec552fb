import { NativeConnection, Worker, type Logger, type WorkerOptions } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createActivities } from '../activities';
import type { Config } from '../schemas/config';
import { dataConverterOf } from '../runtime/payload-codec';
import type * as workflows from '../workflows';
import { tracingWorkerOptions } from './tracing';
import type { WORKFLOW_TYPES, WorkflowSignatures } from '../workflows/contracts/workflow-types';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/**
 * Compile-time checks that the names clients and schedules use are the names registered here, and that
 * each registered workflow has its contract's signature: a wrong name or argument fails the build.
 */
export type WorkflowNamesRegistered = Holds<Same<keyof typeof workflows, keyof typeof WORKFLOW_TYPES>>;
export type WorkflowTypeNamesAreKeys = Holds<Same<typeof WORKFLOW_TYPES, { readonly [K in keyof typeof WORKFLOW_TYPES]: K }>>;
export type WorkflowsKeepTheirContracts = Holds<typeof workflows extends WorkflowSignatures ? true : false>;

/** The worker of the campaign's task queue: every workflow and activity of the project. */
export async function createWorker(opts: {
  config: Config;
  pool: Pool;
  client: Client;
  connection: NativeConnection;
  taskQueue?: string;
  /** Worker limits to try instead of these (bench/stack.ts, BENCH_WORKER_OPTIONS): measured before they are changed here. */
  tuning?: Pick<
    WorkerOptions,
    | 'maxCachedWorkflows'
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxConcurrentActivityTaskExecutions'
    | 'workflowTaskPollerBehavior'
    | 'activityTaskPollerBehavior'
  >;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.config.namespace,
    taskQueue: opts.taskQueue ?? opts.config.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(opts.pool, opts.client, opts.config),
    // The same codec as every client: what the workflows and activities hand to Temporal is encrypted.
    dataConverter: dataConverterOf(opts.config.payloadKeys),
    maxConcurrentActivityTaskExecutions: 50,
    ...(await tracingWorkerOptions(opts.config)),
    ...opts.tuning,
  });
}

export type { Logger };
