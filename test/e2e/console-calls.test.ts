import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { listCases } from '../../client/use-cases/case-queries';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { createApiToken } from '../../client/use-cases/users';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { DEFAULT_UNITS, type OtUnit } from '../../schemas/units';
import { withCalendarValue } from '../../workflows/calendar';
import { caller, startApi, userWithToken, type ApiCall } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The call list and the SMS inbox in the console, in headless Chromium against the real API, worker, Temporal and
 * PostgreSQL: on a compressed calendar the autumn phone campaign opens, each of the unit's two callers sees their own
 * share, calls are registered with one click, a call someone else registers shows up without a reload, the list fits
 * a phone, and an SMS reply from an unknown number is found and assigned to its case from the inbox.
 */
const YEAR = 2062;
const UNIT = '12250';
const STAFF = ['Kari Ringjar', 'Ola Telefon'];
const UNITS: OtUnit[] = DEFAULT_UNITS.map((u) => (u.code === UNIT ? { ...u, staff: STAFF } : u));
const DAY = 86_400_000;
const nextId = idFactory();

const youth: TestRow[] = [
  ...['Aud', 'Bjørn', 'Cecilie', 'Dag', 'Eli', 'Frode'].map((first, i) => ({
    id: nextId(`2039-0${i + 1}-1${i}`),
    first,
    last: 'Ringdal',
    mobile: `4162060${i}`,
  })),
  { id: nextId('2038-11-20'), first: 'Sigrid', last: 'Svarstad', mobile: '41620608' },
];
const sigrid = youth[6];
/** The number Sigrid answers the SMS from: no case has it, so the reply waits in the inbox. */
const SIGRIDS_OTHER_PHONE = '+4741620699';

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let kari: ConsoleUser;
let ola: ConsoleUser;
/** Ola's own API token: his calls are recorded in his name, as the page's. */
let olaApi: ApiCall;
let operator: ApiCall;
let gateway: ApiCall;

const caseOf = (row: TestRow) => caseIdOf(row.id, YEAR, stack.config.caseIdKey);
const nameOf = (row: TestRow) => `${row.first} ${row.last}`;
const listPath = `/konsoll/ringjeliste?aar=${YEAR}`;

interface ListRow {
  caseId: string;
  name: string;
  staff?: string;
  attempts: number;
}
const listOf = async (staff?: string): Promise<ListRow[]> => {
  const r = await operator('GET', `/calls?schoolYear=${YEAR}&unit=${UNIT}${staff ? `&staff=${encodeURIComponent(staff)}` : ''}`);
  expect(r.status).toBe(200);
  return r.body.rows;
};
const otukNow = async (): Promise<number> => (await operator('GET', `/counters/${YEAR}`)).body.units[UNIT].otukNow;

/** The cards of the list as the page shows them: each youth's name. */
const cards = (page: Page) => page.locator('ul.ot-calls > li');
const cardOf = (page: Page, name: string): Locator =>
  page.locator('ul.ot-calls > li').filter({ has: page.getByRole('heading', { name, exact: true }) });
const shownNames = async (page: Page) => (await page.locator('ul.ot-calls > li h3').allInnerTexts()).map((s) => s.trim()).sort();

/** With OT_SCREENSHOTS set, each page state the test checks is also saved there as a PNG (for the notes). */
async function shot(page: Page, name: string): Promise<void> {
  if (process.env.OT_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.OT_SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function openList(
  user: ConsoleUser,
  size: 'desktop' | 'phone' = 'desktop',
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await newContext(browser, api.url, size);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, user, listPath);
  await page.getByRole('heading', { name: /^Haustens telefondugnad: \d+ å ringje/ }).waitFor();
  return { context, page, problems };
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-calls', units: UNITS, reportSettleSeconds: 2 });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  kari = await consoleUser(stack, { role: 'officeStaff', units: [UNIT], displayName: 'Kari Ringjar' });
  ola = await consoleUser(stack, { role: 'caseworker', units: [UNIT], displayName: 'Ola Telefon' });
  olaApi = caller(api.url, { authorization: `Bearer ${(await createApiToken(stack.pool, ola.username, { name: 'test' })).token}` });
  operator = (await userWithToken(stack, api.url, { role: 'operator' })).call;
  gateway = (await userWithToken(stack, api.url, { role: 'smsGateway' })).call;

  // A year in days, but the autumn phone campaign opens a few seconds from now and stays open for two days.
  const t0 = Date.now();
  let cal = yearInSteps(YEAR, t0, DAY, { otherLetters: 1, autumnCampaign: [1, 2], winterCampaign: [3, 4], schoolYearEnd: 6 });
  const moments: [string, number][] = [
    ['otukCountDue', 10_000],
    ['phoneCampaigns.autumn.from', 15_000],
    ['phoneCampaigns.autumn.until', 2 * DAY],
    ['reports.november', 2 * DAY + 1000],
    ['evaluations.autumn', 2 * DAY + 2000],
    ['reports.february', 4 * DAY + 1000],
    ['reports.june', 5 * DAY],
    ['evaluations.spring', 5 * DAY + 1000],
  ];
  for (const [key, ms] of moments) cal = withCalendarValue(cal, key, new Date(t0 + ms).toISOString())!;
  await setCalendar(stack, YEAR, cal);

  await (await submitImport(stack, { fileName: 'ringjeliste.csv', content: transferFile(youth), schoolYear: YEAR, strict: false })).result();
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: YEAR, stage: 'letterDue' })).length === youth.length ? true : undefined),
    'the letters due',
  );
  const outDir = mkdtempSync(path.join(tmpdir(), 'ot-console-calls-'));
  await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by: 'Siri Systemansvarleg', outDir });
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: new Date().toISOString(), by: 'Siri' });
  // The campaign opens: every youth, still OTUK, comes onto the list, shared between the two callers.
  await eventually(async () => ((await listOf()).length === youth.length ? true : undefined), 'the call list', 90_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

describe('the call list', () => {
  it('shows each caller their own share of the unit’s list', async () => {
    const all = await listOf();
    const shares = await Promise.all(STAFF.map((s) => listOf(s)));
    expect(shares.map((s) => s.length).sort()).toEqual([3, 4]);
    expect(new Set(all.map((r) => r.staff))).toEqual(new Set(STAFF));

    for (const [i, user] of [kari, ola].entries()) {
      const { context, page, problems } = await openList(user);
      const heading = await page.getByRole('heading', { level: 3, name: /^Haustens telefondugnad/ }).innerText();
      expect(heading).toBe(`Haustens telefondugnad: ${shares[i].length} å ringje (${STAFF[i]})`);
      expect(await shownNames(page)).toEqual(shares[i].map((r) => r.name).sort());
      // Each youth's mobile is a number to dial.
      const first = cardOf(page, shares[i][0].name);
      expect(await first.getByRole('link', { name: /^\+47/ }).getAttribute('href')).toMatch(/^tel:\+47416206\d\d$/);
      await shot(page, `calls-own-${i}`);
      expect(await accessibilityViolations(page)).toEqual([]);

      // The whole unit, one choice away: every youth, with who calls them.
      await page.getByLabel('Kven si liste').selectOption('alle');
      await page.getByRole('heading', { level: 3, name: `Haustens telefondugnad: ${all.length} å ringje` }).waitFor();
      expect(await shownNames(page)).toEqual(all.map((r) => r.name).sort());
      expect(new URL(page.url()).searchParams.get('ringjar')).toBe('alle');
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('registers a call with one click, and the list and the counters follow', async () => {
    const { context, page, problems } = await openList(kari);
    const mine = await listOf('Kari Ringjar');
    const [unanswered, reached] = mine;
    const otukBefore = await otukNow();
    expect(await page.getByTestId('otuk-now').innerText()).toBe(String(otukBefore));

    // Not reached, with a note: one click; the youth stays on the list with the attempt.
    const card = cardOf(page, unanswered.name);
    await card.getByLabel('Notat om samtalen').fill('ring etter kl 16');
    await card.getByRole('button', { name: 'Ikkje nådd' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${unanswered.name}: ikkje nådd, registrert` })
      .waitFor();
    await card.getByText(/: ikkje nådd \(av Kari Ringjar\)$/).waitFor();
    expect(await card.innerText()).toMatch(/Forsøk\s+1/);
    expect(await card.innerText()).toContain('Kari Ringjar: ring etter kl 16');
    expect(await card.getByLabel('Notat om samtalen').inputValue()).toBe('');
    const journal = (await operator('GET', `/cases/${unanswered.caseId}`)).body.journal;
    expect(journal.at(-1)).toMatchObject({ event: 'CALL', by: 'Kari Ringjar', note: 'ring etter kl 16' });

    // A note the API refuses (it holds something like a national id): its reason, and the note stays typed.
    await card.getByLabel('Notat om samtalen').fill('fnr 01010112345');
    await card.getByRole('button', { name: 'Ikkje nådd' }).click();
    await card.getByText('the note looks like it holds a national id number: leave it out').waitFor();
    expect(await card.getByLabel('Notat om samtalen').getAttribute('aria-invalid')).toBe('true');
    expect(await card.getByLabel('Notat om samtalen').inputValue()).toBe('fnr 01010112345');
    await shot(page, 'calls-refused-note');
    expect(await accessibilityViolations(page)).toEqual([]);
    await card.getByLabel('Notat om samtalen').fill('');

    // Reached: the outcome is asked for first, and checked in the browser as the API checks it.
    const other = cardOf(page, reached.name);
    await other.getByRole('button', { name: 'Nådd …' }).click();
    await other.getByRole('button', { name: 'Registrer: nådd' }).click();
    await other.getByText('vel ein status').waitFor();
    await shot(page, 'calls-reached-needs-status');
    expect(await accessibilityViolations(page)).toEqual([]);
    await other.getByLabel('Status', { exact: true }).selectOption('OTAR');
    await other.getByRole('button', { name: 'Registrer: nådd' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${reached.name}: nådd, status OTAR – i arbeid. Ungdommen er teken av lista.` })
      .waitFor();
    await other.waitFor({ state: 'detached' });
    expect(await shownNames(page)).toEqual(
      mine
        .filter((r) => r.caseId !== reached.caseId)
        .map((r) => r.name)
        .sort(),
    );
    expect(await page.getByRole('heading', { level: 3, name: /^Haustens telefondugnad/ }).innerText()).toContain(`${mine.length - 1} å ringje`);
    expect((await operator('GET', `/cases/${reached.caseId}`)).body).toMatchObject({ otStatus: 'OTAR', stage: 'resolved' });

    // The counters moved: OTUK now is one less, through the API and on the page.
    expect(await otukNow()).toBe(otukBefore - 1);
    await page
      .getByTestId('otuk-now')
      .filter({ hasText: String(otukBefore - 1) })
      .waitFor();
    await shot(page, 'calls-after-reached');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a call registered by the other caller without a reload', async () => {
    const { context, page, problems } = await openList(kari);
    const loads: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && loads.push(f.url()));
    const target = (await listOf('Kari Ringjar')).find((r) => r.attempts === 0)!;
    const card = cardOf(page, target.name);
    expect(await card.innerText()).toContain('ikkje ringt enno');

    const r = await olaApi('POST', `/cases/${target.caseId}/call`, { result: 'wrongNumber', note: 'svarte ein annan' });
    expect(r.status).toBe(200);
    await card.getByText(/: feil nummer \(av Ola Telefon\)$/).waitFor({ timeout: 20_000 });
    expect(await card.innerText()).toContain('Ola Telefon: svarte ein annan');
    await card.locator('.ds-tag', { hasText: 'feil nummer' }).waitFor();
    expect(loads).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('gives a super user every unit to pick, and the whole list to read without registering', async () => {
    const superUser = await consoleUser(stack, { role: 'superUser', displayName: 'Synne Superbrukar' });
    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, superUser, `${listPath}&eining=12256`);
    await page.getByText(`Ingen telefondugnad har opna for eininga i skuleåret ${YEAR} enno.`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Eining', { exact: true }).selectOption(UNIT);
    const all = await listOf();
    await page.getByRole('heading', { level: 3, name: `Haustens telefondugnad: ${all.length} å ringje` }).waitFor();
    expect(await shownNames(page)).toEqual(all.map((r) => r.name).sort());
    // Who calls each youth is shown; a super user may read the list but not register calls.
    expect(await cardOf(page, all[0].name).innerText()).toContain(all[0].staff!);
    expect(await page.getByRole('button', { name: 'Ikkje nådd' }).count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a phone’s width without sideways scrolling', async () => {
    const { context, page, problems } = await openList(ola, 'phone');
    const width = () => page.evaluate<number>('document.documentElement.scrollWidth');
    expect(await cards(page).count()).toBeGreaterThan(0);
    expect(await width()).toBeLessThanOrEqual(390);
    await shot(page, 'calls-phone');
    expect(await accessibilityViolations(page)).toEqual([]);

    // With the reached form open, and the whole unit's list with its callers.
    const first = cards(page).first();
    await first.getByRole('button', { name: 'Nådd …' }).click();
    await first.getByRole('radio', { name: 'Send vidare til ein rådgjevar' }).check();
    await first.getByLabel('Rådgjevar', { exact: true }).waitFor();
    await shot(page, 'calls-phone-forward');
    expect(await width()).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Kven si liste').selectOption('alle');
    await page.getByRole('heading', { level: 3, name: /^Haustens telefondugnad: \d+ å ringje$/ }).waitFor();
    expect(await width()).toBeLessThanOrEqual(390);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the SMS inbox', () => {
  it('shows a reply that matched no case, and assigns it to the case found from the inbox', async () => {
    const text = 'Hei, det er Sigrid. Eg har fått lærlingplass hjå ein rørleggar.';
    const delivered = await gateway('POST', '/sms/inbound', {
      source: SIGRIDS_OTHER_PHONE,
      destination: '2062',
      userData: text,
      messageId: `console-calls-${Date.now()}`,
    });
    expect(delivered.body).toMatchObject({ status: 'unmatched' });

    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    const problems = watchProblems(page);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await signIn(page, kari, `/konsoll/svar?aar=${YEAR}`);
    await page.getByRole('heading', { level: 2, name: 'Svar som ventar' }).waitFor();
    // The inbox is the county's: other replies may wait beside this one.
    const entry = page.locator('ul.ot-inbox > li').filter({ hasText: text });
    await entry.waitFor();
    expect(await entry.getByRole('heading', { level: 3 }).innerText()).toBe(`Frå ${SIGRIDS_OTHER_PHONE}`);
    expect(await entry.innerText()).toContain('Inga open sak har dette mobilnummeret.');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A search the API would refuse is refused in the browser, by the field; then by name.
    await entry.getByRole('button', { name: 'Finn saka' }).click();
    await entry.getByLabel('Namn', { exact: true }).fill('S');
    await entry.getByRole('button', { name: 'Søk', exact: true }).click();
    await entry.getByText('name: at least 2 characters').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await entry.getByLabel('Namn', { exact: true }).fill('Sigrid Svar');
    await entry.getByRole('button', { name: 'Søk', exact: true }).click();
    await entry.getByRole('button', { name: `Gi svaret til ${nameOf(sigrid)}` }).waitFor();
    expect(await entry.getByText('1 treff').count()).toBe(1);
    await shot(page, 'inbox-search');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The national-id lookup finds the same case, and the number never goes into an address.
    await entry.getByLabel('Fødselsnummer (11 siffer)').fill(sigrid.id);
    await entry.getByRole('button', { name: 'Slå opp' }).click();
    await eventually(async () => (urls.some((u) => u.includes(`caseId=${caseOf(sigrid)}`)) ? true : undefined), 'the lookup');
    await entry.getByRole('button', { name: `Gi svaret til ${nameOf(sigrid)}` }).waitFor();
    expect(urls.filter((u) => u.includes(sigrid.id))).toEqual([]);

    await entry.getByRole('button', { name: `Gi svaret til ${nameOf(sigrid)}` }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Svaret frå ${SIGRIDS_OTHER_PHONE} er gitt til saka til ${nameOf(sigrid)}.` })
      .waitFor();
    await entry.waitFor({ state: 'detached' });
    await shot(page, 'inbox-assigned');
    const assigned = (await operator('GET', '/sms/inbox?all=true')).body.entries.find(
      (e: { inboundId: string }) => e.inboundId === delivered.body.inboundId,
    );
    expect(assigned).toMatchObject({ status: 'assigned', caseId: caseOf(sigrid), handledBy: 'Kari Ringjar' });
    const detail = (await operator('GET', `/cases/${caseOf(sigrid)}`)).body;
    expect(detail.stage).toBe('contactEstablished');
    expect(detail.journal.at(-1)).toMatchObject({ event: 'REPLY', channel: 'sms', by: 'Kari Ringjar', note: text });
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
