import { randomBytes } from 'node:crypto';
import { START_CONCURRENCY } from '../activities/cohort-import';
import { setCalendar } from '../client/use-cases/calendar';
import { forEachConcurrently } from '../domain/concurrently';
import { withCalendarValue } from '../workflows/calendar';
import { BASELINE_QUEUE, startBaselineWorker } from './baseline-worker';
import { drained, f, printJson, printTable, seconds, sleepMs, waitFor } from './measure';
import { OTUK_YEAR, otukCohort } from './otuk-cohort';
import { benchArgs, log, withBenchStack } from './stack';

/**
 * The herd: the autumn phone campaign opening for every OTUK case of the cohort at one moment, until every one is
 * on a call list (the read model's `call_list`, written in the transaction that records the case entering the
 * campaign), against as many workflows whose timers fire at one moment and run one no-op activity each, on the
 * same server in the same run: `npm run bench:herd -- --size 30000 [--engine cluster]`.
 */
const iso = (ms: number) => new Date(ms).toISOString();

async function main(): Promise<void> {
  const { size, engine } = benchArgs(1000);
  await withBenchStack(engine, async (stack) => {
    const { config, pool, client, connection } = stack;
    const baseline = await startBaselineWorker(connection, config);
    try {
      const cohort = await otukCohort(stack, size, { confirm: () => true });
      const n = cohort.otuk;
      log(`${n} OTUK cases of ${cohort.created}`);

      // The campaign moves to a moment far enough ahead that every case has replanned before it: the calendar
      // broadcast is timed once with a harmless change (the winter campaign a day later), then given twice that.
      let t = performance.now();
      const winterEnds = iso(Date.parse(cohort.calendar.phoneCampaigns.winter.until) + 86_400_000);
      let calendar = (await setCalendar(stack, OTUK_YEAR, withCalendarValue(cohort.calendar, 'phoneCampaigns.winter.until', winterEnds)!)).calendar;
      await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 100));
      const broadcastMs = performance.now() - t;
      const opensAt = Math.ceil((Date.now() + 2 * broadcastMs + 10_000) / 1000) * 1000;
      log(`a calendar change took ${f(seconds(broadcastMs))} s; the autumn campaign opens at ${iso(opensAt)}`);
      calendar = withCalendarValue(calendar, 'phoneCampaigns.autumn.from', iso(opensAt))!;
      await setCalendar(stack, OTUK_YEAR, calendar);
      await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 100));
      const replannedEarly = Date.now() < opensAt;
      if (!replannedEarly) log('WARNING: the cases replanned after the campaign opened: the herd figure is not one moment');
      await sleepMs(Math.max(0, opensAt - Date.now()));
      const onList = async () =>
        Number((await pool.query(`SELECT count(*)::int AS n FROM call_list WHERE school_year = $1 AND campaign = 'autumn'`, [OTUK_YEAR])).rows[0].n);
      let listed = 0;
      const ok = await waitFor(async () => (listed = await onList()) >= n, Math.max(300_000, size * 200), 100);
      const herdMs = Date.now() - opensAt;
      if (!ok) log(`WARNING: only ${listed} of ${n} on a call list in time`);

      log(`baseline: ${n} timers firing at one moment, one no-op activity each`);
      const run = randomBytes(3).toString('hex');
      const firesAt = Math.ceil((Date.now() + 10_000 + n * 20) / 1000) * 1000;
      t = performance.now();
      await forEachConcurrently(n, START_CONCURRENCY, async (i) => {
        await client.workflow.start('baselineTimerThenActivity', {
          workflowId: `bench-herd-${run}-${i}`,
          taskQueue: BASELINE_QUEUE,
          args: [firesAt],
        });
      });
      const startsMs = performance.now() - t;
      await drained(client, config.namespace, BASELINE_QUEUE, Math.max(300_000, size * 100));
      const startedEarly = Date.now() < firesAt;
      if (!startedEarly) log('WARNING: the baseline was still starting when its timers fired');
      await sleepMs(Math.max(0, firesAt - Date.now()));
      const baseOk = await waitFor(() => baseline.activitiesDone() >= n, Math.max(300_000, size * 200), 100);
      const baseMs = Date.now() - firesAt;
      if (!baseOk) log(`WARNING: only ${baseline.activitiesDone()} of ${n} baseline activities in time`);

      const rate = n / seconds(herdMs);
      const baseRate = n / seconds(baseMs);
      printTable(`herd benchmark: N=${n} OTUK cases (of ${cohort.created}), engine ${engine} (goal: ratio ≥ 0.7)`, [
        {
          what: 'calendar change to all (broadcast + replan)',
          count: cohort.created,
          seconds: seconds(broadcastMs),
          rate: cohort.created / seconds(broadcastMs),
        },
        { what: 'campaign opens -> all on a call list', count: `${listed}`, seconds: seconds(herdMs), rate },
        { what: 'baseline: starts', count: n, seconds: seconds(startsMs), rate: n / seconds(startsMs) },
        { what: 'baseline: timers fire -> all activities done', count: baseline.activitiesDone(), seconds: seconds(baseMs), rate: baseRate },
        { what: 'ratio herd / baseline (per second)', rate: rate / baseRate },
      ]);
      printJson({
        bench: 'herd',
        engine,
        n,
        cases: cohort.created,
        listed,
        herdSeconds: +f(seconds(herdMs), 3),
        casesPerSecond: +f(rate),
        baselineSeconds: +f(seconds(baseMs), 3),
        baselinePerSecond: +f(baseRate),
        ratio: +f(rate / baseRate, 3),
        oneMoment: replannedEarly && startedEarly,
        calendarChangeSeconds: +f(seconds(broadcastMs), 3),
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
