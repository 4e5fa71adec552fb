import type { Browser, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Issue 16 in the console, in headless Chromium over the real stack on a compressed year: a caseworker makes a youth's
 * follow-up plan on the case page (a bad measure refused in the API's words, the form kept), its review comes due on
 * the caseworker's Fristar page and goes overdue on the leader's Over fristen page, and a review is registered (a
 * change made meanwhile by someone else is a conflict that keeps what was typed); a reply forwarded and left without
 * an outcome goes onto both lists; the calendar's new keys are edited with the API's reason beside the field.
 */
const YEAR = 2096;
/** A cohort whose calendar only the calendar test changes. */
const CALENDAR_YEAR = 2097;
const UNIT = '12250';
const nextId = idFactory();
const NILS = 'Nils Rådgjevar';
const youth = {
  planned: { id: nextId('2038-02-03'), first: 'Pia', last: 'Plan', caseworker: NILS, status: 'OTOV' },
  replied: { id: nextId('2038-04-05'), first: 'Rolf', last: 'Svar' },
};
const GOAL = 'Fullføre Vg2 elektro';
/** How long a due review and a forwarded reply wait before they are overdue: seconds, as on a compressed year. */
const OVERDUE_AFTER_S = 6;

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let nils: ConsoleUser;
let leader: ConsoleUser;
let operator: ConsoleUser;
let asNils: ApiCall;
let asTor: ApiCall;
const caseOf = (who: keyof typeof youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const moment = (ms: number) => DateTime.fromMillis(ms, { zone: CAMPAIGN_ZONE }).toISO({ suppressMilliseconds: true })!;
const reviewState = async (caseId: string): Promise<string | null> =>
  (await stack.pool.query('SELECT review_state FROM cases WHERE case_id = $1', [caseId])).rows[0]?.review_state ?? null;

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-follow-up' });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  // Test ids are born by 2039 at the latest, far over the age limit of a cohort so late: let them in (born 2038, 58 in 2096).
  for (const year of [YEAR, CALENDAR_YEAR])
    await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT (school_year) DO UPDATE SET age_limit = 60', [
      year,
    ]);
  const calendar = yearInSteps(YEAR, Date.now(), 3_600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 });
  await setCalendar(stack, YEAR, { ...calendar, replyOverdueAfter: `PT${OVERDUE_AFTER_S}S`, reviewOverdueAfter: `PT${OVERDUE_AFTER_S}S` });
  // A compressed year for the calendar test too: a calendar of dates so late would take the retention schedule past 2100, which Temporal's schedules refuse.
  await setCalendar(
    stack,
    CALENDAR_YEAR,
    yearInSteps(CALENDAR_YEAR, Date.now(), 3_600_000, { otherLetters: 10, autumnCampaign: [20, 30], winterCampaign: [40, 50], schoolYearEnd: 100 }),
  );
  await (
    await submitImport(stack, { fileName: `follow-up-${YEAR}.csv`, content: transferFile(Object.values(youth)), schoolYear: YEAR, strict: false })
  ).result();
  await eventually(
    async () =>
      (await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf('planned')])).rows[0]?.stage === 'caseworkerFollowUp'
        ? true
        : undefined,
    'the OTOV case projected',
  );
  nils = await consoleUser(stack, { role: 'caseworker', units: [UNIT], displayName: NILS });
  leader = await consoleUser(stack, { role: 'leader', displayName: 'Lena Leiar' });
  operator = await consoleUser(stack, { role: 'operator', displayName: 'Siri Systemeigar' });
  asNils = (await userWithToken(stack, api.url, { role: 'caseworker', units: [UNIT], name: NILS })).call;
  asTor = (await userWithToken(stack, api.url, { role: 'caseworker', units: [UNIT], name: 'Tor Tverrå' })).call;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

async function openAs(user: ConsoleUser, path: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, user, path);
  return { page, problems, close: () => context.close() };
}

/** Reloads the page until the text shows (the page reads its data once; the case's timers run on meanwhile). */
async function reloadUntil(page: Page, text: string | RegExp, what: string): Promise<void> {
  await eventually(
    async () => {
      await page.reload();
      await page.getByRole('button', { name: 'Logg ut' }).waitFor();
      await page.waitForLoadState('networkidle');
      return (await page.getByText(text).count()) > 0 ? true : undefined;
    },
    what,
    40_000,
  );
}

/** Opens Oversikt and reloads until the county's figure of the counter is this (the counters are read from the read model). */
async function counterShown(page: Page, counter: string, value: string): Promise<void> {
  await page.goto(`/konsoll/oversikt?aar=${YEAR}`);
  await eventually(
    async () => {
      const cell = page.locator(`[data-counter="${counter}"]`);
      await cell.waitFor();
      if ((await cell.innerText()).trim() === value) return true;
      await page.reload();
      return undefined;
    },
    `${counter} at ${value} on Oversikt`,
    30_000,
  );
}

it('makes a follow-up plan on the case page: a bad measure is refused in words and the form kept; then saved and shown', async () => {
  const caseId = caseOf('planned');
  const { page, problems, close } = await openAs(nils, `/konsoll/saker/${caseId}`);
  const section = page.getByRole('region', { name: 'Oppfølgingsplan' });
  await section.getByText('Saka har inga oppfølgingsplan.').waitFor();
  await section.getByRole('button', { name: 'Lag oppfølgingsplan' }).click();
  const form = page.getByRole('form', { name: 'Lag oppfølgingsplan' });
  await form.getByLabel('Mål').fill(GOAL);
  await form.getByLabel('Kva', { exact: true }).fill('Arbeidstrening hos Bergen Bil');
  await form.getByLabel('Ansvarleg').selectOption('NAV');
  await form.getByLabel('Frå', { exact: true }).fill(`${YEAR + 1}-01-10`);
  await form.getByLabel('Til', { exact: true }).fill(`${YEAR + 1}-01-01`);
  await form.getByLabel('Gjennomgang 1').fill(moment(Date.now() + 60_000));
  expect(await accessibilityViolations(page)).toEqual([]);
  await form.getByRole('button', { name: 'Lagre planen' }).click();
  const refusal = form.getByRole('alert');
  await refusal.getByText(`measure 1: to (${YEAR + 1}-01-01) is before from (${YEAR + 1}-01-10)`).waitFor();
  expect(await refusal.getByRole('heading').innerText()).toBe('Saka tok ikkje imot dette');
  // What was typed stays.
  expect(await form.getByLabel('Mål').inputValue()).toBe(GOAL);

  await form.getByLabel('Til', { exact: true }).fill(`${YEAR + 1}-03-31`);
  // The review a few seconds ahead: it comes due on the case's own timer.
  const reviewAt = Date.now() + 6000;
  await form.getByLabel('Gjennomgang 1').fill(moment(reviewAt));
  await form.getByRole('button', { name: 'Lagre planen' }).click();
  await section.getByRole('status').getByText('Planen er lagra.').waitFor();
  await section.getByTestId('plan-goal').getByText(GOAL).waitFor();
  expect(await section.getByRole('table', { name: 'Tiltak' }).innerText()).toMatch(/Arbeidstrening hos Bergen Bil\s+NAV/);
  expect(await page.getByTestId('plan-next-review').innerText()).toMatch(/planlagd$/);
  // Journalled in Nils's name.
  expect(await page.getByRole('list', { name: 'Journal' }).innerText()).toContain(NILS);
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await close();
});

it('shows the review due on the caseworker’s Fristar, overdue on the leader’s Over fristen, and registers a review despite a change meanwhile', async () => {
  const caseId = caseOf('planned');
  await eventually(
    async () => ((await reviewState(caseId)) === 'due' || (await reviewState(caseId)) === 'overdue' ? true : undefined),
    'the review due',
    40_000,
  );
  const mine = await openAs(nils, `/konsoll/frister?aar=${YEAR}`);
  await mine.page.getByRole('heading', { name: 'Fristar', level: 1 }).waitFor();
  await mine.page.getByTestId('reviews-due').getByRole('link', { name: 'Pia Plan' }).waitFor();
  expect(await accessibilityViolations(mine.page)).toEqual([]);

  await eventually(async () => ((await reviewState(caseId)) === 'overdue' ? true : undefined), 'the review overdue', 40_000);
  const lead = await openAs(leader, `/konsoll/over-fristen?aar=${YEAR}`);
  await lead.page.getByRole('heading', { name: 'Over fristen', level: 1 }).waitFor();
  // The leader's list names the case, never the youth.
  const row = lead.page.getByTestId('reviews-due').getByRole('row').filter({ hasText: caseId });
  await row.waitFor();
  expect(await row.innerText()).toContain(NILS);
  expect(await lead.page.getByRole('main').innerText()).not.toContain('Pia Plan');
  expect(await accessibilityViolations(lead.page)).toEqual([]);
  // And counted on Oversikt, beside its name.
  await counterShown(lead.page, 'reviewsOverdue', '1');
  expect(await lead.page.getByRole('row', { name: /^Gjennomgangar av oppfølgingsplanar over fristen/ }).innerText()).toMatch(/\b1\b/);
  expect(lead.problems).toEqual([]);
  await lead.close();

  // The review, from the list's link to the case.
  const page = mine.page;
  await page.getByTestId('reviews-due').getByRole('link', { name: 'Pia Plan' }).click();
  await page
    .getByTestId('plan-next-review')
    .getByText(/over fristen$/)
    .waitFor();
  await page.getByRole('button', { name: 'Registrer gjennomgang' }).click();
  const form = page.getByRole('form', { name: 'Registrer gjennomgang' });
  // Without a note: refused in the case's words.
  await form.getByRole('button', { name: 'Lagre gjennomgangen' }).click();
  await form
    .getByRole('alert')
    .getByText(/say what happened at the review/)
    .waitFor();
  await form.getByLabel('Kva skjedde').fill('Møttest på kontoret; arbeidstreninga går bra');
  const nextAt = Date.now() + 3_600_000;
  await form.getByLabel('Neste gjennomgang').fill(moment(nextAt));
  // Someone else changes the case meanwhile: the form says so and keeps what was typed.
  expect((await asTor('POST', `/cases/${caseId}/contact`, { mobile: '+4791296001', source: 'youth' })).status).toBe(200);
  await form.getByRole('button', { name: 'Lagre gjennomgangen' }).click();
  await form.getByRole('alert').getByText('Nokon andre har endra saka medan du hadde skjemaet ope').waitFor();
  expect(await form.getByLabel('Kva skjedde').inputValue()).toBe('Møttest på kontoret; arbeidstreninga går bra');
  await form.getByRole('button', { name: 'Lagre gjennomgangen' }).click();
  await page.getByRole('status').getByText('Gjennomgangen er registrert.').waitFor();
  await page
    .getByTestId('plan-next-review')
    .getByText(/planlagd$/)
    .waitFor();
  await eventually(async () => ((await reviewState(caseId)) === 'planned' ? true : undefined), 'the review registered');
  expect(mine.problems).toEqual([]);
  await mine.close();
});

it('puts a reply forwarded and left without an outcome on Fristar and Over fristen', async () => {
  const caseId = caseOf('replied');
  const forwarded = await asNils('POST', `/cases/${caseId}/reply`, { channel: 'phone', forwardTo: NILS });
  expect(forwarded.status).toBe(200);
  const mine = await openAs(nils, `/konsoll/frister?aar=${YEAR}`);
  await reloadUntil(mine.page, 'Rolf Svar', 'the reply overdue on Fristar');
  expect(await mine.page.getByTestId('replies-overdue').innerText()).toContain('Rolf Svar');
  expect(mine.problems).toEqual([]);
  await mine.close();
  const lead = await openAs(leader, `/konsoll/over-fristen?aar=${YEAR}`);
  await lead.page.getByTestId('replies-overdue').getByText(caseId).waitFor();
  await counterShown(lead.page, 'repliesOverdue', '1');
  // The review registered meanwhile is overdue no more.
  expect((await lead.page.locator('[data-counter="reviewsOverdue"]').innerText()).trim()).toBe('0');
  expect(lead.problems).toEqual([]);
  await lead.close();
});

it('edits the calendar’s new keys: a bad value shows the API’s reason beside its field; the second SMS is shown as stored', async () => {
  const { page, problems, close } = await openAs(operator, `/konsoll/operator/kalender?aar=${CALENDAR_YEAR}`);
  const secondSms = page.getByRole('group', { name: 'Andre SMS' });
  await secondSms.getByTestId('second-sms').getByText('Kohorten får ingen andre SMS.').waitFor();
  const field = secondSms.getByRole('textbox');
  expect(await field.inputValue()).toBe('');
  const deadlines = page.getByRole('group', { name: 'Fristar for saksbehandlarane' });
  expect(await deadlines.getByRole('textbox').count()).toBe(2);
  expect(await page.getByRole('group', { name: 'Ut av målgruppa ved aldersgrensa' }).getByRole('textbox').count()).toBe(1);
  expect(await accessibilityViolations(page)).toEqual([]);

  await field.fill('fjorten dagar');
  await page.getByRole('button', { name: 'Lagre kalenderen' }).click();
  await page.getByText('Ingenting er endra.').waitFor();
  await secondSms.getByText('must be an ISO duration', { exact: false }).waitFor();
  expect(await field.getAttribute('aria-invalid')).toBe('true');

  const reply = deadlines.getByRole('textbox').first();
  await field.fill('P7D');
  await reply.fill('ti dagar');
  await page.getByRole('button', { name: 'Lagre kalenderen' }).click();
  await deadlines.getByText('must be a number of working days', { exact: false }).waitFor();

  await reply.fill('5 working days');
  // A deadline left empty is left out of the calendar saved: the API stores its default (14 days).
  await deadlines.getByRole('textbox').nth(1).fill('');
  await page.getByRole('button', { name: 'Lagre kalenderen' }).click();
  await page
    .getByRole('status')
    .getByText(/Lagra som versjon/)
    .waitFor();
  await secondSms.getByTestId('second-sms').getByText('Kohorten får ein andre SMS, P7D etter den første.').waitFor();
  const stored = (await (await userWithToken(stack, api.url, { role: 'operator' })).call('GET', `/calendar/${CALENDAR_YEAR}`)).body;
  expect(stored.calendar).toMatchObject({ secondSmsAfterFirst: 'P7D', replyOverdueAfter: '5 working days' });
  expect(stored.calendar.reviewOverdueAfter).toBe('P14D');
  expect(problems).toEqual([]);
  await close();
});
