import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { setCalendar } from '../../client/use-cases/calendar';
import { registerAction } from '../../client/use-cases/case-actions';
import { submitImport } from '../../client/use-cases/cohort-import';
import { flowCounters } from '../../client/use-cases/counters';
import { listCases, showCase } from '../../client/use-cases/case-queries';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { caseIdOf, personKeyOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { ot, otJson } from '../support/cli';
import { startApi, userWithToken } from '../support/api';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { CASE_REQUESTS } from '../../schemas/api/cases';

/**
 * Next year's carry-over on the real dev server and PostgreSQL: school year 2082 runs to its end on a compressed
 * calendar, leaving one youth nobody reached, one resolved and one who replied but has no outcome yet; then 2083's
 * transfer is imported, and the youth who were in last year's cohort are flagged "in OT two years running", the one
 * nobody reached as last year's unreached, each with last year's case (and so its journal) one step away.
 *
 * Test ids are born in 2039 at the latest, so both cohorts' age limit is lifted by SQL (as other tests of late years do).
 */
const FIRST = 2082;
const SECOND = 2083;
const UNIT = '12250';
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-carry-over-'));

const youth = {
  never: { id: nextId('2031-04-04'), first: 'Ingen', last: 'Nådde' },
  resolved: { id: nextId('2031-05-05'), first: 'Fekk', last: 'Arbeid' },
  replied: { id: nextId('2031-06-06'), first: 'Svara', last: 'Utanutfall' },
  newcomer: { id: nextId('2031-07-07'), first: 'Ny', last: 'Iår' },
} satisfies Record<string, TestRow>;
const caseIn = (year: number, row: TestRow) => caseIdOf(row.id, year, stack.config.caseIdKey);

let stack: TestStack;
let api: FastifyInstance;
let apiUrl: string;

const liftAgeLimit = (year: number) =>
  stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT (school_year) DO UPDATE SET age_limit = 60', [year]);

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'carry-over', reportSettleSeconds: 1 });
  await stack.startWorker();
  ({ app: api, url: apiUrl } = await startApi(stack));

  // The first year in steps of 4 s: the OSON letters at once, the year over 48 s from now.
  await setCalendar(
    stack,
    FIRST,
    yearInSteps(FIRST, Date.now(), 4000, { otherLetters: 1, autumnCampaign: [8, 9], winterCampaign: [10, 11], schoolYearEnd: 12 }),
  );
  await liftAgeLimit(FIRST);
  const first = [youth.never, youth.resolved, youth.replied];
  await (await submitImport(stack, { fileName: 'first.csv', content: transferFile(first), schoolYear: FIRST, strict: true })).result();
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: FIRST, stage: 'letterDue' })).length === 3 ? true : undefined),
    'letters due',
  );
  await printLetterBatch(stack, { schoolYear: FIRST, unit: UNIT, osCode: 'OSON', by, outDir });
  await confirmMailing(stack, { kind: 'letters', schoolYear: FIRST, unit: UNIT, osCode: 'OSON', sentOn: new Date().toISOString(), by });
  await eventually(async () => ((await listCases(stack.pool, { schoolYear: FIRST, status: 'OTUK' })).length === 3 ? true : undefined), 'the recode');
  await registerAction(stack.pool, stack.client, caseIn(FIRST, youth.resolved), {
    type: 'OUTCOME',
    status: 'OTAR',
    channel: 'phone',
    by: 'Nils Rådgjevar',
  });
  await registerAction(stack.pool, stack.client, caseIn(FIRST, youth.replied), {
    type: 'REPLY',
    channel: 'reply-sheet',
    forwardTo: 'Nils Rådgjevar',
    by: 'Kari Kontor',
  });
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: FIRST, stage: 'closed' })).length === 3 ? true : undefined),
    'the first year to end',
    120_000,
  );

  // The second year's transfer: the three again and one new; its calendar far off (the seeds' dates of 2083).
  await liftAgeLimit(SECOND);
  const second = [youth.never, youth.resolved, youth.replied, youth.newcomer];
  await (await submitImport(stack, { fileName: 'second.csv', content: transferFile(second), schoolYear: SECOND, strict: true })).result();
}, 240_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

describe("next year's import", () => {
  it('keeps one person key for a youth across the years: an HMAC of the national id, never the id', async () => {
    const keys = await stack.pool.query<{ school_year: number; person_key: string; national_id: string }>(
      'SELECT school_year, person_key, national_id FROM persons WHERE school_year IN ($1, $2) ORDER BY school_year, case_id',
      [FIRST, SECOND],
    );
    expect(keys.rows).toHaveLength(7);
    for (const row of keys.rows) {
      expect(row.person_key).toBe(personKeyOf(row.national_id, stack.config.caseIdKey));
      expect(row.person_key).toMatch(/^[0-9a-f]{24}$/);
      expect(row.person_key).not.toContain(row.national_id);
    }
    const once = new Set(keys.rows.map((r) => r.person_key));
    expect(once.size).toBe(4);
    // Another thing than either year's case id.
    expect(personKeyOf(youth.never.id, stack.config.caseIdKey)).not.toBe(caseIn(FIRST, youth.never));
  });

  it('flags those in last year’s cohort as in OT two years running, and last year’s unreached as such', async () => {
    const rows = await listCases(stack.pool, { schoolYear: SECOND });
    const flagsOf = (row: TestRow) => rows.find((r) => r.caseId === caseIn(SECOND, row))!.flags.filter((f) => f.endsWith('LastYear'));
    expect(flagsOf(youth.never)).toEqual(['inOtLastYear', 'unreachedLastYear']);
    // Reached last year: resolved, or replied with no outcome yet. Neither is "unreached".
    expect(flagsOf(youth.resolved)).toEqual(['inOtLastYear']);
    expect(flagsOf(youth.replied)).toEqual(['inOtLastYear']);
    expect(flagsOf(youth.newcomer)).toEqual([]);
    const counters = await flowCounters(stack.pool, SECOND, [UNIT]);
    expect(counters.county.twoYearsRunning).toBe(3);
    expect((await flowCounters(stack.pool, FIRST, [UNIT])).county.twoYearsRunning).toBe(0);
  });

  it('shows the flag and last year’s case in ot case show and the API case view, its journal one step away', async () => {
    const now = caseIn(SECOND, youth.never);
    const before = caseIn(FIRST, youth.never);
    const detail = (await showCase(stack.pool, stack.client, now))!;
    expect(detail.lastYear).toEqual({ caseId: before, schoolYear: FIRST, unreached: true });
    expect((await showCase(stack.pool, stack.client, caseIn(SECOND, youth.newcomer)))!.lastYear).toBeUndefined();

    const shown = await ot(['case', 'show', now]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/flags +.*inOtLastYear, unreachedLastYear/);
    expect(shown.stdout).toContain(`last year    in OT in ${FIRST} too, and nobody reached them: ot case show ${before}`);
    // One step: last year's case, closed, with its journal.
    const last = await otJson<{ stage: string; otStatus: string; journal: { event: string }[] }>(['case', 'show', before]);
    expect(last).toMatchObject({ stage: 'closed', otStatus: 'OTUK' });
    expect(last.journal.map((e) => e.event)).toEqual(expect.arrayContaining(['LETTERS_SENT', 'SCHOOL_YEAR_ENDED']));

    const { call } = await userWithToken(stack, apiUrl, { role: 'caseworker', units: [UNIT] });
    const viewed = await call('GET', `/cases/${now}`);
    expect(viewed.status).toBe(200);
    expect(viewed.body.flags).toEqual(expect.arrayContaining(['inOtLastYear', 'unreachedLastYear']));
    expect(viewed.body.lastYear).toEqual({ caseId: before, schoolYear: FIRST, unreached: true });
    const lastYear = await call('GET', `/cases/${before}`);
    expect([lastYear.status, lastYear.body.stage]).toEqual([200, 'closed']);
    // What each case takes now, every request answered by the one batch query in its own place: the open case takes a
    // reply but has no plan to review; the closed one takes nothing, and says why for each.
    expect(Object.keys(viewed.body.accepts).sort()).toEqual([...CASE_REQUESTS].sort());
    expect(viewed.body.accepts.reply).toEqual({ accepted: true });
    expect(viewed.body.accepts.review).toEqual({ accepted: false, reason: expect.any(String) });
    for (const name of CASE_REQUESTS) expect(lastYear.body.accepts[name]).toEqual({ accepted: false, reason: expect.any(String) });
    const replied = await call('GET', `/cases/${caseIn(SECOND, youth.replied)}`);
    expect(replied.body.lastYear).toEqual({ caseId: caseIn(FIRST, youth.replied), schoolYear: FIRST, unreached: false });
  });
});
