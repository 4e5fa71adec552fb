import { randomBytes } from 'node:crypto';
import { START_CONCURRENCY } from '../activities/cohort-import';
import { SIGNAL_CONCURRENCY } from '../activities/mass-operations';
import { setCalendar } from '../client/use-cases/calendar';
import { forEachConcurrently } from '../domain/concurrently';
import { withCalendarValue } from '../workflows/calendar';
import { BASELINE_QUEUE, startBaselineWorker, type BaselineWorker } from './baseline-worker';
import { pokeSignal } from './baseline-workflows';
import { calendarBroadcastWorkflowId } from '../workflows/contracts/mass-operations';
import { activityTimes, drained, f, printJson, printTable, seconds, waitFor } from './measure';
import { OTUK_YEAR, confirmUnit, countWhere, otukCohort } from './otuk-cohort';
import { benchArgs, log, withBenchStack, type BenchStack } from './stack';

/**
 * The mass operations: the letters of the largest unit confirmed (each of its cases signalled and recoded OTUK, the
 * read model showing it), and a calendar change told to every case of the cohort (broadcast, and each case's
 * workflow task to replan done: the task queue's backlog empty), per second, against raw signals to waiting
 * workflows that run one no-op activity each, as many at a time as the mass operations signal
 * (SIGNAL_CONCURRENCY), on the same server in the same run: `npm run bench:mass -- --size 30000 [--engine cluster]`.
 */
const MAX_UNIT = 5000;

/** `count` raw signals to waiting baseline workflows from `from`, until each has run its activity: milliseconds. */
async function rawSignals(stack: BenchStack, baseline: BaselineWorker, ids: string[], from: number, count: number): Promise<number> {
  const doneBefore = baseline.activitiesDone();
  const t = performance.now();
  await forEachConcurrently(count, SIGNAL_CONCURRENCY, async (i) => {
    await stack.client.workflow.getHandle(ids[from + i]).signal(pokeSignal);
  });
  if (!(await waitFor(() => baseline.activitiesDone() - doneBefore >= count, Math.max(300_000, count * 200), 50)))
    throw new Error('the baseline activities did not all run in time');
  return baseline.lastActivityAt() - t;
}

async function main(): Promise<void> {
  const { size, engine } = benchArgs(1000);
  await withBenchStack(engine, async (stack) => {
    const { config, client, connection } = stack;
    const baseline = await startBaselineWorker(connection, config);
    try {
      const cohort = await otukCohort(stack, size, { confirm: () => false });
      const [unit] = [...cohort.printed].sort((a, b) => b[1] - a[1])[0];
      const due = await countWhere(stack, `AND stage = 'letterDue' AND unit = $2`, [unit]);
      if (due > MAX_UNIT) log(`unit ${unit} has ${due} cases due a letter (more than ${MAX_UNIT}): all are recoded`);

      log(`mass recode: the letters of unit ${unit} confirmed (${due} cases due)`);
      let t = performance.now();
      const { signalled, workflowIds: mailings } = await confirmUnit(stack, unit);
      if (
        !(await waitFor(
          async () => (await countWhere(stack, `AND stage = 'letterDue' AND unit = $2`, [unit])) <= due - signalled,
          Math.max(300_000, size * 200),
          100,
        ))
      )
        throw new Error('the recode did not reach every case in time');
      const recodeMs = performance.now() - t;
      await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 100));

      log(`calendar change to all ${cohort.created} cases`);
      const winterEnds = new Date(Date.parse(cohort.calendar.phoneCampaigns.winter.until) + 86_400_000).toISOString();
      t = performance.now();
      const { told, version } = await setCalendar(stack, OTUK_YEAR, withCalendarValue(cohort.calendar, 'phoneCampaigns.winter.until', winterEnds)!);
      const broadcastMs = performance.now() - t;
      const replannedAt = await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 100));
      const calendarMs = (replannedAt ?? NaN) - t;

      const mailingPhases = (await Promise.all(mailings.map((id) => activityTimes(client, id)))).flat();
      const broadcastPhases = await activityTimes(client, calendarBroadcastWorkflowId(OTUK_YEAR, version));
      const total = signalled + told.signalled;
      log(`baseline: ${total} workflows waiting for a signal`);
      const run = randomBytes(3).toString('hex');
      const ids = Array.from({ length: total }, (_, i) => `bench-signal-${run}-${i}`);
      await forEachConcurrently(total, START_CONCURRENCY, async (i) => {
        await client.workflow.start('baselineSignalThenActivity', { workflowId: ids[i], taskQueue: BASELINE_QUEUE });
      });
      await waitFor(() => baseline.waiting() >= total, Math.max(300_000, size * 100));
      await drained(client, config.namespace, BASELINE_QUEUE, Math.max(300_000, size * 100));
      log(`baseline: ${signalled} raw signals, then ${told.signalled}`);
      const baseUnitMs = await rawSignals(stack, baseline, ids, 0, signalled);
      const baseAllMs = await rawSignals(stack, baseline, ids, signalled, told.signalled);

      const recodeRate = signalled / seconds(recodeMs);
      const calendarRate = told.signalled / seconds(calendarMs);
      const baseUnitRate = signalled / seconds(baseUnitMs);
      const baseAllRate = told.signalled / seconds(baseAllMs);
      printTable(`mass benchmark: N=${cohort.created} cases, unit ${unit} of ${signalled} recoded, engine ${engine} (goal: ratios ≥ 0.7)`, [
        { what: 'mass recode: confirm -> all OTUK (read model)', count: signalled, seconds: seconds(recodeMs), rate: recodeRate },
        { what: 'baseline: as many raw signals + activity', count: signalled, seconds: seconds(baseUnitMs), rate: baseUnitRate },
        { what: 'ratio recode / baseline (per second)', rate: recodeRate / baseUnitRate },
        {
          what: 'calendar change: broadcast done',
          count: told.signalled,
          seconds: seconds(broadcastMs),
          rate: told.signalled / seconds(broadcastMs),
        },
        { what: 'calendar change: all replanned (backlog)', count: told.signalled, seconds: seconds(calendarMs), rate: calendarRate },
        { what: 'baseline: as many raw signals + activity', count: told.signalled, seconds: seconds(baseAllMs), rate: baseAllRate },
        { what: 'ratio calendar / baseline (per second)', rate: calendarRate / baseAllRate },
      ]);
      console.log(`the mailings' activities: ${mailingPhases.map((p) => `${p.type} ×${p.count} ${f(p.seconds, 2)} s`).join(', ')}`);
      console.log(`the calendar broadcast's activities: ${broadcastPhases.map((p) => `${p.type} ×${p.count} ${f(p.seconds, 2)} s`).join(', ')}`);
      printJson({
        bench: 'mass',
        engine,
        n: cohort.created,
        unit,
        recoded: signalled,
        recodeSeconds: +f(seconds(recodeMs), 3),
        recodePerSecond: +f(recodeRate),
        baselineRecodePerSecond: +f(baseUnitRate),
        recodeRatio: +f(recodeRate / baseUnitRate, 3),
        calendarTold: told.signalled,
        calendarBroadcastSeconds: +f(seconds(broadcastMs), 3),
        calendarSeconds: +f(seconds(calendarMs), 3),
        calendarPerSecond: +f(calendarRate),
        baselineCalendarPerSecond: +f(baseAllRate),
        calendarRatio: +f(calendarRate / baseAllRate, 3),
        broadcastActivities: broadcastPhases,
        mailingActivities: mailingPhases,
        goal: '>= 0.7',
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
