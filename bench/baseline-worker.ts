import { Worker, type InjectedSinks, type NativeConnection } from '@temporalio/worker';
import { dataConverterOf } from '../runtime/payload-codec';
import type { Config } from '../schemas/config';
import type { BaselineSinks } from './baseline-workflows';

/**
 * The bench's own worker for the raw baselines, on a task queue of its own beside the campaign's worker, in the
 * same process with the same defaults: it counts, in memory, the workflows that reached their wait (a sink, called
 * once per workflow: not on replay) and the no-op activities done, so a baseline knows when it is finished.
 */
export const BASELINE_QUEUE = 'bench-baseline';

export interface BaselineWorker {
  waiting: () => number;
  activitiesDone: () => number;
  /** When the last counted activity finished (performance.now()). */
  lastActivityAt: () => number;
  stop(): Promise<void>;
}

export async function startBaselineWorker(connection: NativeConnection, config: Config): Promise<BaselineWorker> {
  let waiting = 0;
  let done = 0;
  let lastAt = 0;
  const sinks: InjectedSinks<BaselineSinks> = {
    baseline: {
      waiting: {
        fn: () => {
          waiting++;
        },
        callDuringReplay: false,
      },
    },
  };
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue: BASELINE_QUEUE,
    // The campaign's codec: the bench's client encrypts what it starts, and both sides pay the same for it.
    dataConverter: dataConverterOf(config.payloadKeys),
    workflowsPath: require.resolve('./baseline-workflows'),
    activities: {
      baselineNoop: async () => {
        done++;
        lastAt = performance.now();
      },
    },
    // As the campaign's worker (worker/worker.ts), so the two differ in what their workflows do, not in their limits.
    maxConcurrentActivityTaskExecutions: 50,
    sinks,
  });
  const running = worker.run();
  return {
    waiting: () => waiting,
    activitiesDone: () => done,
    lastActivityAt: () => lastAt,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
