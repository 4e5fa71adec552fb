import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { parseCalendar } from '../../domain/calendar-settings';
import { generateTransfer, prng } from '../../domain/demo-cohort';
import { defaultAgeLimit } from '../../schemas/cohort-policy';
import { yearInSteps } from '../../domain/trial-calendar';
import { withCalendarValue } from '../../workflows/calendar';
import { playOffice } from '../office';
import { intArg, log } from '../stack';
import { checkYear } from './checks';
import { withFaultStack } from './cluster-stack';
import { cutDuringMailing, cutDuringSnapshot, FaultLog, killHistory, killWorkers, randomMoments } from './injectors';
import { ProgressMonitor } from './progress';
import { printReport } from './report';

/**
 * The fault suite: `npm run faults -- [--size 5000] [--step S] [--seed N]`. A demo cohort lives a compressed campaign
 * year on Temporal's own server (scripts/temporal-cluster.ts) with two worker processes, while bench/office.ts plays
 * the office and the faults strike: a worker killed with SIGKILL ten times (a new one started each time), a history
 * process killed twice and brought back, the application's database connections cut during a letters mailing's
 * confirmation and during a report snapshot, and an SMS gateway that fails 30% of sends and times out on 10%.
 * Then checks.ts counts what was lost, doubled or differs; the exit code is 1 if anything was.
 */

const SCHOOL_YEAR = 2100;
const WORKER_KILLS = 10;
const HISTORY_KILLS = 2;
const HISTORY_DOWN_MS = 20_000;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const size = intArg(argv, 'size', 5000);
  // A step long enough for a step's work to be done on a slow two-core machine before the next one comes.
  const stepMs = intArg(argv, 'step', Math.max(8, Math.ceil(size / 100))) * 1000;
  const seed = intArg(argv, 'seed', Date.now() % 1_000_000);
  const random = prng(seed);
  log(`fault suite: ${size} youth, step ${stepMs / 1000} s, seed ${seed}`);

  let failed = false;
  await withFaultStack({ workers: 2, gatewayFaults: { fail500: 0.3, timeout: 0.1, random }, smsTimeoutMs: 1000 }, async (s) => {
    const faults = new FaultLog();
    const monitor = new ProgressMonitor(s.config.databaseUrl, s.client, s.config.namespace, s.config.taskQueue);
    monitor.start();

    // The year: letters of the other codes at 4, the autumn campaign 7–10, the November report at 11, the calendar
    // changed at 12 (the winter campaign lengthened from 15 to 16), the February report at 17, June at 19, the end at 20.
    const steps = { otherLetters: 4, autumnCampaign: [7, 10] as [number, number], winterCampaign: [13, 15] as [number, number], schoolYearEnd: 20 };
    const reportSteps = { november: 11, february: 17, june: 19 } as const;
    const yearFrom = (t0: number) => {
      let calendar = yearInSteps(SCHOOL_YEAR, t0, stepMs, steps);
      for (const [report, step] of Object.entries(reportSteps))
        calendar = parseCalendar(withCalendarValue(calendar, `reports.${report}`, new Date(t0 + step * stepMs).toISOString())!);
      return calendar;
    };
    // Youth of 2100 born before 2040 (national ids end there): aged as a 2026 cohort is, plus the years between.
    const ageOffset = SCHOOL_YEAR - 2026;
    await s.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      SCHOOL_YEAR,
      defaultAgeLimit(2026) + ageOffset,
    ]);
    // The import's length is not known beforehand (minutes for 5,000 on a busy machine): the cases start on a year a day
    // off, and once all are in, the office switches the cohort to the compressed year from now, as `ot calendar set` does.
    const importedFrom = Date.now();
    await setCalendar(s, SCHOOL_YEAR, yearFrom(importedFrom + 86_400_000));
    const content = generateTransfer({ size, schoolYear: SCHOOL_YEAR, units: s.config.units, seed: 1, ageOffset });
    const summary = await (await submitImport(s, { fileName: 'faults.csv', content, schoolYear: SCHOOL_YEAR, strict: false })).result();
    log(`imported ${summary.created} cases from ${summary.rows} rows in ${((Date.now() - importedFrom) / 1000).toFixed(1)} s`);
    const t0 = Date.now() + stepMs;
    const calendar = yearFrom(t0);
    log(`the compressed year told to ${(await setCalendar(s, SCHOOL_YEAR, calendar)).told.signalled} cases`);

    // The faults, at random moments of the year (the history process between the mailings and the last report).
    const yearEnd = t0 + steps.schoolYearEnd * stepMs;
    const injecting = Promise.all([
      killWorkers(s, faults, randomMoments(WORKER_KILLS, Date.now(), yearEnd, random), random),
      killHistory(s, faults, randomMoments(HISTORY_KILLS, t0 + 2 * stepMs, t0 + 16 * stepMs, random), HISTORY_DOWN_MS, 'history-1'),
      cutDuringSnapshot(s, faults, t0 + reportSteps.february * stepMs, 3 * stepMs),
    ]);
    let mailingCut = false;
    const office = await playOffice(s, {
      schoolYear: SCHOOL_YEAR,
      calendar,
      t0,
      stepMs,
      changeAt: 12,
      winterUntil: 16,
      yearEnd: steps.schoolYearEnd,
      graceMs: Math.max(300_000, 10 * stepMs),
      letterDir: path.join(s.config.dataDir, 'letters'),
      smsByHand: false,
      onConfirm: (kind) => {
        // The first letters mailing the office confirms: cut while its workflow signals the cases.
        if (kind !== 'letters' || mailingCut) return;
        mailingCut = true;
        cutDuringMailing(s, faults, kind, 300);
      },
    });
    await injecting;
    const runSeconds = (Date.now() - t0) / 1000;
    // Let the last sends and projections settle before counting: every case closed, yet an SMS retry may still run.
    log('waiting for the mass operations to finish');
    const settleUntil = Date.now() + 120_000;
    for (;;) {
      let running = 0;
      for await (const w of s.client.workflow.list({ query: `ExecutionStatus = 'Running'` })) {
        void w;
        running++;
      }
      if (running === 0 || Date.now() > settleUntil) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    log('checking');
    const findings = await checkYear(s, SCHOOL_YEAR, summary.created);
    await monitor.stop();
    printReport({
      size,
      stepSeconds: stepMs / 1000,
      runSeconds,
      faults: faults.faults,
      gatewaySteps: s.gateway.stepsTaken(),
      monitor,
      findings,
      officeFailures: office.failures,
      office: office.tally,
    });
    failed = findings.lost.length + findings.doubled.length + findings.missing.length + findings.mismatches.length + findings.stuck.length > 0;
  });
  if (failed) process.exit(1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
