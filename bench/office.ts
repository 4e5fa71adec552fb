import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { setCalendar } from '../client/use-cases/calendar';
import { CaseActionError, registerAction, registerContact, registerReturnedLetter } from '../client/use-cases/case-actions';
import { printLetterBatch } from '../client/use-cases/letter-batches';
import { confirmMailing } from '../client/use-cases/mailings';
import { exportOutbox } from '../activities/sms-delivery';
import { parseCalendar } from '../domain/calendar-settings';
import type { Config } from '../schemas/config';
import type { CampaignCalendar } from '../schemas/calendar';
import type { OtStatusCode } from '../schemas/ot-codes';
import { withCalendarValue } from '../workflows/calendar';
import { UNREACHED_AFTER_LETTER_STAGES, type CaseStage } from '../workflows/youth-case/machine';
import { log } from './stack';

/**
 * The office a compressed school year needs, played by a script (bench/case-history.ts, bench/faults): it confirms
 * mailings when the read model shows them due, changes the calendar mid-year, and registers claims, returned letters,
 * replies and outcomes on a share of the cases, until every case has closed at the year end.
 */

/** Caseworkers acting at once: a busy office, without flooding a two-core server. */
const ACTION_CONCURRENCY = 16;

const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface OfficeStack {
  config: Config;
  pool: Pool;
  client: Client;
}

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
  act: (s: OfficeStack, caseId: string) => Promise<unknown>;
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
 * A connection the fault suite cut (pg_terminate_backend), a server that went away, or one out of connections for the
 * moment (53300, on a machine whose PostgreSQL many runs share): the office tries again.
 */
function interrupted(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    e.code === '57P01' ||
    e.code === '53300' ||
    e.code === 'ECONNRESET' ||
    /Connection terminated|terminating connection|server closed the connection|Client has encountered a connection error/i.test(e.message ?? '')
  );
}

export interface OfficeYear {
  schoolYear: number;
  calendar: CampaignCalendar;
  /** The moment of step 0, and the length of a step. */
  t0: number;
  stepMs: number;
  /** The steps of the calendar change (the winter campaign lengthened to `winterUntil`) and of the year end. */
  changeAt: number;
  winterUntil: number;
  yearEnd: number;
  /** How long after the year end the office waits for the last case to close. */
  graceMs: number;
  letterDir: string;
  /** The outbox provider's SMS are exported and confirmed by hand; the HTTP gateway's go by themselves. */
  smsByHand: boolean;
  /** Called as a mailing's confirmation begins (the fault suite cuts the database connections then). */
  onConfirm?: (kind: 'letters' | 'sms') => void;
}

export interface OfficeResult {
  tally: Map<string, number>;
  failures: string[];
  /** When the last case closed (ms since the epoch), or undefined when some stayed open. */
  closedAt?: number;
}

/** Plays the office through the year, from the claims before the first mailing until every case has closed. */
export async function playOffice(s: OfficeStack, year: OfficeYear): Promise<OfficeResult> {
  const { pool } = s;
  const { schoolYear, t0, stepMs } = year;
  const failures: string[] = [];
  const tally = new Map<string, number>();
  const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

  const readCases = async () =>
    (await pool.query<Row>('SELECT case_id, unit, os_code, stage, sms, flags FROM cases WHERE school_year = $1', [schoolYear])).rows;
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
        // The case did not answer in time (its worker far behind): the answer says so, and a caseworker asks again.
        if (err instanceof CaseActionError && err.kind === 'busy') {
          count(`${what} unanswered, asked again`);
        } else if (err instanceof CaseActionError) {
          // A refusal is the system answering a late or stale request, as it would a caseworker: noted, not a failure.
          count(`refused (${err.kind})`);
          done?.();
        } else if (interrupted(err)) {
          // Not done: the next round of the loop asks again, as a caseworker would.
          count(`${what} interrupted, asked again`);
        } else {
          failures.push(`${what} ${key}: ${(err as Error).message}`);
          done?.();
        }
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

  const changeAt = t0 + year.changeAt * stepMs;
  const yearEnd = t0 + year.yearEnd * stepMs;
  let changed = false;
  let lastLog = 0;
  let closedAt: number | undefined;
  for (;;) {
    let rows: Row[];
    try {
      rows = await readCases();
    } catch (err) {
      if (!interrupted(err)) throw err;
      await sleep(1000);
      continue;
    }
    if (rows.every((c) => c.stage === 'closed')) {
      closedAt = Date.now();
      break;
    }
    if (Date.now() > yearEnd + year.graceMs) {
      failures.push(`${rows.filter((c) => c.stage !== 'closed').length} cases still open ${year.graceMs / 1000} s after the year end`);
      break;
    }
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      const stages = new Map<string, number>();
      for (const c of rows) stages.set(c.stage, (stages.get(c.stage) ?? 0) + 1);
      log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s: ${[...stages].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    // Mid-year, after the autumn campaign: the winter campaign is lengthened, and every open case hears of it.
    if (!changed && Date.now() >= changeAt) {
      changed = true;
      const next = parseCalendar(withCalendarValue(year.calendar, 'phoneCampaigns.winter.until', iso(t0 + year.winterUntil * stepMs))!);
      launch(
        'calendar',
        'calendar change',
        async () => log(`  calendar changed: ${(await setCalendar(s, schoolYear, next)).told.signalled} cases told`),
        false,
      );
    }
    // The office confirms each unit's letters per OS code (and, with the outbox, each unit's SMS) once the read model shows them due.
    const mail = (kind: 'letters' | 'sms', unit: string, osCode?: string) =>
      launch(
        `${kind}-${unit}-${osCode ?? ''}`,
        `${kind} mailing`,
        async () => {
          // Letters are printed first; the SMS campaign runs by itself after the letters and fills the outbox, which is exported.
          if (kind === 'letters') await printLetterBatch(s, { schoolYear, unit, osCode: osCode!, by: 'Kari Kontor', outDir: year.letterDir });
          else await exportOutbox(s.pool, { schoolYear, unit });
          year.onConfirm?.(kind);
          const r = await confirmMailing(s, { kind, schoolYear, unit, osCode, sentOn: iso(Date.now()), by: 'Siri Systemansvarleg' });
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
    if (year.smsByHand)
      for (const unit of new Set(rows.filter((c) => c.sms === 'due' && UNREACHED_AFTER_LETTER_STAGES.includes(c.stage)).map((c) => c.unit)))
        mail('sms', unit);
    actOn(rows);
    await sleep(1000);
  }
  await Promise.all(tasks);
  return { tally, failures, closedAt };
}
