import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { listCases } from '../../client/use-cases/case-queries';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { yearInSteps } from '../../domain/trial-calendar';
import { DEFAULT_UNITS, type OtUnit } from '../../schemas/units';
import { withCalendarValue } from '../../workflows/calendar';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Issue 16 part 7 in the console, in headless Chromium over the real stack: on an open phone campaign the office staff
 * see the unit's callers on the call list page, move one call and then all of one caller's calls to another, add a
 * caller and take one out, whose open calls (only theirs) are shared among the rest; each as `ot calls reassign` and
 * `ot staff add|remove` do it, recorded in the mover's name.
 */
const YEAR = 2098;
// A unit and staff names of this test alone: a staff change holds for the unit in every school year of the database the
// test run shares, so on 12250 with the example staff it moved other tests' calls (and counted them), and theirs moved here.
const UNIT = '12276';
const STAFF = ['Kari Staffdal', 'Ola Staffdal'];
const UNITS: OtUnit[] = DEFAULT_UNITS.map((u) => (u.code === UNIT ? { ...u, staff: STAFF } : u));
const DAY = 86_400_000;
const nextId = idFactory();
const youth: TestRow[] = ['Aud', 'Bjørn', 'Cecilie', 'Dag'].map((first, i) => ({
  id: nextId(`2039-0${i + 1}-1${i}`),
  first,
  last: 'Flyttdal',
  mobile: `4162098${i}`,
  unit: UNIT,
}));

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let kari: ConsoleUser;
let operator: ApiCall;

interface ListRow {
  caseId: string;
  name: string;
  staff?: string;
  moved?: { from?: string; by: string; reason: string };
}
const listOf = async (): Promise<ListRow[]> => {
  const r = await operator('GET', `/calls?schoolYear=${YEAR}&unit=${UNIT}`);
  expect(r.status).toBe(200);
  return r.body.rows;
};
const sharesOf = async (): Promise<Record<string, string[]>> => {
  const out: Record<string, string[]> = {};
  for (const r of await listOf()) (out[r.staff ?? '–'] ??= []).push(r.name);
  for (const names of Object.values(out)) names.sort();
  return out;
};

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-staff', units: UNITS });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  // Born 2039: over the age limit of a cohort so late, so it is raised to let them in.
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT (school_year) DO UPDATE SET age_limit = 60', [
    YEAR,
  ]);
  kari = await consoleUser(stack, { role: 'officeStaff', units: [UNIT], displayName: 'Kari Staffdal' });
  operator = (await userWithToken(stack, api.url, { role: 'operator' })).call;

  // A year in days, but the autumn phone campaign opens a few seconds from now and stays open for two days.
  const t0 = Date.now();
  let cal = yearInSteps(YEAR, t0, DAY, { otherLetters: 1, autumnCampaign: [1, 2], winterCampaign: [3, 4], schoolYearEnd: 6 });
  for (const [key, ms] of [
    ['otukCountDue', 10_000],
    ['phoneCampaigns.autumn.from', 15_000],
    ['phoneCampaigns.autumn.until', 2 * DAY],
    ['reports.november', 2 * DAY + 1000],
    ['evaluations.autumn', 2 * DAY + 2000],
    ['reports.february', 4 * DAY + 1000],
    ['reports.june', 5 * DAY],
    ['evaluations.spring', 5 * DAY + 1000],
  ] as const)
    cal = withCalendarValue(cal, key, new Date(t0 + ms).toISOString())!;
  await setCalendar(stack, YEAR, cal);
  await (await submitImport(stack, { fileName: 'flytt.csv', content: transferFile(youth), schoolYear: YEAR, strict: false })).result();
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: YEAR, stage: 'letterDue' })).length === youth.length ? true : undefined),
    'the letters due',
  );
  const outDir = mkdtempSync(path.join(tmpdir(), 'ot-console-staff-'));
  await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by: 'Siri Systemansvarleg', outDir });
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: new Date().toISOString(), by: 'Siri' });
  await eventually(async () => ((await listOf()).length === youth.length ? true : undefined), 'the call list', 90_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

async function openList(): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  // Taking someone out asks first.
  page.on('dialog', (d) => void d.accept());
  await signIn(page, kari, `/konsoll/ringjeliste?aar=${YEAR}&ringjar=alle`);
  await page.getByRole('heading', { name: /^Haustens telefondugnad: 4 å ringje/ }).waitFor();
  return { page, problems, close: () => context.close() };
}

it('moves one call, then all of one caller’s calls, to another of the unit’s callers', async () => {
  const before = await sharesOf();
  expect(Object.keys(before).sort()).toEqual(STAFF);
  const { page, problems, close } = await openList();
  const section = page.getByRole('region', { name: 'Ringjarane i eininga' });
  expect(await section.getByRole('listitem').allInnerTexts()).toEqual(STAFF.map((s) => expect.stringContaining(s)));
  expect(await accessibilityViolations(page)).toEqual([]);

  // One of Kari's calls to Ola, from under its card.
  const name = before['Kari Staffdal'][0];
  const move = page.getByRole('form', { name: `Flytt samtalen til (${name})` });
  await move.getByLabel('Flytt samtalen til', { exact: true }).selectOption('Ola Staffdal');
  await move.getByRole('button', { name: 'Flytt' }).click();
  await eventually(async () => ((await sharesOf())['Ola Staffdal']?.includes(name) ? true : undefined), 'the call moved');
  // Recorded on the call: from whom, by whom, why.
  expect((await listOf()).find((r) => r.name === name)?.moved).toMatchObject({ from: 'Kari Staffdal', by: 'Kari Staffdal', reason: 'reassigned' });
  // And on its card, once the list has fetched itself again: from whom, when, by whom and why.
  await page
    .getByRole('definition')
    .filter({ hasText: /^frå Kari Staffdal .+, av Kari Staffdal \(flytt til ein annan ringjar\)$/ })
    .first()
    .waitFor({ timeout: 30_000 });

  // All of Ola's calls to Kari.
  const all = section.getByRole('form', { name: 'Flytt alle samtalane til ein person' });
  await all.getByLabel('Frå').selectOption('Ola Staffdal');
  await all.getByLabel('Til').selectOption('Kari Staffdal');
  await all.getByRole('button', { name: 'Flytt samtalane' }).click();
  await all
    .getByRole('status')
    .getByText(/samtalar er flytte/)
    .waitFor();
  expect(await sharesOf()).toEqual({ 'Kari Staffdal': youth.map((y) => `${y.first} ${y.last}`).sort() });
  // Ola holds none now: nothing to move, and the API says so.
  await all.getByRole('button', { name: 'Flytt samtalane' }).click();
  await all.getByRole('alert').getByText(`Ola Staffdal holds no open call of unit ${UNIT} in school year ${YEAR}: nothing moved`).waitFor();
  expect(problems).toEqual([]);
  await close();
});

it('adds a caller and takes one out: only the open calls of the one taken out are shared among the rest', async () => {
  const { page, problems, close } = await openList();
  const section = page.getByRole('region', { name: 'Ringjarane i eininga' });
  const add = section.getByRole('form', { name: 'Legg til ringjar' });
  await add.getByLabel('Namn').fill('Per Staffdal');
  await add.getByRole('button', { name: 'Legg til ringjar' }).click();
  await section.getByRole('status').getByText('Per Staffdal deler ringjelistene frå no av.').waitFor();
  await section.getByRole('listitem').filter({ hasText: 'Per Staffdal' }).waitFor();
  // Adding moves nobody's calls.
  expect(Object.keys(await sharesOf())).toEqual(['Kari Staffdal']);

  await section.getByRole('button', { name: 'Ta ut Kari Staffdal' }).click();
  // The answer, or the refusal in its place: either way its words are what the test shows when it is not the one expected.
  const answer = section.getByRole('status').filter({ hasText: 'er teken ut' }).or(section.getByRole('alert')).first();
  await answer.waitFor({ timeout: 60_000 });
  expect(await answer.innerText()).toMatch(/Kari Staffdal er teken ut\. 4 samtalar vart fordelte på nytt\./);
  const after = await sharesOf();
  expect(Object.keys(after).sort()).toEqual(['Ola Staffdal', 'Per Staffdal']);
  expect(after['Ola Staffdal'].length).toBe(2);
  expect(after['Per Staffdal'].length).toBe(2);
  expect(await section.getByRole('listitem').allInnerTexts()).toEqual([
    expect.stringContaining('Ola Staffdal'),
    expect.stringContaining('Per Staffdal'),
  ]);
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await close();
});
