import { randomBytes } from 'node:crypto';
import { START_CONCURRENCY } from '../activities/cohort-import';
import { submitImport } from '../client/use-cases/cohort-import';
import { forEachConcurrently } from '../domain/concurrently';
import { generateTransfer } from '../domain/demo-cohort';
import { BASELINE_QUEUE, startBaselineWorker } from './baseline-worker';
import { youthCaseWorkflowId } from '../workflows/contracts/youth-case';
import { drained, f, lastFirstTimer, printJson, printTable, seconds } from './measure';
import { benchArgs, log, withBenchStack } from './stack';

/**
 * How long a cohort import takes to settle (from submitting the file until every case waits at its first
 * deadline), against N workflows that start and wait on a timer, on the same server in the same run:
 * `npm run bench:settle -- --size 30000 [--engine cluster]`.
 *
 * When a case waits: the read model cannot tell, since the import stages each case's first state (seq 0) before
 * its workflow runs, and a case that waits projects nothing more; the task queue's backlog is approximate and leaves
 * out the tasks in flight. So both sides are measured the same way, from each workflow's own history: the moment
 * its first timer started (its first workflow task completed), the last of them ending the settle. The backlog
 * (seen empty twice running) only says when to read the histories. The school year is 2027, whose washing
 * deadlines are months away, so each case's first workflow task ends on its timer, like the baseline's.
 */
const SCHOOL_YEAR = 2027;
const FAR = 30 * 86_400_000;

async function main(): Promise<void> {
  const { size, engine } = benchArgs(1000);
  await withBenchStack(engine, async ({ config, pool, client, connection }) => {
    const baseline = await startBaselineWorker(connection, config);
    try {
      const content = generateTransfer({ size, schoolYear: SCHOOL_YEAR, units: config.units, seed: 1 });
      log(`importing ${size} rows (school year ${SCHOOL_YEAR})`);
      const t0 = performance.now();
      const wall0 = Date.now();
      const handle = await submitImport({ pool, client, config }, { fileName: 'bench.csv', content, schoolYear: SCHOOL_YEAR, strict: false });
      const summary = await handle.result();
      const importMs = performance.now() - t0;
      log(`imported ${summary.created} cases in ${f(seconds(importMs), 1)} s; waiting for the worker to settle them`);
      const settledAt = await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 200));
      if (settledAt === undefined) throw new Error('the cases did not settle in time');
      const drainMs = settledAt - t0;
      log('reading when each case first waited, from its history');
      const cases = await pool.query<{ case_id: string }>('SELECT case_id FROM cases WHERE school_year = $1', [SCHOOL_YEAR]);
      const caseIds = cases.rows.map((r) => youthCaseWorkflowId(SCHOOL_YEAR, r.case_id));
      const settled = await lastFirstTimer(client, caseIds, 60_000);
      const settleMs = settled.at - wall0;

      log(`baseline: ${summary.created} workflows that start and wait on a timer, ${START_CONCURRENCY} starts at a time`);
      const run = randomBytes(3).toString('hex');
      const ids = Array.from({ length: summary.created }, (_, i) => `bench-timer-${run}-${i}`);
      const b0 = performance.now();
      const bwall0 = Date.now();
      await forEachConcurrently(ids.length, START_CONCURRENCY, async (i) => {
        await client.workflow.start('baselineTimer', { workflowId: ids[i], taskQueue: BASELINE_QUEUE, args: [Date.now() + FAR] });
      });
      const startedMs = performance.now() - b0;
      const baseSettledAt = await drained(client, config.namespace, BASELINE_QUEUE, Math.max(300_000, size * 200));
      if (baseSettledAt === undefined) throw new Error('the baseline did not settle in time');
      const baseDrainMs = baseSettledAt - b0;
      const baseSettled = await lastFirstTimer(client, ids, 60_000);
      const baseMs = baseSettled.at - bwall0;
      const waiting = baseline.waiting();
      if (settled.missing || baseSettled.missing) log(`never waited on a timer: ${settled.missing} cases, ${baseSettled.missing} baseline workflows`);

      const n = summary.created;
      const ratio = settleMs / baseMs;
      printTable(`settle benchmark: N=${n} cases, engine ${engine}, school year ${SCHOOL_YEAR} (goal: ratio ≤ 1.5)`, [
        { what: 'import: submit -> result', count: n, seconds: seconds(importMs), rate: n / seconds(importMs) },
        { what: 'settle: submit -> last case waits', count: n, seconds: seconds(settleMs), rate: n / seconds(settleMs) },
        { what: '  (submit -> task backlog seen empty)', count: n, seconds: seconds(drainMs) },
        { what: 'baseline: starts done', count: n, seconds: seconds(startedMs), rate: n / seconds(startedMs) },
        { what: 'baseline: first start -> last waits', count: n, seconds: seconds(baseMs), rate: n / seconds(baseMs) },
        { what: '  (first start -> task backlog seen empty)', count: n, seconds: seconds(baseDrainMs) },
        { what: 'ratio settle / baseline (time)', rate: ratio },
        { what: 'ratio settle / import (time)', rate: settleMs / importMs },
      ]);
      console.log(`baseline workflows seen waiting by the worker: ${waiting} of ${n}`);
      printJson({
        bench: 'settle',
        engine,
        n,
        schoolYear: SCHOOL_YEAR,
        importSeconds: +f(seconds(importMs), 3),
        settleSeconds: +f(seconds(settleMs), 3),
        settleBacklogEmptySeconds: +f(seconds(drainMs), 3),
        baselineStartSeconds: +f(seconds(startedMs), 3),
        baselineSettleSeconds: +f(seconds(baseMs), 3),
        baselineBacklogEmptySeconds: +f(seconds(baseDrainMs), 3),
        baselineWaiting: waiting,
        casesNeverOnATimer: settled.missing,
        baselineNeverOnATimer: baseSettled.missing,
        ratio: +f(ratio, 3),
        settleOverImport: +f(settleMs / importMs, 3),
        goal: '<= 1.5',
      });
    } finally {
      await baseline.stop();
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
