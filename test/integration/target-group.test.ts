import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { callList } from '../../client/use-cases/call-lists';
import { submitImport } from '../../client/use-cases/cohort-import';
import { flowCounters } from '../../client/use-cases/counters';
import { listCases, showCase } from '../../client/use-cases/case-queries';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { reportAt } from '../../client/use-cases/reports';
import { exportOutbox } from '../../activities/sms-delivery';
import { registerAction } from '../../client/use-cases/case-actions';
import { smsListPage } from '../../db/sms-messages';
import { storedSnapshot } from '../../db/report-snapshots';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { DEFAULT_UNITS, type OtUnit } from '../../schemas/units';
import { withCalendarValue } from '../../workflows/calendar';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { ot, otJson } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The target group as Opplæringslova § 9-4 words it, on the real dev server and PostgreSQL with a compressed calendar:
 * a youth born in the year the cohort's age limit names leaves the target group at "1 January" by the case's own timer,
 * journalled, off the call list and the SMS list; the November report counts them in the group and the February one
 * outside it (group 5, ALDER_IM), as do the counters.
 *
 * Test ids can be born in 2039 at the latest (makeNationalId), so school year 2081's age limit is lifted to 43 by SQL, as
 * other tests of late years do: born 2038 is the limit's year (they age out), born 2039 stays in the group all year.
 */
const YEAR = 2081;
const UNIT = '12250';
const STAFF = ['Tone Ringjar'];
const UNITS: OtUnit[] = DEFAULT_UNITS.map((u) => (u.code === UNIT ? { ...u, staff: STAFF } : u));
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-target-group-'));

const youth = {
  // Born on the last day of the limit's year, OTUK with a mobile: on the SMS and the call lists until 1 January.
  lastDay: { id: nextId('2038-12-31'), first: 'Sylvi', last: 'Nyttårsaftan', mobile: '91110001' },
  // The same year as a D-number (day + 40), reached and under follow-up: leaves all the same.
  followedUp: { id: nextId('2038-01-01', true), first: 'Dag', last: 'Dnummer', mobile: '91110002' },
  // Born on the first day of the next year: in the group the whole school year.
  firstDay: { id: nextId('2039-01-01'), first: 'Nyår', last: 'Førstedag', mobile: '91110003' },
} satisfies Record<string, TestRow>;
const caseOf = (row: TestRow) => caseIdOf(row.id, YEAR, stack.config.caseIdKey);
const detailOf = async (row: TestRow): Promise<CaseDetail> => (await showCase(stack.pool, stack.client, caseOf(row)))!;

let stack: TestStack;
let moments: Record<'autumnFrom' | 'autumnUntil' | 'november' | 'ageOut' | 'winterFrom' | 'winterUntil' | 'february', number>;

const stageOf = async (row: TestRow) => (await listCases(stack.pool, { schoolYear: YEAR, caseId: caseOf(row) }))[0]?.stage;
const waitUntil = async (at: number) => {
  if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now()));
};

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'target-group', units: UNITS, reportSettleSeconds: 2 });
  await stack.startWorker();
  const DAY = 86_400_000;
  // First a calendar with the OSON letters due at once and everything else days away; the moments that matter are
  // set once the letters are confirmed, so that a slow import on a busy machine cannot miss them.
  const far = yearInSteps(YEAR, Date.now(), DAY, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 8, ageOut: 6 });
  await setCalendar(stack, YEAR, far);
  await stack.pool.query('UPDATE cohorts SET age_limit = 43 WHERE school_year = $1', [YEAR]);
  await (
    await submitImport(stack, { fileName: 'target-group.csv', content: transferFile(Object.values(youth)), schoolYear: YEAR, strict: true })
  ).result();
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: YEAR, stage: 'letterDue' })).length === 3 ? true : undefined),
    'the letters due',
  );
  await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by, outDir });
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: new Date().toISOString(), by });
  await eventually(async () => ((await listCases(stack.pool, { schoolYear: YEAR, status: 'OTUK' })).length === 3 ? true : undefined), 'the recode');

  // The youth of the D-number replies and is taken under follow-up before the winter.
  const followed = caseOf(youth.followedUp);
  await registerAction(stack.pool, stack.client, followed, { type: 'OUTCOME', status: 'OTOV', channel: 'phone', by: 'Nils Rådgjevar' });

  // Now the year in seconds: the autumn campaign, the November report, 1 January, the winter campaign, the February report.
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 8000; // schedules fire on whole seconds
  const S = 1000;
  moments = {
    autumnFrom: t0,
    autumnUntil: t0 + 8 * S,
    november: t0 + 10 * S,
    ageOut: t0 + 20 * S,
    winterFrom: t0 + 26 * S,
    winterUntil: t0 + 60 * S,
    february: t0 + 64 * S,
  };
  const at = (ms: number) => new Date(ms).toISOString();
  let cal = far;
  for (const [key, ms] of [
    ['otukCountDue', moments.autumnFrom - S],
    ['phoneCampaigns.autumn.from', moments.autumnFrom],
    ['phoneCampaigns.autumn.until', moments.autumnUntil],
    ['reports.november', moments.november],
    ['evaluations.autumn', moments.november + S],
    ['ageOut', moments.ageOut],
    ['phoneCampaigns.winter.from', moments.winterFrom],
    ['phoneCampaigns.winter.until', moments.winterUntil],
    ['reports.february', moments.february],
  ] as const)
    cal = withCalendarValue(cal, key, at(ms))!;
  await setCalendar(stack, YEAR, cal);
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

describe('a youth at the age limit', () => {
  it('carries the day they leave (1 January), not the birth date, and is listed for the office before it comes', async () => {
    const lastDay = await detailOf(youth.lastDay);
    expect(lastDay.flags).toContain('agesOut');
    expect((await detailOf(youth.firstDay)).flags).not.toContain('agesOut');
    const listed = await otJson<{ caseId: string; stage: string }[]>(['cases', '--school-year', String(YEAR), '--aged-out']);
    expect(listed.map((r) => r.caseId).sort()).toEqual([caseOf(youth.lastDay), caseOf(youth.followedUp)].sort());
    const memo = await stack.client.workflow.getHandle(`youth-case-${YEAR}-${caseOf(youth.lastDay)}`).describe();
    expect(memo.memo).toMatchObject({ agesOutOn: '2082-01-01' });
  });

  it('is on the autumn call list and counted in the target group by the November report', async () => {
    await waitUntil(moments.autumnUntil);
    const autumn = await callList(stack.pool, { schoolYear: YEAR, unit: UNIT, campaign: 'autumn', all: true });
    expect(autumn.rows.map((r) => r.caseId).sort()).toEqual([caseOf(youth.lastDay), caseOf(youth.firstDay)].sort());
    const november = await eventually(() => storedSnapshot(stack.pool, YEAR, 'november'), 'the November report', 90_000);
    expect(november.counts.units[UNIT].byCode).toEqual({ OTUK: 2, OTOV: 1 });
    expect(november.counts.units[UNIT].byGroup).toMatchObject({ 1: 2, 2: 1, 5: 0 });
  }, 120_000);

  it('leaves the target group at 1 January by its own timer: journalled, ALDER_IM, and it takes no request', async () => {
    await waitUntil(moments.ageOut);
    for (const row of [youth.lastDay, youth.followedUp])
      await eventually(async () => ((await stageOf(row)) === 'agedOut' ? true : undefined), `${row.first} aged out`, 60_000);
    const lastDay = await detailOf(youth.lastDay);
    expect(lastDay).toMatchObject({ stage: 'agedOut', otStatus: 'ALDER_IM' });
    const entry = lastDay.journal.find((e) => e.event === 'AGED_OUT')!;
    expect(entry).toMatchObject({ from: { status: 'OTUK' }, to: { stage: 'agedOut', status: 'ALDER_IM' } });
    expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(moments.ageOut);
    expect((await detailOf(youth.followedUp)).journal.at(-1)).toMatchObject({ event: 'AGED_OUT', from: { stage: 'underFollowUp', status: 'OTOV' } });
    expect(await stageOf(youth.firstDay)).not.toBe('agedOut');

    const shown = await ot(['case', 'show', caseOf(youth.lastDay)]);
    expect(shown.stdout).toMatch(/AGED_OUT/);
    const refused = await ot(['case', 'outcome', caseOf(youth.lastDay), '--status', 'OTAR', '--channel', 'phone']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/left the target group on 1 January/)]);
    const listed = await otJson<{ caseId: string }[]>(['cases', '--school-year', String(YEAR), '--stage', 'agedOut']);
    expect(listed.map((r) => r.caseId).sort()).toEqual([caseOf(youth.lastDay), caseOf(youth.followedUp)].sort());
  }, 90_000);

  it('is on neither the SMS list, nor the outbox export of a message queued before 1 January, nor the winter call list', async () => {
    const smsList = await smsListPage(stack.pool, { schoolYear: YEAR, unit: UNIT, after: '', pageSize: 10 });
    expect(smsList.map((r) => r.case_id)).toEqual([caseOf(youth.firstDay)]);
    // The unit's SMS campaign queued both messages in the autumn; only the one to a youth still in the group goes out.
    const queued = await stack.pool.query<{ case_id: string }>(`SELECT case_id FROM sms_messages WHERE school_year = $1 AND status = 'queued'`, [
      YEAR,
    ]);
    expect(queued.rows.map((r) => r.case_id)).toEqual(expect.arrayContaining([caseOf(youth.lastDay), caseOf(youth.firstDay)]));
    const exported = await exportOutbox(stack.pool, { schoolYear: YEAR, unit: UNIT });
    expect(exported.messageKeys).toEqual([`${caseOf(youth.firstDay)}:sms1`]);
    await waitUntil(moments.winterFrom);
    const winter = await eventually(
      async () => {
        const list = await callList(stack.pool, { schoolYear: YEAR, unit: UNIT, campaign: 'winter' });
        return list.rows.length > 0 ? list : undefined;
      },
      'the winter call list',
      60_000,
    );
    expect(winter.rows.map((r) => r.caseId)).toEqual([caseOf(youth.firstDay)]);
  }, 90_000);

  it('is counted outside the target group by the February report, the report of any later moment and the counters', async () => {
    const february = await eventually(() => storedSnapshot(stack.pool, YEAR, 'february'), 'the February report', 120_000);
    expect(february.counts.units[UNIT].byCode).toEqual({ OTUK: 1, ALDER_IM: 2 });
    expect(february.counts.units[UNIT].byGroup).toMatchObject({ 1: 1, 2: 0, 5: 2 });
    const now = await reportAt(stack.pool, YEAR, new Date().toISOString(), UNITS);
    expect(now.counts.county.byGroup).toMatchObject({ 1: 1, 5: 2 });
    const beforeNewYear = await reportAt(stack.pool, YEAR, new Date(moments.ageOut - 1000).toISOString(), UNITS);
    expect(beforeNewYear.counts.county.byCode).toEqual({ OTUK: 2, OTOV: 1 });
    const counters = await flowCounters(stack.pool, YEAR, [UNIT]);
    expect(counters.units[UNIT]).toMatchObject({ otukNow: 1, agedOut: 2 });
  }, 150_000);
});

describe('the cohort policy', () => {
  it('is the end of the calendar year for the school year, fixed by the import', async () => {
    const shown = await otJson<{ ageLimit: number; targetGroupEnd: string; imported: boolean }>([
      'cohort',
      'policy',
      'show',
      '--school-year',
      String(YEAR),
    ]);
    expect(shown).toMatchObject({ ageLimit: 43, targetGroupEnd: 'calendarYear', imported: true });
    const refused = await ot(['cohort', 'policy', 'set', '--school-year', String(YEAR), '--target-group-end', 'school-year']);
    expect([refused.code, refused.stderr.trim()]).toEqual([
      1,
      'ot: school year 2081 is imported: its cases were classified under its policy, which cannot change now',
    ]);
    expect((await otJson<{ targetGroupEnd: string }>(['cohort', 'policy', 'show', '--school-year', String(YEAR)])).targetGroupEnd).toBe(
      'calendarYear',
    );
  });

  it('may be set to the whole school year before a cohort is imported, and refuses an age limit out of range', async () => {
    const next = String(YEAR + 1);
    expect((await otJson<{ targetGroupEnd: string }>(['cohort', 'policy', 'show', '--school-year', next])).targetGroupEnd).toBe('calendarYear');
    const set = await ot(['cohort', 'policy', 'set', '--school-year', next, '--target-group-end', 'school-year']);
    expect([set.code, set.stdout.trim()]).toEqual([0, 'policy of school year 2082: age limit 24, target group ends school-year']);
    const shown = await ot(['cohort', 'policy', 'show', '--school-year', next]);
    expect(shown.stdout).toMatch(/target group ends +school-year: the whole school year the youth turns the age limit +set for the cohort/);
    const bad = await ot(['cohort', 'policy', 'set', '--school-year', next, '--age-limit', '40']);
    expect([bad.code, bad.stderr]).toEqual([1, 'ot: --age-limit must be a whole number from 15 to 30\n']);
  });
});
