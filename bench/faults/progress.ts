import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createPool } from '../../db/pool';

/**
 * The campaign's pulse, sampled twice a second: how many journal entries the cases have written (progress), and the
 * task queue's backlog of workflow and activity tasks waiting for a worker. The report reads from it how long each
 * fault cost: until the journal moved again, and until the backlog had drained.
 */
export interface Sample {
  at: number;
  journal?: number;
  backlog?: number;
}

const { TaskQueueType } = temporal.api.enums.v1;

export class ProgressMonitor {
  readonly samples: Sample[] = [];
  private stopped = false;
  private done?: Promise<void>;

  constructor(
    private readonly databaseUrl: string,
    private readonly client: Client,
    private readonly namespace: string,
    private readonly taskQueue: string,
  ) {}

  start(): void {
    // A pool of its own, which the connection cuts hit too: a sample that fails is left without its figure.
    const pool = createPool(this.databaseUrl, 1);
    this.done = (async () => {
      while (!this.stopped) {
        const at = Date.now();
        const journal = await pool
          .query<{ n: string }>('SELECT count(*) AS n FROM case_events')
          .then((r) => Number(r.rows[0].n))
          .catch(() => undefined);
        const backlog = await this.backlog().catch(() => undefined);
        this.samples.push({ at, journal, backlog });
        await new Promise((r) => setTimeout(r, 500));
      }
      await pool.end();
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  private async backlog(): Promise<number> {
    let n = 0;
    for (const type of [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY]) {
      const r = await this.client.workflowService.describeTaskQueue({
        namespace: this.namespace,
        taskQueue: { name: this.taskQueue },
        taskQueueType: type,
        reportStats: true,
      });
      n += Number(r.stats?.approximateBacklogCount ?? 0);
    }
    return n;
  }

  /**
   * What a fault at `at` cost: the time until the journal grew past what it held then (progress resumed), and until
   * the backlog, once it had grown after the fault, was back to none (undefined: it never grew, or never drained).
   */
  lostTo(at: number): { resumedMs?: number; drainedMs?: number } {
    const before = [...this.samples].reverse().find((s) => s.at <= at && s.journal !== undefined)?.journal ?? 0;
    const after = this.samples.filter((s) => s.at > at);
    const resumed = after.find((s) => s.journal !== undefined && s.journal > before);
    const grew = after.findIndex((s) => (s.backlog ?? 0) > 0);
    const drained = grew >= 0 ? after.slice(grew).find((s) => s.backlog === 0) : undefined;
    return { resumedMs: resumed && resumed.at - at, drainedMs: drained && drained.at - at };
  }
}
