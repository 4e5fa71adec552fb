import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { registerAction, registerContact, registerReturnedLetter } from '../../client/use-cases/case-actions';
import { listCases, type CaseListRow } from '../../client/use-cases/case-queries';
import { submitImport } from '../../client/use-cases/cohort-import';
import { flowCounters } from '../../client/use-cases/counters';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { storedSnapshot } from '../../db/report-snapshots';
import { caseIdOf } from '../../domain/case-id';
import { COUNTER_KEYS, type FlowCounters } from '../../domain/flow-counters';
import { yearInSteps } from '../../domain/trial-calendar';
import type { CampaignCalendar } from '../../schemas/calendar';
import { endInstantOf, withCalendarValue } from '../../workflows/calendar';
import type { CaseStage } from '../../workflows/youth-case/machine';
import { ot, otJson } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * A compressed school year tried as an office would, up to and past the year end, on the real dev server and
 * PostgreSQL: the counters of the steps already past read the same after the year end as before it, a youth who
 * replied is never listed as unreached, and a batch holding only a letter sent again after a return is confirmed
 * through the real CLI and counted as sent.
 */
const YEAR = 2079;
const UNIT = '12250';
const STEP = 10_000;
const by = 'Siri Systemansvarleg';
const nextId = idFactory();

const youth = {
  /** Letter, recode, OTUK to the end: never reached. */
  astrid: { id: nextId('2015-01-10'), first: 'Astrid', mobile: '91234567' },
  /** No mobile when the SMS falls due, one registered later: the SMS step still found none. */
  bjorn: { id: nextId('2015-02-11'), first: 'Bjørn' },
  /** No address: waits for one all year, and is one of those the letter was for. */
  cecilie: { id: nextId('2015-03-12'), first: 'Cecilie', address: null },
  /** Replies while the letter is due, before it is confirmed: reached, with the OS code and no outcome. */
  dag: { id: nextId('2015-04-13'), first: 'Dag' },
  /** The letter comes back and goes again to the second address, in a batch of its own. */
  eli: { id: nextId('2015-05-14'), first: 'Eli', mobile: '93456789', address2: ['Nygata 2', '5017', 'Bergen'] as [string, string, string] },
  /** A caseworker follows the youth up from the washing: no standard letter. */
  frode: { id: nextId('2015-06-15'), first: 'Frode', caseworker: 'Ola Rådgjevar', status: 'OTOV' },
  /** No mobile; replies after the SMS step: reached, still OTUK, no outcome. */
  gro: { id: nextId('2015-07-16'), first: 'Gro' },
} satisfies Record<string, TestRow>;
type Youth = keyof typeof youth;

let stack: TestStack;
let calendar: CampaignCalendar;
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-year-end-'));
const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const nameOf = (who: Youth) => `${youth[who].first} Bø`;
const names = (rows: CaseListRow[]) => rows.map((r) => r.name).sort();
const sentOn = () => new Date(Date.now() - 1000).toISOString().slice(0, 19);

async function projectedAs(who: Youth, stage: CaseStage): Promise<void> {
  await eventually(async () => {
    const r = await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf(who)]);
    return r.rows[0]?.stage === stage ? true : undefined;
  }, `${who} projected as ${stage}`);
}

beforeAll(async () => {
  stack = await openStack({ reportSettleSeconds: 2 });
  await stack.startWorker();
  const t0 = Math.ceil(Date.now() / 1000) * 1000; // schedules fire on whole seconds
  // The OSON letters due at once, the OTUK count and both phone campaigns within a minute; the year end far off, moved near by the test.
  const year = yearInSteps(YEAR, t0, STEP, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 360 });
  calendar = withCalendarValue(year, 'otukCountDue', new Date(t0 + 1.5 * STEP).toISOString())!;
  calendar = (await setCalendar(stack, YEAR, calendar)).calendar;
  // Test ids are born by 2039 at the latest (makeNationalId), far over the age limit of a cohort so late: let them in.
  await stack.pool.query('UPDATE cohorts SET age_limit = 80 WHERE school_year = $1', [YEAR]);
  const file = transferFile(Object.values(youth));
  await (await submitImport(stack, { fileName: 'year-end.csv', content: file, schoolYear: YEAR, strict: false })).result();
}, 120_000);
afterAll(() => stack?.close());

describe('the year end and a re-sent letter, tried on a compressed year', () => {
  it('recodes the unit after the first batch, with a reply registered while the letter was due', async () => {
    for (const who of ['astrid', 'bjorn', 'dag', 'eli', 'gro'] as const) await projectedAs(who, 'letterDue');
    const first = await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by, outDir });
    expect(first).toMatchObject({ number: 1, standard: 5, resent: 0 });
    await registerAction(stack.pool, stack.client, caseOf('dag'), { type: 'REPLY', channel: 'reply-sheet', by });
    const mailed = await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: sentOn(), by });
    expect(mailed).toMatchObject({ cases: 4, resent: 0, firstConfirmation: true });
    for (const who of ['bjorn', 'gro'] as const) await projectedAs(who, 'noMobile');
  });

  it('confirms a batch that holds only a letter sent again, through the CLI, and counts it as sent', async () => {
    await registerReturnedLetter(stack.pool, stack.client, caseOf('eli'), { by });
    await eventually(async () => {
      const r = await stack.pool.query('SELECT letter_returns FROM cases WHERE case_id = $1', [caseOf('eli')]);
      return r.rows[0].letter_returns === 1 ? true : undefined;
    }, 'the return projected');
    const again = await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by, outDir });
    expect(again).toMatchObject({ number: 2, standard: 0, resent: 1, letters: 1 });
    const before = (await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT].lettersToYouth;

    const confirm = ['letters', 'confirm', '--unit', UNIT, '--code', 'OSON', '--sent-on', sentOn(), '--school-year', String(YEAR)];
    const plain = await ot(confirm);
    expect([plain.code, plain.stderr]).toEqual([0, '']);
    expect(plain.stdout).toMatch(/: 0 case\(s\) recoded to OTUK, 1 letter\(s\) sent again after a return counted as sent\n$/);
    expect((await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT].lettersToYouth).toBe(before + 1);
    const batches = await stack.pool.query('SELECT number FROM letter_batches WHERE school_year = $1 AND mailing_id IS NULL', [YEAR]);
    expect(batches.rows).toEqual([]);
    // Nothing is left to confirm: refused alike with and without --json.
    const later = [
      'letters',
      'confirm',
      '--unit',
      UNIT,
      '--code',
      'OSON',
      '--sent-on',
      new Date().toISOString().slice(0, 10),
      '--school-year',
      String(YEAR),
    ];
    const [refused, refusedJson] = [await ot(later), await ot(['--json', ...later])];
    expect([refused.code, refusedJson.code, refusedJson.stdout]).toEqual([1, 1, '']);
    expect(refusedJson.stderr).toBe(refused.stderr);
  });

  it('holds every counter of a past step across the year end, and keeps the reached apart from the unreached', async () => {
    await registerContact(stack.pool, stack.client, caseOf('bjorn'), { kind: 'mobile', mobile: '+4794567890' }, { source: 'nav', by });
    await registerAction(stack.pool, stack.client, caseOf('gro'), { type: 'REPLY', channel: 'phone', by });
    await projectedAs('gro', 'contactEstablished');
    // Both phone campaigns over: every counter has its moment behind it.
    const winterOver = endInstantOf(calendar.phoneCampaigns.winter.until);
    await eventually(async () => (Date.now() > winterOver + 2000 ? true : undefined), 'the winter campaign to end', 120_000);
    await eventually(async () => {
      const r = await stack.pool.query(`SELECT count(*)::int AS n FROM cases WHERE school_year = $1 AND stage = 'phoneCampaign'`, [YEAR]);
      return r.rows[0].n === 0 ? true : undefined;
    }, 'every case off the call lists');

    await eventually(() => storedSnapshot(stack.pool, YEAR, 'otukCount'), 'the OTUK count stored', 90_000);

    const before = (await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT];
    expect(before).toMatchObject({
      osBefore: 7,
      // Cecilie waited for an address all year: the letter was for her all the same; Frode was washed out.
      osAfterWashing: 6,
      lettersToYouth: 6,
      // Bjørn has a mobile now, Gro replied: the SMS step found neither with one.
      noMobile: 2,
      otukNow: 4,
      unreachedNow: 4,
      awaitingOutcomeNow: 2,
    });
    for (const key of COUNTER_KEYS) expect([key, before[key]]).not.toEqual([key, null]);
    const unreachedBefore = names(await listCases(stack.pool, { schoolYear: YEAR, unreached: true }));
    expect(unreachedBefore).toEqual(['astrid', 'bjorn', 'cecilie', 'eli'].map((w) => nameOf(w as Youth)));
    expect(names(await listCases(stack.pool, { schoolYear: YEAR, awaitingOutcome: true }))).toEqual([nameOf('dag'), nameOf('gro')]);

    // The year end, moved to a moment from now: every case closes.
    const end = new Date(Date.now() + 3000).toISOString();
    // The age-out moment may not fall after the year end (workflows/calendar.ts): it moves with it.
    await setCalendar(stack, YEAR, { ...withCalendarValue(calendar, 'schoolYearEnd', end)!, ageOut: end });
    await eventually(
      async () => ((await listCases(stack.pool, { schoolYear: YEAR, stage: 'closed' })).length === 7 ? true : undefined),
      'every case closed',
      60_000,
    );

    const after = (await flowCounters(stack.pool, YEAR, [UNIT])).units[UNIT];
    const NOW: (keyof FlowCounters)[] = ['otukNow', 'unreachedNow', 'awaitingOutcomeNow', 'repliesOverdue', 'reviewsOverdue'];
    const past = (c: FlowCounters) => Object.fromEntries(COUNTER_KEYS.filter((k) => !NOW.includes(k)).map((k) => [k, c[k]]));
    expect(past(after)).toEqual(past(before));
    // Nor do the "now" ones move here: the year end changes no status, and reach is read from the stage each case closed from.
    for (const key of ['otukNow', 'unreachedNow', 'awaitingOutcomeNow'] as const) expect([key, after[key]]).toEqual([key, before[key]]);
    // The deadlines are of open cases: a closed case waits for nobody's outcome or review.
    expect([after.repliesOverdue, after.reviewsOverdue]).toEqual([0, 0]);

    // The list for next year, through the CLI: those nobody reached, and apart from them those reached with no outcome.
    const unreached = await otJson<CaseListRow[]>(['cases', '--school-year', String(YEAR), '--unreached']);
    expect(names(unreached)).toEqual(unreachedBefore);
    expect(unreached.every((r) => r.stage === 'closed' && r.reach === 'neverReached')).toBe(true);
    const awaiting = await otJson<CaseListRow[]>(['cases', '--school-year', String(YEAR), '--awaiting-outcome']);
    expect(awaiting.map((r) => [r.name, r.otStatus, r.reach]).sort()).toEqual([
      [nameOf('dag'), 'OSON', 'reachedNoOutcome'],
      [nameOf('gro'), 'OTUK', 'reachedNoOutcome'],
    ]);
    expect(names(await listCases(stack.pool, { schoolYear: YEAR, reach: 'settled' }))).toEqual([nameOf('frode')]);
    const both = await ot(['cases', '--school-year', String(YEAR), '--unreached', '--awaiting-outcome']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/cannot be used with/);
  }, 240_000);
});
