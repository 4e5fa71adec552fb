import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { storedSnapshot } from '../../db/report-snapshots';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { withCalendarValue } from '../../workflows/calendar';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The console's letters page and overview in Chromium, on the real stack: office staff of 12250 print their
 * unit's batch, download the PDF and the lists, confirm the mailing and register a returned letter; the held
 * letters and the admissions office's list are on the page. A leader sees the counters, the OTUK chart and the
 * reports, downloads a report as XLSX and CSV, and the page names no youth and no case.
 */
const YEAR = 2063;
const UNIT = '12250';
const nextId = idFactory();
// Born in 2039: in the target group of school year 2063 (age limit 24).
const youth = {
  anna: {
    id: nextId('2039-02-01'),
    first: 'Anna',
    last: 'Brekkestø',
    address: ['Strandgaten 1', '5013', 'Bergen'],
    address2: ['Kalfarveien 9', '5018', 'Bergen'],
  },
  bjorn: { id: nextId('2039-03-01'), first: 'Bjørn', last: 'Dalsbotn', address: ['Nygårdsgaten 2', '5015', 'Bergen'] },
  // Her street goes missing after the import: the batch holds her letter back.
  cecilie: { id: nextId('2039-04-01'), first: 'Cecilie', last: 'Haldorsen', address: ['Møhlenpris 3', '5006', 'Bergen'] },
  // No address at all: on the admissions office's list.
  nora: { id: nextId('2039-05-01'), first: 'Nora', last: 'Utanadresse', address: null },
  olav: { id: nextId('2039-06-01'), first: 'Olav', last: 'Sørbøen', address: ['Fjøsangerveien 4', '5054', 'Bergen'], unit: '12256' },
} satisfies Record<string, TestRow & { address: unknown }>;
type Youth = keyof typeof youth;
const NAMES = Object.values(youth).flatMap((y) => [y.first, y.last]);

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let office: ConsoleUser;
let leader: ConsoleUser;
let asOperator: ApiCall;
const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const todayInOslo = () =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

async function caseNow(who: Youth) {
  const r = await asOperator('GET', `/cases/${caseOf(who)}`);
  expect(r.status).toBe(200);
  return r.body;
}

/** A file the page offers by a link: clicked as a user clicks it, and read back from the download. */
async function download(page: Page, name: string | RegExp, within = page.getByRole('main')): Promise<Buffer> {
  const link = within.getByRole('link', { name }).first();
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFileSync(await file.path());
}

/** With OT_SCREENSHOTS=DIR, each page state the test checks is also kept as a full-page screenshot there (for the notes). */
async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.OT_SCREENSHOTS) await page.screenshot({ path: path.join(process.env.OT_SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the text read (a part of the page, polled as the page polls) matches; fails showing the last text seen. */
async function shows(read: () => Promise<string>, match: string | RegExp, timeoutMs = 30_000): Promise<string> {
  let last = '';
  try {
    return await eventually(
      async () => {
        last = await read();
        return (typeof match === 'string' ? last.includes(match) : match.test(last)) ? last : undefined;
      },
      String(match),
      timeoutMs,
    );
  } catch {
    throw new Error(`the page never showed ${String(match)}; last it showed:\n${last}`);
  }
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-letters', reportSettleSeconds: 2 });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  office = await consoleUser(stack, { role: 'officeStaff', units: [UNIT], displayName: 'Kari Kontor' });
  leader = await consoleUser(stack, { role: 'leader', displayName: 'Lise Leiar' });
  asOperator = (await userWithToken(stack, api.url, { role: 'operator' })).call;

  const t0 = Math.ceil(Date.now() / 1000) * 1000;
  const DAY = 86_400_000;
  // The OSON letters are due at once; the OTUK count is taken a minute in, so its report is stored during the test.
  let calendar = yearInSteps(YEAR, t0, DAY, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 });
  calendar = withCalendarValue(calendar, 'otukCountDue', new Date(t0 + 60_000).toISOString())!;
  await setCalendar(stack, YEAR, calendar);
  const rows: TestRow[] = Object.values(youth).map((y) => ({ ...y, address: y.address }));
  await (await submitImport(stack, { fileName: 'brev.csv', content: transferFile(rows), schoolYear: YEAR, strict: true })).result();
  await eventually(async () => {
    const r = await stack.pool.query(`SELECT count(*)::int AS n FROM cases WHERE school_year = $1 AND stage = 'letterDue'`, [YEAR]);
    return r.rows[0].n === 4 ? true : undefined;
  }, 'the letters due');
  // Cecilie's street is lost after the import (a bad update): her letter cannot be printed.
  await stack.pool.query(`UPDATE persons SET address = jsonb_set(address, '{street}', '""') WHERE case_id = $1`, [caseOf('cecilie')]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

describe('the letters page', () => {
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    context = await newContext(browser, api.url);
    page = await context.newPage();
    problems = watchProblems(page);
    await signIn(page, office, `/konsoll/brev?aar=${YEAR}`);
  });
  afterAll(async () => {
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows the unit's letters due, held back and without address, and prints the batch: a real PDF and its lists", async () => {
    await page.getByRole('heading', { level: 2, name: 'Brev' }).waitFor();
    const codes = page.getByRole('table').filter({ hasText: 'Klare til utskrift' });
    const oson = codes.getByRole('row', { name: /OSON/ });
    await shows(() => oson.innerText(), /OSON\s+3\s+0\s+0/);
    await page.getByRole('heading', { name: 'Lista til inntakskontoret' }).waitFor();
    await shows(() => page.getByRole('region', { name: 'Lista til inntakskontoret' }).innerText(), 'Nora Utanadresse');
    expect(await page.getByRole('region', { name: 'Lista til inntakskontoret' }).innerText()).toContain('ingen kjend adresse');
    await shows(() => page.getByRole('region', { name: 'Haldne brev' }).innerText(), 'Ingen brev er haldne tilbake.');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'letters-before-print');

    await page.getByRole('button', { name: 'Skriv ut brev for OSON' }).click();
    const printed = page.getByRole('status').filter({ hasText: 'Bunke 1 for OSON er klar' });
    await printed.waitFor();
    expect(await printed.innerText()).toMatch(/2 brev på 4 sider \(2 standardbrev, 0 sende på nytt, 0 kopiar til føresette\), 1 haldne tilbake/);

    const pdf = await download(page, 'Breva (PDF)', printed);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const csv = (await download(page, 'Brevlista (CSV)', printed)).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFnr;postnummer;poststad;mottakar;adresse;brev;saksref');
    expect(csv).toContain(`Anna Brekkestø;Strandgaten 1;standardbrev;${caseOf('anna')}`);
    expect(csv).toContain(caseOf('bjorn'));
    expect(csv).not.toContain('Cecilie');
    const xlsx = await download(page, 'Brevlista (XLSX)', printed);
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
    const held = (await download(page, 'Haldne brev (CSV)', printed)).toString('utf8');
    expect(held).toContain('Cecilie Haldorsen;ungdom;the address has no street');

    // The page follows: the batch is listed with its files, the held letter and the letters waiting for confirmation.
    await shows(() => oson.innerText(), /OSON\s+1\s+0\s+2/);
    const batches = page.getByRole('region', { name: 'Utskrivne bunkar' });
    await shows(() => batches.innerText(), /ventar på stadfesting/);
    expect(await batches.getByRole('link', { name: 'Breva (PDF)' }).count()).toBe(1);
    await shows(() => page.getByRole('region', { name: 'Haldne brev' }).innerText(), /Cecilie Haldorsen\s+ungdomen\s+adressa manglar gateadresse/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'letters-printed');
  });

  it('confirms the batch as sent on a date: a date ahead is refused beside the field, then the cases are recoded', async () => {
    const form = page.getByRole('region', { name: 'Stadfest at breva er sende' });
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
    await form.getByLabel('Sendt dato').fill(tomorrow);
    await form.getByRole('button', { name: 'Stadfest at breva er sende' }).click();
    await shows(() => form.innerText(), 'is in the future');
    expect(await form.getByLabel('Sendt dato').inputValue()).toBe(tomorrow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'letters-future-date');

    await form.getByLabel('Sendt dato').fill(todayInOslo());
    await form.getByRole('button', { name: 'Stadfest at breva er sende' }).click();
    await form.getByRole('status').filter({ hasText: 'Breva for OSON er stadfesta sende: 2 saker blir omkoda til OTUK.' }).waitFor();
    // The mailing's progress, polled: both cases told and recoded.
    const mailings = page.getByRole('region', { name: 'Utsendingar' });
    await shows(() => mailings.innerText(), /2 av 2 saker/);
    expect(await mailings.innerText()).toContain('Kari Kontor');
    await shows(() => page.getByRole('region', { name: 'Utskrivne bunkar' }).innerText(), /sendt \d/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'letters-confirmed');

    for (const who of ['anna', 'bjorn'] as const) {
      const c = await caseNow(who);
      expect([who, c.otStatus, c.letter?.sentOn]).toEqual([who, 'OTUK', todayInOslo()]);
      expect(c.journal.find((e: { event: string }) => e.event === 'LETTERS_SENT')).toMatchObject({ by: 'Kari Kontor' });
    }
    expect((await caseNow('cecilie')).stage).toBe('letterDue');
  });

  it('registers a returned letter from the page, after finding the case; a too short search is refused beside the field', async () => {
    const section = page.getByRole('region', { name: 'Registrer brev i retur' });
    await section.getByLabel('Saksreferanse eller namn').fill('A');
    await section.getByRole('button', { name: 'Finn saka' }).click();
    await shows(() => section.innerText(), 'at least 2 characters');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'letters-search-refused');

    await section.getByLabel('Saksreferanse eller namn').fill(caseOf('anna'));
    await section.getByRole('button', { name: 'Finn saka' }).click();
    const row = section.getByRole('row', { name: /Anna Brekkestø/ });
    await row.waitFor();
    expect(await section.getByRole('row').count()).toBe(2); // the header and Anna
    await section.getByLabel('Merknad til returen (valfri)').fill('adressat ukjend');
    await row.getByRole('button', { name: 'Registrer retur for Anna Brekkestø' }).click();
    await section.getByRole('status').filter({ hasText: 'Returen er registrert for Anna Brekkestø' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'letters-returned');

    const anna = await caseNow('anna');
    expect(anna.letter).toMatchObject({ returns: 1 });
    expect(anna.journal.at(-1)).toMatchObject({ event: 'LETTER_RETURNED', by: 'Kari Kontor', note: 'adressat ukjend' });
    // She has a second address: the next batch sends it there.
    const oson = page.getByRole('table').filter({ hasText: 'Klare til utskrift' }).getByRole('row', { name: /OSON/ });
    await shows(() => oson.innerText(), /OSON\s+1\s+1\s+0/);

    // The same letter again is refused in the API's words.
    await row.getByRole('button', { name: 'Registrer retur for Anna Brekkestø' }).click();
    await section.getByRole('alert').waitFor();
    expect(await section.getByRole('alert').innerText()).toMatch(/^Returen vart ikkje registrert\s+\S/);
  });

  it('keeps the school year chosen on one page for the next page of the menu', async () => {
    await page.getByRole('navigation', { name: 'Hovudmeny' }).getByRole('link', { name: 'Oversikt' }).click();
    await page.getByRole('heading', { name: 'Oversikt' }).waitFor();
    expect(await page.getByLabel('Skuleår').inputValue()).toBe(String(YEAR));
  });
});

describe('the overview, for a leader', () => {
  it('shows the counters, the OTUK chart and the reports, names no youth and no case, and downloads a report as XLSX and CSV', async () => {
    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await signIn(page, leader, `/konsoll/oversikt?aar=${YEAR}`);
    await page.getByRole('heading', { level: 2, name: 'Oversikt' }).waitFor();
    expect(await page.getByLabel('Skuleår').inputValue()).toBe(String(YEAR));
    const county = (counter: string) => page.locator(`[data-counter="${counter}"]`).innerText();
    await shows(() => county('osBefore'), /^5$/);
    expect(await county('lettersToYouth')).toBe('2');
    const counters = page.getByRole('table').filter({ hasText: 'Brev sende til ungdom' });
    expect(await counters.getByRole('row', { name: /^Ungdom med OS-kode \(overførte\)/ }).innerText()).toMatch(/5\s+4\s+1/);

    const chart = page.getByRole('img', { name: 'OTUK over tid: Heile fylket' });
    await chart.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('region', { name: 'OTUK gjennom året' }).innerText()).toMatch(/gjekk talet på OTUK frå \d+ til 2/);
    await page.getByText('Tala i diagrammet som tabell').click();
    const figures = page.getByRole('table', { name: 'OTUK ved starten, ved kvar endring og no' });
    await figures.waitFor();
    expect(await figures.getByRole('row').count()).toBeGreaterThan(2); // the header, the start and now at least
    expect(await figures.innerText()).toMatch(/\s2$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'overview-chart');

    // The OTUK count is taken by its schedule during the test: its row offers the files.
    await eventually(() => storedSnapshot(stack.pool, YEAR, 'otukCount'), 'the OTUK count stored', 150_000);
    const reports = page.getByRole('region', { name: 'Rapportar' });
    const counted = reports.getByRole('row', { name: /OTUK-teljinga/ });
    await counted.getByRole('link', { name: 'OTUK-teljinga som XLSX' }).waitFor({ timeout: 30_000 });
    const xlsx = await download(page, 'OTUK-teljinga som XLSX', reports);
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
    const csvHref = (await counted.getByRole('link', { name: 'OTUK-teljinga som CSV' }).getAttribute('href'))!;
    const csv = await page.request.get(csvHref);
    expect([csv.status(), csv.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^\uFEFFunit;unit name;total;/);
    expect(await download(page, 'OTUK-teljinga som CSV', reports)).toBeTruthy();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'overview-report');

    // Nothing personal: no youth's name and no case id anywhere on the page, nor in the report.
    const text = await page.locator('body').innerText();
    const html = await page.content();
    for (const name of NAMES) expect([name, text.includes(name), html.includes(name)]).toEqual([name, false, false]);
    for (const who of Object.keys(youth) as Youth[]) expect([who, html.includes(caseOf(who))]).toEqual([who, false]);
    expect(await csv.text()).not.toMatch(new RegExp(NAMES.join('|')));
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
