import type { Browser } from 'playwright-core';
import { setCalendar } from '../../client/use-cases/calendar';
import { listCases } from '../../client/use-cases/case-queries';
import { submitImport } from '../../client/use-cases/cohort-import';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { startApi } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Issue 16 part 8 in the console, in headless Chromium over the real stack: a youth in last year's cohort whom nobody
 * reached is imported again the next year; their new case links to last year's (its journal one click away), and
 * Oversikt counts them among those in OT two years running.
 */
const FIRST = 2098;
const SECOND = 2099;
const UNIT = '12250';
const nextId = idFactory();
const again = { id: nextId('2039-05-06'), first: 'Tove', last: 'Toårsen', unit: UNIT, os: 'OSON' };
const newcomer = { id: nextId('2039-07-08'), first: 'Nora', last: 'Nyberg', unit: UNIT, os: 'OSON' };

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let nils: ConsoleUser;
let leader: ConsoleUser;
const caseIn = (year: number, row: { id: string }) => caseIdOf(row.id, year, stack.config.caseIdKey);

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-carry-over' });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  // Born 2039: over the age limit of cohorts so late, so it is raised to let them in.
  for (const year of [FIRST, SECOND])
    await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT (school_year) DO UPDATE SET age_limit = 60', [
      year,
    ]);
  // The first year in steps of 3 s, over about 18 s from now; the second compressed too, its end far off (a calendar
  // of dates so late would take the retention schedule past 2100, which Temporal's schedules refuse).
  await setCalendar(
    stack,
    FIRST,
    yearInSteps(FIRST, Date.now(), 3000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
  );
  await setCalendar(
    stack,
    SECOND,
    yearInSteps(SECOND, Date.now(), 3_600_000, { otherLetters: 10, autumnCampaign: [20, 30], winterCampaign: [40, 50], schoolYearEnd: 100 }),
  );
  await (await submitImport(stack, { fileName: 'first.csv', content: transferFile([again]), schoolYear: FIRST, strict: true })).result();
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: FIRST, stage: 'closed' })).length === 1 ? true : undefined),
    'the first year to end',
    120_000,
  );
  await (await submitImport(stack, { fileName: 'second.csv', content: transferFile([again, newcomer]), schoolYear: SECOND, strict: true })).result();
  nils = await consoleUser(stack, { role: 'caseworker', units: [UNIT], displayName: 'Nils Rådgjevar' });
  leader = await consoleUser(stack, { role: 'leader', displayName: 'Lena Leiar' });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

it("links this year's case to last year's, one click away, and none for a newcomer", async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, nils, `/konsoll/saker/${caseIn(SECOND, again)}`);
  const link = page.getByTestId('case-last-year').getByRole('link');
  await link.waitFor();
  expect(await link.innerText()).toBe(`i OT i ${FIRST}–${FIRST + 1} òg, og ingen nådde ungdommen då: sjå saka`);
  expect(await accessibilityViolations(page)).toEqual([]);
  await link.click();
  await page.waitForURL(new RegExp(`/saker/${caseIn(FIRST, again)}$`));
  await page.getByText(`${FIRST}–${FIRST + 1}`, { exact: true }).waitFor();
  // Last year's journal: the year's end closed it.
  expect(await page.getByRole('list', { name: 'Journal' }).getByRole('listitem').count()).toBeGreaterThan(0);

  await page.goto(`/konsoll/saker/${caseIn(SECOND, newcomer)}`);
  await page.getByRole('heading', { name: 'Nora Nyberg' }).waitFor();
  expect(await page.getByTestId('case-last-year').count()).toBe(0);
  expect(problems).toEqual([]);
  await context.close();
});

it('counts the youth among those in OT two years running on Oversikt', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  await signIn(page, leader, `/konsoll/oversikt?aar=${SECOND}`);
  const cell = page.locator('[data-counter="twoYearsRunning"]');
  await eventually(
    async () => {
      await cell.waitFor();
      if ((await cell.innerText()).trim() === '1') return true;
      await page.reload();
      return undefined;
    },
    'two years running counted',
    30_000,
  );
  expect(await page.getByRole('row', { name: /^I OT to år på rad/ }).innerText()).toMatch(/\b1\b/);
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});
