import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { setCalendar } from '../client/use-cases/calendar';
import { submitImport } from '../client/use-cases/cohort-import';
import { forEachConcurrently } from '../domain/concurrently';
import { generateTransfer } from '../domain/demo-cohort';
import { yearInSteps } from '../domain/trial-calendar';
import type { CaseState } from '../workflows/youth-case/view';
import { journalOf } from '../db/case-journal';
import { engineArg, intArg, log, withBenchStack, type BenchStack } from './stack';
import { playOffice } from './office';
import { youthCaseWorkflowId } from '../workflows/contracts/youth-case';

/**
 * How many Temporal history events a youth case uses over a whole school year, against the aim of
 * under 200 per case: `npm run bench:case-history -- --size 60 [--step 3]`. A demo cohort lives a
 * compressed year (one calendar step every `--step` seconds, about a minute in all) while this
 * script plays the office: it confirms mailings when they are due, changes the calendar mid-year,
 * and registers claims, returned letters, replies and outcomes on a share of the cases.
 */

const SCHOOL_YEAR = 2026;
const AIM = 200;
const { EventType } = temporal.api.enums.v1;

/**
 * Events of every run of a case's workflow. A case that continued as new has its history split over
 * runs, each started from the one before: walk back from the latest and add them all up.
 */
async function historyOf(s: BenchStack, workflowId: string): Promise<{ events: number; continuedAsNew: number }> {
  let events = 0;
  let continuedAsNew = 0;
  let runId: string | undefined;
  do {
    const list = (await s.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    events += list.length;
    continuedAsNew += list.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW).length;
    runId = list[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return { events, continuedAsNew };
}

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return {
    n,
    mean: s.reduce((a, b) => a + b, 0) / n,
    median: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2,
    p95: s[Math.ceil(0.95 * n) - 1],
    min: s[0],
    max: s[n - 1],
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const size = intArg(argv, 'size', 60);
  const stepMs = intArg(argv, 'step', 3) * 1000;
  const began = performance.now();

  await withBenchStack(engineArg(argv), async (s) => {
    const { pool, client, config } = s;
    const letterDir = path.join(config.dataDir, 'letters');
    const failures: string[] = [];

    // August: the calendar first, so the cases start on it; then the import.
    const t0 = Date.now();
    // 1 January between the campaigns: the demo cohort's youth at the age limit leave the target group then (stage agedOut).
    const calendar = yearInSteps(SCHOOL_YEAR, t0, stepMs, {
      otherLetters: 4,
      autumnCampaign: [7, 10],
      winterCampaign: [13, 15],
      ageOut: 12,
      schoolYearEnd: 18,
    });
    await setCalendar(s, SCHOOL_YEAR, calendar);
    const content = generateTransfer({ size, schoolYear: SCHOOL_YEAR, units: config.units, seed: 1 });
    const summary = await (await submitImport(s, { fileName: 'bench.csv', content, schoolYear: SCHOOL_YEAR, strict: false })).result();
    log(
      `imported ${summary.created} cases from ${summary.rows} rows (${summary.rejected.length} rejected) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );

    const caseIds = (await pool.query<{ case_id: string }>('SELECT case_id FROM cases WHERE school_year = $1', [SCHOOL_YEAR])).rows
      .map((r) => r.case_id)
      .sort();
    const office = await playOffice(s, {
      schoolYear: SCHOOL_YEAR,
      calendar,
      t0,
      stepMs,
      changeAt: 11,
      winterUntil: 16,
      yearEnd: 18,
      graceMs: 120_000,
      letterDir,
      smsByHand: true,
    });
    failures.push(...office.failures);
    const tally = office.tally;
    const runSeconds = (Date.now() - t0) / 1000;

    // Every case has closed: its history is complete. Group by where the year end found it.
    log(`fetching ${caseIds.length} histories`);
    const cases: { stage: string; status: string; events: number; continuedAsNew: number }[] = [];
    await forEachConcurrently(caseIds.length, 16, async (i) => {
      const workflowId = youthCaseWorkflowId(SCHOOL_YEAR, caseIds[i]);
      try {
        const detail: CaseState = await client.workflow.getHandle(workflowId).result();
        // The result carries no journal: the read model has it.
        const ended = [...(await journalOf(s.pool, caseIds[i]))].reverse().find((e) => e.event === 'SCHOOL_YEAR_ENDED');
        cases.push({ stage: ended?.from.stage ?? detail.stage, status: detail.otStatus, ...(await historyOf(s, workflowId)) });
      } catch (err) {
        failures.push(`${workflowId}: ${(err as Error).message}`);
        cases.push({ stage: 'FAILED', status: '', ...(await historyOf(s, workflowId).catch(() => ({ events: 0, continuedAsNew: 0 }))) });
      }
    });

    const groups = new Map<string, typeof cases>();
    for (const c of cases) groups.set(c.stage, [...(groups.get(c.stage) ?? []), c]);
    const all = stats(cases.map((c) => c.events));
    // On a tie, name a case that only waits for the year end, as the floor is meant to be.
    const waitsOnly = (c: (typeof cases)[number]) => c.stage === 'feil' || c.stage === 'notInTargetGroup';
    const cheapest = cases.reduce((a, b) => (b.events < a.events || (b.events === a.events && waitsOnly(b) && !waitsOnly(a)) ? b : a));
    const over = cases.filter((c) => c.events > AIM).length;
    const continued = cases.filter((c) => c.continuedAsNew > 0).length;

    // One line per group; the baselines below it in the same columns, so each figure sits beside its yardstick.
    const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
    const line = (what: string, statuses: string, cells: (number | string)[]) =>
      `${what.padEnd(24)}${(statuses.length > 29 ? `${statuses.slice(0, 26)}...` : statuses).padEnd(30)}` +
      cells.map((c, i) => (typeof c === 'number' ? f(c) : c).padStart(i === 0 ? 6 : 8)).join('');
    const statRow = (what: string, statuses: string, st: ReturnType<typeof stats>) =>
      line(what, statuses, [st.n, st.mean, st.median, st.p95, st.max]);
    const cpus = os.cpus();
    console.log('');
    console.log(`case-history benchmark: ${summary.rows} rows, ${cases.length} cases, school year ${SCHOOL_YEAR}, step ${stepMs / 1000} s`);
    console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}`);
    console.log('history events per case, by the stage the year end found it in');
    console.log(line('stage at year end', 'final status', ['cases', 'mean', 'median', 'p95', 'max']));
    for (const [stage, cs] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(statRow(stage, [...new Set(cs.map((c) => c.status))].sort().join(','), stats(cs.map((c) => c.events))));
    }
    console.log(statRow('all cases', '', all));
    console.log(line('aim', '', ['', AIM, AIM, AIM, AIM]));
    console.log(statRow('floor: cheapest case', `${cheapest.stage} ${cheapest.status}`, stats([cheapest.events])));
    console.log(
      `cases over ${AIM} events: ${over} of ${cases.length}; continued-as-new: ${continued ? `${continued} cases (all runs counted)` : 'none'}`,
    );
    console.log(
      `office actions: ${[...tally]
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    console.log(`run: ${((performance.now() - began) / 1000).toFixed(0)} s in all; import to last case closed ${runSeconds.toFixed(0)} s`);
    console.log(
      JSON.stringify({
        bench: 'case-history',
        rows: summary.rows,
        cases: cases.length,
        stepSeconds: stepMs / 1000,
        aim: AIM,
        floor: cheapest.events,
        mean: +all.mean.toFixed(1),
        median: all.median,
        p95: all.p95,
        max: all.max,
        overAim: over,
        continuedAsNew: continued,
        byStage: Object.fromEntries([...groups].map(([k, cs]) => [k, stats(cs.map((c) => c.events))])),
      }),
    );
    if (failures.length) throw new Error(`${failures.length} failures:\n${failures.slice(0, 20).join('\n')}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
