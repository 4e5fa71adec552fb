import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { temporal } from '@temporalio/proto';
import { START_CONCURRENCY } from '../activities/cohort-import';
import { submitImport } from '../client/use-cases/cohort-import';
import { forEachConcurrently } from '../domain/concurrently';
import { generateTransfer } from '../domain/demo-cohort';
import { benchArgs, log, withBenchStack } from './stack';
import { importProgressQuery } from '../workflows/contracts/cohort-import';

/**
 * How fast a cohort import starts its case workflows, against how fast the same dev server starts
 * workflows at all: `npm run bench:cohort-start -- --size 30000 [--engine cluster]`. Brings up and tears down its
 * own Temporal server (bench/stack.ts) and PostgreSQL database.
 */

const SCHOOL_YEAR = 2026;
/** The baseline starts as many at a time as the import does. */
const CONCURRENCY = START_CONCURRENCY;

const seconds = (ms: number) => ms / 1000;

function tsMs(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(String(ts?.seconds ?? 0)) * 1000 + (ts?.nanos ?? 0) / 1e6;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main(): Promise<void> {
  const { size, engine } = benchArgs(1000);
  await withBenchStack(engine, async ({ config, pool, client }) => {
    let t = performance.now();
    const content = generateTransfer({ size, schoolYear: SCHOOL_YEAR, units: config.units, seed: 1 });
    const generateMs = performance.now() - t;
    log(`generated ${size} rows in ${generateMs.toFixed(0)} ms; importing`);

    // The import: upload, stage, and start one case workflow per accepted row.
    t = performance.now();
    const handle = await submitImport({ pool, client, config }, { fileName: 'bench.csv', content, schoolYear: SCHOOL_YEAR, strict: false });
    const ticker = setInterval(() => {
      handle.query(importProgressQuery).then(
        (p) => log(`  ${p.phase} ${p.started}/${p.toStart} after ${seconds(performance.now() - t).toFixed(0)} s`),
        () => undefined,
      );
    }, 5000);
    const summary = await handle.result().finally(() => clearInterval(ticker));
    const importMs = performance.now() - t;
    const started = summary.created + summary.existing;

    // Staging against starting, from the import workflow's own history: its first completed activity is stageImport.
    const events = (await handle.fetchHistory()).events ?? [];
    const begun = tsMs(events[0]?.eventTime);
    const staged = tsMs(events.find((e) => e.activityTaskCompletedEventAttributes)?.eventTime);
    const ended = tsMs(events[events.length - 1]?.eventTime);
    const stagingMs = staged - begun;
    const startingMs = ended - staged;

    // Let the worker finish the cases' first workflow tasks, so the baseline does not share the server with them.
    log('waiting for the task queue backlog to drain');
    const backlog = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
      const r = await client.workflowService.describeTaskQueue({
        namespace: config.namespace,
        taskQueue: { name: config.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
        reportStats: true,
      });
      return Number(r.stats?.approximateBacklogCount ?? 0);
    };
    const drained = await waitFor(
      async () =>
        (await backlog(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)) === 0 &&
        (await backlog(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) === 0,
      Math.max(120_000, size * 100),
    );
    const drainedMs = performance.now() - t;

    // The baseline: the same number of starts, as concurrent, of a workflow no worker polls for.
    log(`baseline: ${size} no-op starts, ${CONCURRENCY} at a time`);
    const run = randomBytes(3).toString('hex');
    t = performance.now();
    await forEachConcurrently(size, CONCURRENCY, async (i) => {
      await client.workflow.start('benchNoop', { workflowId: `bench-noop-${run}-${i}`, taskQueue: 'bench-noop' });
    });
    const baselineMs = performance.now() - t;

    const importRate = summary.created / seconds(importMs);
    const startingRate = started / seconds(startingMs);
    const baselineRate = size / seconds(baselineMs);
    const cpus = os.cpus();
    const machine = `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform} ${process.arch}`;
    const row = (what: string, count: number | string, secs: number | string, rate: number | string) =>
      `${what.padEnd(34)}${String(count).padStart(8)}${String(secs).padStart(10)}${String(rate).padStart(12)}`;
    const f = (n: number, d = 1) => n.toFixed(d);
    console.log('');
    console.log(`cohort-start benchmark: N=${size}, engine ${engine}, school year ${SCHOOL_YEAR}, ${CONCURRENCY} concurrent starts`);
    console.log(`machine: ${machine}`);
    console.log(row('', 'count', 'seconds', 'per second'));
    console.log(row('import: submit -> result (created)', summary.created, f(seconds(importMs), 2), f(importRate)));
    console.log(row('  staging (read + store)', summary.rows, f(seconds(stagingMs), 2), f(summary.rows / seconds(stagingMs))));
    console.log(row('  starting case workflows', started, f(seconds(startingMs), 2), f(startingRate)));
    console.log(row('baseline: no-op starts', size, f(seconds(baselineMs), 2), f(baselineRate)));
    console.log(row('ratio import / baseline', '', '', f(importRate / baselineRate, 2)));
    console.log(row('ratio starting / baseline', '', '', f(startingRate / baselineRate, 2)));
    console.log(row(`worker idle again${drained ? '' : ' (TIMED OUT)'}`, summary.created, f(seconds(drainedMs), 2), ''));
    console.log(
      `rows ${summary.rows}, created ${summary.created}, rejected ${summary.rejected.length}, outside target group ${summary.outsideTargetGroup.length}, generate ${f(generateMs, 0)} ms`,
    );
    console.log(
      JSON.stringify({
        bench: 'cohort-start',
        engine,
        n: size,
        rows: summary.rows,
        created: summary.created,
        rejected: summary.rejected.length,
        importSeconds: +f(seconds(importMs), 3),
        casesPerSecond: +f(importRate),
        stagingSeconds: +f(seconds(stagingMs), 3),
        startingSeconds: +f(seconds(startingMs), 3),
        startsPerSecondWhileStarting: +f(startingRate),
        baselineSeconds: +f(seconds(baselineMs), 3),
        baselineStartsPerSecond: +f(baselineRate),
        ratio: +f(importRate / baselineRate, 3),
        startingRatio: +f(startingRate / baselineRate, 3),
        idleSeconds: drained ? +f(seconds(drainedMs), 3) : null,
        cores: cpus.length,
        cpu: cpus[0]?.model.trim(),
        node: process.version,
      }),
    );
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
