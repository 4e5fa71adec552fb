import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { showCase } from '../../client/use-cases/case-queries';
import { caseIdOf, personKeyOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * What an import's summary says of the carry-over and the age limit, on the real dev server and PostgreSQL: how many of
 * the accepted youth were in last year's cohort (and of them, how many nobody reached), how many are at the age limit
 * and leave the target group this year, and how many of those were read after their 1 January had already passed; and
 * last year's persons stored before there were person keys get theirs from the import, so it finds them.
 *
 * Test ids are born in 2039 at the latest, so each cohort's age limit is set by SQL to put the youth born in 2038 at it.
 */
const FIRST = 2111;
const SECOND = 2112;
const LATE = 2113;
const nextId = idFactory();

const youth = {
  /** In the group both years, never reached in the first. */
  ada: { id: nextId('2039-02-02'), first: 'Ada', last: 'Aldri' },
  /** In the group both years, resolved from the washing in the first (OTAR): reached. */
  bo: { id: nextId('2039-03-03'), first: 'Bo', last: 'Bortreist', status: 'OTAR', caseworker: 'Nils Rådgjevar' },
  /** At the age limit in the second year (leaves on 1 January), never reached in the first. */
  cato: { id: nextId('2038-04-04'), first: 'Cato', last: 'Grense' },
  /** Past the age limit both years: skipped and listed. */
  dina: { id: nextId('2036-05-05'), first: 'Dina', last: 'Eldre' },
  /** New in the second year. */
  eli: { id: nextId('2039-06-06'), first: 'Eli', last: 'Ny' },
} satisfies Record<string, TestRow>;

let stack: TestStack;

const HOUR = 3_600_000;
/**
 * A cohort with its age limit, on a compressed calendar: every date hours from now, 1 January (`ageOut`) at the given step.
 * Never the default calendar of so late a year: Temporal's schedules (the reports') take years up to 2100 only.
 */
async function cohort(year: number, limit: number, ageOut = 6): Promise<void> {
  await setCalendar(
    stack,
    year,
    yearInSteps(year, Date.now(), HOUR, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], ageOut, schoolYearEnd: 6 }),
  );
  await stack.pool.query('UPDATE cohorts SET age_limit = $2 WHERE school_year = $1', [year, limit]);
}
const importOf = async (year: number, rows: TestRow[]) =>
  (await submitImport(stack, { fileName: `summary-${year}.csv`, content: transferFile(rows), schoolYear: year, strict: true })).result();

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'import-summary' });
  await stack.startWorker();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

it('counts nobody carried over in a first year, and the youth at the age limit with their 1 January still ahead', async () => {
  // 2111 − 73 = 2038: Cato is at the limit (the calendar-year rule: out from 1 January 2112, months away); Dina is past it.
  await cohort(FIRST, 73);
  const summary = await importOf(FIRST, [youth.ada, youth.bo, youth.cato, youth.dina]);
  expect(summary).toMatchObject({
    created: 3,
    outsideTargetGroup: [5],
    carriedOver: { inOtLastYear: 0, unreachedLastYear: 0 },
    ageLimit: { agesOut: 1, agedOutAtImport: 0 },
  });
});

it("counts last year's youth, and those of them nobody reached, by the person key", async () => {
  // 2112 − 74 = 2038: Cato is at the limit again.
  await cohort(SECOND, 74);
  const summary = await importOf(SECOND, [youth.ada, youth.bo, youth.cato, youth.dina, youth.eli]);
  expect(summary).toMatchObject({
    created: 4,
    outsideTargetGroup: [5],
    // Ada, Bo and Cato were in 2111's cohort; Ada and Cato were never reached there (still an OS code), Bo was resolved.
    carriedOver: { inOtLastYear: 3, unreachedLastYear: 2 },
    ageLimit: { agesOut: 1, agedOutAtImport: 0 },
  });
  // The same file again: the counts are of the file's youth, as the stages are, whether created now or before.
  expect(await importOf(SECOND, [youth.ada, youth.bo, youth.cato, youth.dina, youth.eli])).toMatchObject({
    created: 0,
    existing: 4,
    carriedOver: { inOtLastYear: 3, unreachedLastYear: 2 },
    ageLimit: { agesOut: 1, agedOutAtImport: 0 },
  });
});

it('counts a youth read after their 1 January as aged out at import, and the case leaves the group as it starts', async () => {
  // 2113 − 75 = 2038: Cato is at the limit, and 1 January (the calendar's ageOut) was a minute ago; the year ends in hours.
  await cohort(LATE, 75, -1 / 60);
  expect(await importOf(LATE, [youth.ada, youth.cato, youth.dina])).toMatchObject({
    created: 2,
    outsideTargetGroup: [4],
    // Both were in 2112's cohort, where nobody reached them.
    carriedOver: { inOtLastYear: 2, unreachedLastYear: 2 },
    ageLimit: { agesOut: 1, agedOutAtImport: 1 },
  });

  const cato = caseIdOf(youth.cato.id, LATE, stack.config.caseIdKey);
  await eventually(async () => {
    const r = await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [cato]);
    return r.rows[0]?.stage === 'agedOut' ? true : undefined;
  }, 'Cato out of the target group as the case starts');
}, 120_000);

it('gives last year’s persons stored before there were person keys (migration 020) theirs, and so finds them', async () => {
  // 2113's persons as a database migrated before 020 holds them: no person key.
  await stack.pool.query('UPDATE persons SET person_key = NULL WHERE school_year = $1', [LATE]);
  const NEXT = LATE + 1;
  // 2114 − 76 = 2038: Cato at the limit again.
  await cohort(NEXT, 76);
  const summary = await importOf(NEXT, [youth.ada, youth.cato, youth.eli]);
  // Ada was never reached in 2113; Cato left the target group there (settled, not unreached).
  expect(summary).toMatchObject({ created: 3, carriedOver: { inOtLastYear: 2, unreachedLastYear: 1 } });
  const keys = await stack.pool.query<{ national_id: string; person_key: string | null }>(
    'SELECT national_id, person_key FROM persons WHERE school_year = $1',
    [LATE],
  );
  expect(keys.rows).toHaveLength(2);
  for (const row of keys.rows) expect(row.person_key).toBe(personKeyOf(row.national_id, stack.config.caseIdKey));
  // The case finds last year's, one step from its journal.
  const ada = await showCase(stack.pool, stack.client, caseIdOf(youth.ada.id, NEXT, stack.config.caseIdKey));
  expect(ada?.lastYear).toEqual({ caseId: caseIdOf(youth.ada.id, LATE, stack.config.caseIdKey), schoolYear: LATE, unreached: true });
}, 60_000);
