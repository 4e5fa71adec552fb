import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { setCalendar } from '../client/use-cases/calendar';
import { CaseActionError, registerAction, registerContact, registerReturnedLetter } from '../client/use-cases/case-actions';
import { submitImport } from '../client/use-cases/cohort-import';
import { printLetterBatch } from '../client/use-cases/letter-batches';
import { confirmMailing } from '../client/use-cases/mailings';
import { exportOutbox } from '../activities/sms-delivery';
import { forEachConcurrently } from '../domain/concurrently';
import { generateTransfer } from '../domain/demo-cohort';
import { parseCalendar } from '../domain/calendar-settings';
import type { OtStatusCode } from '../schemas/ot-codes';
import { yearInSteps } from '../domain/trial-calendar';
import { withCalendarValue } from '../workflows/calendar';
import { UNREACHED_AFTER_LETTER_STAGES, type CaseStage } from '../workflows/youth-case/machine';
import type { CaseState } from '../workflows/youth-case/view';
import { journalOf } from '../db/case-journal';
import { engineArg, intArg, log, withBenchStack, type BenchStack } from './stack';
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
/** Caseworkers acting at once: a busy office, without flooding a two-core dev server. */
const ACTION_CONCURRENCY = 16;
const { EventType } = temporal.api.enums.v1;

const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Row {
  case_id: string;
  unit: string;
  os_code: string;
  stage: CaseStage;
  sms: string;
  flags: string[];
}

/** One thing the office does to a case, once the read model shows the case ready for it. */
interface Step {
  name: string;
  when: (c: Row) => boolean;
  act: (s: BenchStack, caseId: string) => Promise<unknown>;
}

const by = 'Kari Kontor';
const OUTCOMES: OtStatusCode[] = ['OTAR', 'OTOV', 'OTEV', 'OTLL'];
const reply: Step = {
  name: 'reply',
  when: (c) => c.stage === 'phoneCampaign',
  act: (s, id) => registerAction(s.pool, s.client, id, { type: 'REPLY', channel: 'phone', forwardTo: 'Nils Rådgjevar', by }),
};
const outcome: Step = {
  name: 'outcome',
  when: (c) => c.stage === 'contactEstablished',
  act: (s, id) =>
    registerAction(s.pool, s.client, id, {
      type: 'OUTCOME',
      status: OUTCOMES[parseInt(id.slice(6, 10), 16) % OUTCOMES.length],
      channel: 'phone',
      by: 'Nils Rådgjevar',
    }),
};
const returned: Step = {
  name: 'returned letter',
  when: (c) => UNREACHED_AFTER_LETTER_STAGES.includes(c.stage) && !c.flags.includes('letterReturned'),
  act: (s, id) => registerReturnedLetter(s.pool, s.client, id, { by }),
};
/** A return with no other address known leaves the case waiting for one; NAV finds it. */
const address: Step = {
  name: 'new address',
  when: (c) => c.flags.includes('needsAddress') && c.flags.includes('letterReturned'),
  act: (s, id) =>
    registerContact(
      s.pool,
      s.client,
      id,
      { kind: 'address', address: { street: 'Fjøsanger 9', postcode: '5063', city: 'Bergen' } },
      { source: 'nav', by },
    ),
};
const claim: Step = {
  name: 'claim',
  when: (c) => c.stage === 'awaitingLetter' || c.stage === 'letterDue' || c.stage === 'needsAddress',
  act: (s, id) => registerAction(s.pool, s.client, id, { type: 'CLAIM', status: 'OTOV', caseworker: 'Nils Rådgjevar', by: 'Nils Rådgjevar' }),
};

/**
 * The share of cases each kind of handling gets, dealt by a case's place among the sorted case ids:
 * the ids are keyed hashes, so the deal is random, yet the shares are the same in every run. Some five
 * in six cases get the letter and go OTUK; of those about a third are reached (8 in 30 of all cases),
 * about one in eight has its letter returned, and a few of all are claimed first. Plans only fire in
 * the stages their steps name, so a washed or Feil case simply waits for the year end.
 */
function planOf(place: number): Step[] {
  const roll = place % 30;
  if (roll < 8) return [reply, outcome];
  if (roll < 11) return [returned, address];
  if (roll >= 28) return [claim];
  return [];
}

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
    const tally = new Map<string, number>();
    const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

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

    const readCases = async () =>
      (await pool.query<Row>('SELECT case_id, unit, os_code, stage, sms, flags FROM cases WHERE school_year = $1', [SCHOOL_YEAR])).rows;
    const caseIds = (await readCases()).map((r) => r.case_id).sort();
    const plans = new Map(caseIds.map((id, i) => [id, planOf(i)]));

    // Work runs in the background while the year goes on, one piece per key at a time.
    const inFlight = new Set<string>();
    const tasks: Promise<void>[] = [];
    let active = 0;
    const waiting: (() => void)[] = [];
    const launch = (key: string, what: string, work: () => Promise<unknown>, limited: boolean, done?: () => void) => {
      if (inFlight.has(key)) return;
      inFlight.add(key);
      const run = async () => {
        if (limited) {
          while (active >= ACTION_CONCURRENCY) await new Promise<void>((r) => waiting.push(r));
          active++;
        }
        try {
          const result = await work();
          count(typeof result === 'string' ? result : what);
          done?.();
        } catch (err) {
          // A refusal is the system answering a late or stale request, as it would a caseworker: noted, not a failure.
          if (err instanceof CaseActionError) count(`refused (${err.kind})`);
          else failures.push(`${what} ${key}: ${(err as Error).message}`);
          done?.();
        } finally {
          if (limited) {
            active--;
            waiting.shift()?.();
          }
          inFlight.delete(key);
        }
      };
      tasks.push(run());
    };

    // Claims come before any letter goes, so they are made before the first mailing is confirmed.
    const progress = new Map<string, number>();
    const actOn = (rows: Row[]) => {
      for (const c of rows) {
        const i = progress.get(c.case_id) ?? 0;
        const step = plans.get(c.case_id)?.[i];
        if (step && c.stage !== 'closed' && step.when(c)) {
          launch(
            c.case_id,
            step.name,
            () => step.act(s, c.case_id),
            true,
            () => progress.set(c.case_id, i + 1),
          );
        }
      }
    };
    actOn((await readCases()).filter((c) => plans.get(c.case_id)?.[0] === claim));
    await Promise.all(tasks);

    const changeAt = t0 + 11 * stepMs;
    const yearEnd = t0 + 18 * stepMs;
    let changed = false;
    let lastLog = 0;
    for (;;) {
      const rows = await readCases();
      if (rows.every((c) => c.stage === 'closed')) break;
      if (Date.now() > yearEnd + 120_000) {
        failures.push(`${rows.filter((c) => c.stage !== 'closed').length} cases still open two minutes after the year end`);
        break;
      }
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        const stages = new Map<string, number>();
        for (const c of rows) stages.set(c.stage, (stages.get(c.stage) ?? 0) + 1);
        log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${[...stages].map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }
      // Mid-year, after the autumn campaign: the winter campaign is lengthened a step, and every open case hears of it.
      if (!changed && Date.now() >= changeAt) {
        changed = true;
        const next = parseCalendar(withCalendarValue(calendar, 'phoneCampaigns.winter.until', iso(t0 + 16 * stepMs))!);
        launch(
          'calendar',
          'calendar change',
          async () => log(`  calendar changed: ${(await setCalendar(s, SCHOOL_YEAR, next)).told.signalled} cases told`),
          false,
        );
      }
      // The office confirms each unit's letters per OS code, and each unit's SMS, once the read model shows them due.
      const mail = (kind: 'letters' | 'sms', unit: string, osCode?: string) =>
        launch(
          `${kind}-${unit}-${osCode ?? ''}`,
          `${kind} mailing`,
          async () => {
            // Letters are printed first; the SMS campaign runs by itself after the letters and fills the outbox, which is exported.
            if (kind === 'letters')
              await printLetterBatch(s, { schoolYear: SCHOOL_YEAR, unit, osCode: osCode!, by: 'Kari Kontor', outDir: letterDir });
            else await exportOutbox(s.pool, { schoolYear: SCHOOL_YEAR, unit });
            const r = await confirmMailing(s, { kind, schoolYear: SCHOOL_YEAR, unit, osCode, sentOn: iso(Date.now()), by: 'Siri Systemansvarleg' });
            // The read model lags the cases a little, so a unit may be confirmed again before it shows the last mailing: that one is empty.
            return r.signalled > 0 ? `${kind} mailing` : `${kind} mailing (nobody new)`;
          },
          false,
        );
      for (const key of new Set(rows.filter((c) => c.stage === 'letterDue').map((c) => `${c.unit}|${c.os_code}`))) {
        const [unit, osCode] = key.split('|');
        mail('letters', unit, osCode);
      }
      // Only the still unknown: a case reached while its SMS was due keeps sms 'due' in the read model for good.
      for (const unit of new Set(rows.filter((c) => c.sms === 'due' && UNREACHED_AFTER_LETTER_STAGES.includes(c.stage)).map((c) => c.unit)))
        mail('sms', unit);
      actOn(rows);
      await sleep(1000);
    }
    await Promise.all(tasks);
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
