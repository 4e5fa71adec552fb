import { randomBytes, randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { yearInSteps } from '../../domain/trial-calendar';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The console's Operator page in headless Chromium over the real API, Temporal dev server, PostgreSQL and worker:
 * the import of a transfer file with its progress bar and rejected rows, the calendar (a refused edit, a saved one,
 * the trial calendar), a cross-check list, users made with a role and units, and the SMS campaign from start to
 * confirmation. axe-core finds no WCAG 2.1 A/AA violation in any state visited.
 */
const YEAR = 2064;

/**
 * Fictitious ids (VIGO's for people without a real one): 11 digits whose date is none, so no birth date puts them
 * outside the target group of a school year this far ahead; random, so a rerun never finds them imported already.
 */
const fictitiousId = () => `9${String(randomInt(0, 10 ** 9)).padStart(9, '0')}${randomInt(0, 10)}`;
const youth = {
  ida: { id: fictitiousId(), first: 'Ida', last: 'Ås', mobile: '+4791230001' },
  jon: { id: fictitiousId(), first: 'Jon', last: 'Berg', mobile: '+4791230002' },
  kai: { id: fictitiousId(), first: 'Kai', last: 'Dal', mobile: '+4791230003' },
  // Matched by the cross-check list: leaves the target group, so the SMS test leaves it out.
  pia: { id: fictitiousId(), first: 'Pia', last: 'Privat', mobile: '+4791230004' },
} satisfies Record<string, TestRow>;
/** Line 6 (after the header and the four above): a unit that is not configured. */
const badRow: TestRow = { id: fictitiousId(), first: 'Ola', last: 'Feil', unit: '99999' };

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let operator: ConsoleUser;
let asOperator: ApiCall;
let context: BrowserContext;
let page: Page;
let problems: string[];

/** The text of what a field's aria-describedby names: its description and the reason beside it. */
async function description(field: Locator): Promise<string> {
  return field.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id: string) => el.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

async function noViolations(): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}

/** A tab of the Operator page, by its link (a real link, so the keyboard and a new tab work). */
async function openTab(name: string, heading: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Operatørsider' }).getByRole('link', { name }).click();
  await page.getByRole('heading', { name: heading, level: 3 }).waitFor();
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-operator' });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  operator = await consoleUser(stack, { role: 'operator', displayName: 'Siri Systemeigar' });
  ({ call: asOperator } = await userWithToken(stack, api.url, { role: 'operator', name: 'Test operator' }));
  context = await newContext(browser, api.url);
  page = await context.newPage();
  problems = watchProblems(page);
  await signIn(page, operator, '/konsoll/operator');
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

it('starts on the import and imports a transfer file: the progress bar to its end, then the rejected row by line and reason', async () => {
  // The operator's menu link leads to the page, which opens its first tab.
  await page.getByRole('heading', { name: 'Importer overføringsfila', level: 3 }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/konsoll/operator/import');
  expect(await page.getByRole('navigation', { name: 'Operatørsider' }).getByRole('link').allInnerTexts()).toEqual([
    'Import',
    'Kalender',
    'SMS',
    'Krysssjekk',
    'Brukarar',
  ]);
  await noViolations();

  await page.getByRole('textbox', { name: 'Skuleår', exact: true }).fill(String(YEAR));
  await page.getByLabel('Overføringsfil (CSV)').setInputFiles({
    name: 'haust-2064.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(transferFile([...Object.values(youth), badRow])),
  });
  await page.getByRole('button', { name: 'Importer' }).click();

  // The bar is polled until the import ends, then stands full.
  const bar = page.getByRole('progressbar', { name: 'Framdrift' });
  await bar.waitFor();
  await eventually(async () => {
    const [value, max] = await bar.evaluate((p) => [p.getAttribute('value'), p.getAttribute('max')]);
    return value !== null && value === max && (await page.locator('#import-progress-text').innerText()) === 'Ferdig' ? true : undefined;
  }, 'the progress bar at its end');
  expect(new URL(page.url()).searchParams.get('aar')).toBe(String(YEAR));

  const facts = page.getByRole('table', { name: 'Samandrag' });
  await facts.waitFor();
  const fact = async (name: string) => (await facts.getByRole('row', { name: new RegExp(`^${name}`) }).innerText()).replace(/\s+/g, ' ');
  expect(await fact('Rader i fila')).toBe('Rader i fila 5');
  expect(await fact('Nye saker')).toBe('Nye saker 4');
  expect(await fact('Avviste rader')).toBe('Avviste rader 1');
  const rejected = page.getByRole('table', { name: 'Avviste rader' });
  expect((await rejected.getByRole('row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
    'Linje Grunn',
    '6 ot_eining 99999 is not a configured OT unit',
  ]);
  await noViolations();

  // The cases are there, as the API lists them.
  const cases = await asOperator('GET', `/cases?schoolYear=${YEAR}`);
  expect(cases.status).toBe(200);
  expect((cases.body.cases as { name: string }[]).map((c) => c.name).sort()).toEqual(['Ida Ås', 'Jon Berg', 'Kai Dal', 'Pia Privat']);

  // A reload shows the same import's result: its id is in the address.
  await page.reload();
  await page.getByRole('table', { name: 'Avviste rader' }).waitFor();
  expect(problems).toEqual([]);
});

it('refuses a calendar edit with a bad date, with the API reason beside the field, and saves a good one', async () => {
  await openTab('Kalender', 'Kampanjekalenderen');
  const letters = page.getByRole('group', { name: 'Brevdato per OS-kode' });
  const oson = letters.getByLabel('OSON');
  await oson.waitFor();
  // The school year chosen on the import tab is kept.
  expect(await page.getByRole('textbox', { name: 'Skuleår', exact: true }).inputValue()).toBe(String(YEAR));
  expect(await oson.inputValue()).toBe(`${YEAR}-09-10`);
  await noViolations();

  await oson.fill(`${YEAR}-13-45`);
  await page.getByRole('button', { name: 'Lagre kalenderen' }).click();
  await page.getByText('Ingenting er endra.').waitFor();
  expect(await oson.getAttribute('aria-invalid')).toBe('true');
  expect(await description(oson)).toContain('must be a date (2026-09-10) or a date and time (2026-09-10T08:00:00)');
  // What was typed stays, and nothing was stored.
  expect(await oson.inputValue()).toBe(`${YEAR}-13-45`);
  const before = await asOperator('GET', `/calendar/${YEAR}`);
  expect(before.body).toMatchObject({ version: 1, custom: false });
  await noViolations();

  // A date after the year ends: the API's reason across values, beside the same field.
  await oson.fill(`${YEAR + 2}-09-10`);
  await page.getByRole('button', { name: 'Lagre kalenderen' }).click();
  await eventually(async () => ((await description(oson)).includes('is not before the school year ends') ? true : undefined), 'the second reason');

  await oson.fill(`${YEAR}-09-12`);
  await page.getByRole('button', { name: 'Lagre kalenderen' }).click();
  await page.getByRole('status').filter({ hasText: 'Lagra som versjon' }).waitFor();
  const after = await asOperator('GET', `/calendar/${YEAR}`);
  expect(after.body).toMatchObject({ custom: true, calendar: { letters: { OSON: `${YEAR}-09-12` } } });
  expect(after.body.version).toBeGreaterThan(1);
  expect(await letters.getByLabel('OSON').inputValue()).toBe(`${YEAR}-09-12`);
  await noViolations();
  expect(problems).toEqual([]);
});

it('switches the cohort to the compressed trial calendar', async () => {
  const step = page.getByLabel('Steg i sekund');
  await step.fill('0');
  await page.getByRole('button', { name: 'Byt til prøvekalender' }).click();
  expect(await description(step)).toContain('Eit heilt tal sekund, minst 1.');

  const before = Date.now();
  await step.fill('3600');
  await page.getByRole('button', { name: 'Byt til prøvekalender' }).click();
  await page.getByRole('status').filter({ hasText: 'Prøvekalenderen er lagra' }).waitFor();
  const stored = (await asOperator('GET', `/calendar/${YEAR}`)).body;
  expect(stored.calendar.smsAfterLetters).toBe('PT3600S');
  // Every date an hour after the one before, from an hour after now: the OSON washing first, the OSON letters next.
  const washing = Date.parse(stored.calendar.washing.OSON);
  expect(washing).toBeGreaterThan(before);
  expect(Date.parse(stored.calendar.letters.OSON) - washing).toBe(3600_000);
  // The form shows the stored trial calendar.
  expect(await page.getByRole('group', { name: 'Brevdato per OS-kode' }).getByLabel('OSON').inputValue()).toBe(stored.calendar.letters.OSON);
  await noViolations();
});

it('runs a cross-check list and shows its matches', async () => {
  await openTab('Krysssjekk', 'Krysssjekk');
  await noViolations();
  await page.getByLabel('Liste').selectOption('private-school');
  // A list the API cannot read: its reason beside the file field.
  const file = page.getByLabel('Lista (CSV)');
  await file.setInputFiles({ name: 'privat.csv', mimeType: 'text/csv', buffer: Buffer.from('namn;skule\nPia;Privatskulen\n') });
  await page.getByRole('button', { name: 'Krysssjekk lista' }).click();
  await eventually(async () => ((await description(file)).includes('no fodselsnummer column') ? true : undefined), 'the reason for the file');

  await file.setInputFiles({
    name: 'privat.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`fodselsnummer;namn\n${youth.pia.id};Pia Privat\n${fictitiousId()};Ukjend Person\n`),
  });
  await page.getByRole('button', { name: 'Krysssjekk lista' }).click();
  const matches = page.getByRole('table', { name: 'Treff som vart omkoda til OTVF_IM' });
  await matches.waitFor();
  expect((await matches.getByRole('row').allInnerTexts()).slice(1).map((r) => r.replace(/\s+/g, ' ').trim())).toEqual([
    expect.stringMatching(/^2 Pia Privat 12250 /),
  ]);
  expect(await page.getByText('Ikkje i årskullet, linje 3').count()).toBe(1);
  await noViolations();
  const pia = (await asOperator('GET', `/cases?schoolYear=${YEAR}&name=Pia`)).body.cases[0];
  await eventually(async () => ((await asOperator('GET', `/cases/${pia.caseId}`)).body.otStatus === 'OTVF_IM' ? true : undefined), 'the recode');
  expect(problems).toEqual([]);
});

it('makes a user with a role and units, who can then sign in, and shows the reason for a user that cannot be made', async () => {
  await openTab('Brukarar', 'Brukarar');
  await page.getByRole('table', { name: 'Alle kontoar' }).waitFor();
  await noViolations();

  // A caseworker without a unit: the reason beside the units, and what was typed stays.
  const nils = `nils-${randomBytes(3).toString('hex')}`;
  await page.getByLabel('Brukarnamn').fill(nils);
  await page.getByLabel('Namn', { exact: true }).fill('Nils Rådgjevar');
  await page.getByLabel('Rolle').selectOption('caseworker');
  await page.getByRole('button', { name: 'Opprett brukaren' }).click();
  const units = page.getByLabel('Einingar');
  await eventually(async () => ((await units.getAttribute('aria-invalid')) === 'true' ? true : undefined), 'the reason for the units');
  expect(await description(units)).toContain('a caseworker needs at least one unit');
  expect(await page.getByLabel('Brukarnamn').inputValue()).toBe(nils);
  expect((await asOperator('GET', '/users')).body.map((u: { username: string }) => u.username)).not.toContain(nils);
  await noViolations();

  // Office staff of Bergen Sentrum, with a password of the operator's choosing.
  const kari = `kari-${randomBytes(3).toString('hex')}`;
  await page.getByLabel('Brukarnamn').fill(kari);
  await page.getByLabel('Namn', { exact: true }).fill('Kari Kontor');
  await page.getByLabel('Rolle').selectOption('officeStaff');
  await units.fill('12250');
  await page.getByLabel('Passord').fill('Karis eige lange passord');
  await page.getByRole('button', { name: 'Opprett brukaren' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `${kari} er oppretta.` })
    .waitFor();
  const row = page.getByRole('table', { name: 'Alle kontoar' }).getByRole('row').filter({ hasText: kari });
  await row.waitFor();
  expect((await row.innerText()).replace(/\s+/g, ' ')).toContain(`${kari} Kari Kontor kontortilsett 12250 aktiv`);
  expect(await units.inputValue()).toBe('');
  await noViolations();

  const karisContext = await newContext(browser, api.url);
  const karisPage = await karisContext.newPage();
  await signIn(karisPage, { username: kari, password: 'Karis eige lange passord', displayName: 'Kari Kontor' });
  await karisPage.getByRole('link', { name: 'Kari Kontor (kontortilsett)' }).waitFor();
  await karisContext.close();

  // A new password, shown once; then the account is disabled.
  await row.getByRole('button', { name: `Nytt passord til ${kari}` }).click();
  const shown = page.getByRole('status').filter({ hasText: `Nytt passord til ${kari}` });
  await shown.waitFor();
  const password = await shown.locator('code').innerText();
  expect(password.length).toBeGreaterThanOrEqual(12);
  expect((await api.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { username: kari, password } })).statusCode).toBe(200);
  await row.getByRole('button', { name: `Sperr ${kari}` }).click();
  await eventually(async () => ((await row.innerText()).includes('sperra') ? true : undefined), 'the disabled account');
  expect((await api.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { username: kari, password } })).statusCode).toBe(401);
  await noViolations();
  expect(problems).toEqual([]);
});

it('runs the SMS campaign of a unit from the page: start, export the file, confirm it went', async () => {
  // The OSON letters due now and the SMS two seconds after the mailing; the letters printed and confirmed over the API.
  const t0 = Date.now();
  const calendar = yearInSteps(YEAR, t0, 3600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 });
  expect((await asOperator('PUT', `/calendar/${YEAR}`, { calendar })).status).toBe(200);
  await eventually(async () => {
    const r = await asOperator('GET', `/cases?schoolYear=${YEAR}&stage=letterDue`);
    return r.body.cases?.length === 3 ? true : undefined;
  }, 'the letters due');
  expect((await asOperator('POST', '/letters/batches', { schoolYear: YEAR, unit: '12250', osCode: 'OSON' })).status).toBe(200);
  const sentOn = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
  const letters = await asOperator('POST', '/letters/confirm', { schoolYear: YEAR, unit: '12250', osCode: 'OSON', sentOn });
  expect(letters.body).toMatchObject({ cases: 3 });
  // The unit's campaign queues the three messages by itself a moment after the mailing (no gateway here: for export).
  await eventually(async () => {
    const q = await stack.pool.query(`SELECT count(*)::int AS n FROM sms_messages WHERE school_year = $1 AND unit = '12250' AND status = 'queued'`, [
      YEAR,
    ]);
    return q.rows[0].n === 3 ? true : undefined;
  }, 'the queued SMS');

  await openTab('SMS', 'SMS-utsendinga');
  await noViolations();
  // No unit: the API's reason beside the unit field.
  await page.getByRole('button', { name: 'Start SMS-kampanjen' }).click();
  const unit = page.getByLabel('OT-eining');
  await eventually(async () => ((await unit.getAttribute('aria-invalid')) === 'true' ? true : undefined), 'the reason for the unit');
  await noViolations();

  await unit.fill('12250');
  await page.getByRole('button', { name: 'Start SMS-kampanjen' }).click();
  // Run by hand after the campaign ran by itself: nothing is sent or queued twice.
  await page.getByRole('status').filter({ hasText: 'Sende: 0. I utboksen: 0.' }).waitFor();

  await page.getByRole('button', { name: 'Eksporter SMS-fila' }).click();
  await page.getByRole('status').filter({ hasText: 'Fila har 3 meldingar.' }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Last ned sms-12250.csv' }).click();
  const file = await download;
  expect(readFileSync(await file.path(), 'utf-8')).toMatch(/^91230001;Hei/m);
  await noViolations();
  // A second export finds nothing new: the API's reason in an alert.
  await page.getByRole('button', { name: 'Eksporter SMS-fila' }).click();
  await page.getByRole('alert').filter({ hasText: 'the outbox holds no message that is not exported already' }).waitFor();

  // A day in the future is refused beside the field; today is confirmed.
  const sent = page.getByLabel('Sendt');
  await sent.fill(`${YEAR + 1}-01-01`);
  await page.getByRole('button', { name: 'Stadfest sendinga' }).click();
  await eventually(async () => ((await description(sent)).includes('is in the future') ? true : undefined), 'the reason for the date');
  await sent.fill(sentOn);
  await page.getByRole('button', { name: 'Stadfest sendinga' }).click();
  await page.getByRole('status').filter({ hasText: 'Stadfesta: 3 saker er registrerte med SMS sendt.' }).waitFor();
  await noViolations();
  expect(problems).toEqual([]);
});
