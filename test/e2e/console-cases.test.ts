import type { Browser, Page } from 'playwright-core';
import { caseIdOf } from '../../domain/case-id';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The console's case pages in a real browser over the real stack: a caseworker of 12250 finds cases (by name, by
 * flag, by the national-id lookup, which never puts the number in a URL), opens one, sets an outcome with the
 * keyboard alone and sees it in the journal in their name; another unit's case is not found; a change made by
 * someone else meanwhile is a conflict that shows the case as it is now and keeps what was typed; a refusal says why.
 */
// Born 2037–2039: in the target group of 2061 (to 24), and a national id has no 20xx century after 2039.
const YEAR = 2061;
const nextId = idFactory();
const youth = {
  lina: { id: nextId('2039-03-05'), first: 'Lina', last: 'Lindqvist', unit: '12250', os: 'OSON', mobile: '+4791240001' },
  ola: { id: nextId('2039-06-07'), first: 'Ola', last: 'Nordbø', unit: '12250', os: 'OSUT' },
  siv: { id: nextId('2038-09-10'), first: 'Siv', last: 'Sævik', unit: '12250', os: 'OSON', mobile: '+4791240003' },
  kai: { id: nextId('2039-01-02'), first: 'Kai', last: 'Kvamme', unit: '12256', os: 'OSON', mobile: '+4791240004' },
  per: { id: nextId('2037-11-12'), first: 'Per', last: 'Prestegard', unit: '12256', os: 'OSNP' },
};
type Youth = keyof typeof youth;

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let nina: ConsoleUser;
let kari: ConsoleUser;
let tor: { displayName: string; call: ApiCall };
const caseOf = (k: Youth) => caseIdOf(youth[k].id, YEAR, stack.config.caseIdKey);

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-cases' });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  const operator = await userWithToken(stack, api.url, { role: 'operator', name: 'Siri Systemeigar' });
  const upload = await operator.call('POST', `/imports?schoolYear=${YEAR}&fileName=haust.csv`, transferFile(Object.values(youth)));
  expect(upload.status).toBe(202);
  const done = await eventually(async () => {
    const s = await operator.call('GET', upload.body.status);
    return s.body.state === 'completed' ? s.body : undefined;
  }, 'the import');
  expect(done.summary).toMatchObject({ rows: 5, created: 5, rejected: [] });
  nina = await consoleUser(stack, { role: 'caseworker', units: ['12250'], displayName: 'Nina Rådgjevar' });
  kari = await consoleUser(stack, { role: 'officeStaff', units: ['12250'], displayName: 'Kari Kontor' });
  tor = await userWithToken(stack, api.url, { role: 'caseworker', units: ['12250'], name: 'Tor Tverrå' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

/** The names in the result table, in its order. */
async function listedNames(page: Page): Promise<string[]> {
  await page.getByRole('heading', { name: 'Saker som passar' }).waitFor();
  return page.locator('table tbody tr td:first-child').allInnerTexts();
}

/**
 * Waits until the result table lists exactly these names: the URL changes before the new answer arrives, and until
 * then the table still shows the last one, so a count alone can match the old rows.
 */
async function listedAre(page: Page, names: string[]): Promise<void> {
  const same = (a: string[]) => JSON.stringify(a) === JSON.stringify(names);
  await eventually(async () => (same(await listedNames(page)) ? true : undefined), `the names ${names.join(', ')}`, 10_000).catch(() => undefined);
  expect(await listedNames(page)).toEqual(names);
}

/** Waits until the result table has this many rows. */
async function rows(page: Page, n: number): Promise<void> {
  await eventually(async () => ((await page.locator('table tbody tr').count()) === n ? true : undefined), `${n} rows`, 10_000);
}

/** A property of the element that has the focus (its text trimmed). */
function focused(page: Page, property: 'textContent' | 'name'): Promise<string | undefined> {
  return page.evaluate<string | undefined>(`document.activeElement?.${property}?.trim()`);
}

/** Presses Tab until the focus is on the element, as a keyboard user gets there. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page, 'textContent')) === name) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

it('finds cases by name, by flag and by the national-id lookup, which never puts the number in a URL', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await signIn(page, nina, `/konsoll/saker?aar=${YEAR}`);

  // A caseworker starts with their own cases: Nina holds none yet.
  await page.getByText('Du har ingen saker som passar med filtera.').waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);

  // Eininga: the unit's cases, never another unit's.
  await page.getByRole('navigation', { name: 'Kva saker' }).getByRole('link', { name: 'Eininga' }).click();
  await page.getByRole('link', { name: 'Lina Lindqvist' }).waitFor();
  expect((await listedNames(page)).sort()).toEqual(['Lina Lindqvist', 'Ola Nordbø', 'Siv Sævik']);
  expect(await page.getByRole('main').innerText()).not.toMatch(/Kvamme|Prestegard/);
  expect(await accessibilityViolations(page)).toEqual([]);

  // By part of the name; the filters are kept in the URL.
  await page.getByLabel('Namn (heilt eller delvis)').fill('lindq');
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.waitForURL(/name=lindq/);
  await listedAre(page, ['Lina Lindqvist']);
  expect(new URL(page.url()).searchParams.get('view')).toBe('unit');

  // A name too short is refused by the API, and its reason stands beside the field.
  await page.getByLabel('Namn (heilt eller delvis)').fill('l');
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.getByText('at least 2 characters').waitFor();
  expect(await page.getByLabel('Namn (heilt eller delvis)').inputValue()).toBe('l');

  // By flag: only the youth without a mobile.
  await page.getByLabel('Namn (heilt eller delvis)').fill('');
  await page.getByLabel('Merknad').selectOption('noMobile');
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.waitForURL(/flag=noMobile/);
  await listedAre(page, ['Ola Nordbø']);

  // By birth date.
  await page.getByRole('button', { name: 'Nullstill' }).click();
  await page.getByLabel('Fødselsdato').fill('2038-09-10');
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.waitForURL(/birthDate=2038-09-10/);
  await listedAre(page, ['Siv Sævik']);

  // Paging: two a page.
  await page.goto(`/konsoll/saker?aar=${YEAR}&view=unit&pageSize=2`);
  await page.getByRole('link', { name: 'Neste side' }).click();
  await page.waitForURL(/page=2/);
  await rows(page, 1);
  expect(await listedNames(page)).toEqual(['Siv Sævik']);

  // The lookup: a malformed number gets the API's reason beside the field; the right one opens the case.
  await page.getByLabel('Fødselsnummer (11 siffer)').fill('12345');
  await page.getByRole('button', { name: 'Slå opp' }).click();
  await page.getByText('fodselsnummer must be 11 digits').waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel('Fødselsnummer (11 siffer)').fill(youth.lina.id);
  await page.getByRole('button', { name: 'Slå opp' }).click();
  await page.waitForURL(new RegExp(`/konsoll/saker/${caseOf('lina')}$`));
  await page.getByRole('heading', { name: 'Lina Lindqvist', level: 2 }).waitFor();

  // A 12256 youth's number finds nothing for Nina.
  await page.goBack();
  await page.getByLabel('Fødselsnummer (11 siffer)').fill(youth.kai.id);
  await page.getByRole('button', { name: 'Slå opp' }).click();
  await page.getByText('Ingen sak i einingane dine har dette fødselsnummeret i skuleåret.').waitFor();

  const ids = Object.values(youth).map((y) => y.id);
  expect(requested.filter((u) => ids.some((id) => u.includes(id)))).toEqual([]);
  expect(requested.some((u) => u.includes('/cases/lookup'))).toBe(true);
  expect(ids.some((id) => page.url().includes(id))).toBe(false);
  expect(problems).toEqual([]);
  await context.close();
});

it('shows the case and sets an outcome with the keyboard alone; the journal shows it in her name', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, nina, `/konsoll/saker/${caseOf('lina')}`);
  await page.getByRole('heading', { name: 'Lina Lindqvist', level: 2 }).waitFor();
  const main = page.getByRole('main');
  expect(await page.getByTestId('case-status').innerText()).toBe('OSON – har ikkje søkt');
  expect(await page.getByTestId('case-stage').innerText()).toBe('Ventar på brevet');
  const facts = await main.innerText();
  expect(facts).toContain('12250');
  expect(facts).toMatch(/Neste frist\s+Brevet skal sendast: .*2061/);
  expect(facts).toContain('Ingenting er registrert på saka enno.');
  // What the case takes now and a caseworker may do; a returned letter (no letter yet, and office staff's) is not offered.
  const offered = await page.getByRole('region', { name: 'Registrer på saka' }).getByRole('button').allInnerTexts();
  expect(offered).toEqual(['Set utfall', 'Registrer svar', 'Registrer telefonsamtale', 'Ta saka', 'Nye kontaktopplysningar']);
  expect(await accessibilityViolations(page)).toEqual([]);

  await tabTo(page, 'Set utfall');
  await page.keyboard.press('Enter');
  const form = page.getByRole('form', { name: 'Set utfall' });
  await form.waitFor();
  // The focus went on to the form's first field, the code: arrow keys choose OTAR (Vel …, OTOV, OTOA, OTAP, OTKO, OTAR).
  await eventually(async () => ((await focused(page, 'name')) === 'status' ? true : undefined), 'the focus in the code field', 5000);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  expect(await form.getByLabel('Kva gjer ungdommen (UDIR-kode)').inputValue()).toBe('OTAR');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.keyboard.press('Tab'); // the channel: telefon
  await page.keyboard.press('Tab'); // the note
  await page.keyboard.type('Har fått jobb på eit lager.');
  await page.keyboard.press('Tab');
  expect(await focused(page, 'textContent')).toBe('Lagre utfallet');
  await page.keyboard.press('Space');

  await page.getByText('Registrert: Set utfall.').waitFor();
  await page.getByTestId('case-status').getByText('OTAR – i arbeid').waitFor();
  expect(await page.getByTestId('case-stage').innerText()).toBe('Avklart');
  const entry = page.locator('.ot-journal__entry').first();
  const text = await entry.innerText();
  expect(text).toContain('Utfall sett');
  expect(text).toContain('Nina Rådgjevar');
  expect(text).toContain('telefon');
  expect(text).toContain('OSON → OTAR – i arbeid');
  expect(text).toContain('Har fått jobb på eit lager.');
  // The time is Norwegian time, as the API recorded it.
  const at = await entry.locator('time').getAttribute('datetime');
  const [hh, mm] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit' }).format(new Date(at!)).split(':');
  expect(text).toMatch(new RegExp(`${hh}[:.]${mm}`));
  // Written the Norwegian way in an English browser (test/support/browser.ts): "2. des. 2026", not "Dec 2, 2026".
  expect(text).toMatch(/\d{1,2}\. (jan|feb|mar|apr|mai|jun|jul|aug|sep|okt|nov|des)\.? \d{4}/);
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(problems).toEqual([]);

  // A reply passed on to her makes the case hers: it is in Mine saker.
  expect((await tor.call('POST', `/cases/${caseOf('lina')}/reply`, { channel: 'email', forwardTo: 'Nina Rådgjevar' })).status).toBe(200);
  await page.goto(`/konsoll/saker?aar=${YEAR}&view=mine`);
  await page.getByRole('link', { name: 'Lina Lindqvist' }).waitFor();
  expect(await listedNames(page)).toEqual(['Lina Lindqvist']);
  await context.close();
});

it("answers a 12256 case's URL with not found, and nothing of the case", async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().includes(`/cases/${caseOf('kai')}`)) statuses.push(r.status());
  });
  await signIn(page, nina, `/konsoll/saker/${caseOf('kai')}`);
  await page.getByRole('heading', { name: 'Fann ikkje saka', level: 2 }).waitFor();
  expect(statuses).toContain(404);
  const text = await page.getByRole('main').innerText();
  expect(text).toContain('Det finst inga sak med dette saksnummeret i einingane dine.');
  expect(text).not.toMatch(/Kvamme|12256|OSON|Noko gjekk gale/);
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});

it('shows a conflict with the case as it is now and keeps the note typed; sent again, it goes through', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, nina, `/konsoll/saker/${caseOf('ola')}`);
  await page.getByRole('heading', { name: 'Ola Nordbø', level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Set utfall' }).click();
  const form = page.getByRole('form', { name: 'Set utfall' });
  await form.getByLabel('Kva gjer ungdommen (UDIR-kode)').selectOption('OTOV');
  await form.getByLabel('Notat').fill('Vil ha rettleiing om lærlingplass.');

  // Behind the page's back, Tor registers a reply on the same case.
  const reply = await tor.call('POST', `/cases/${caseOf('ola')}/reply`, { channel: 'phone', note: 'Ringde sjølv.' });
  expect(reply.status).toBe(200);

  await form.getByRole('button', { name: 'Lagre utfallet' }).click();
  const alert = form.getByRole('alert');
  await alert.getByText('Nokon andre har endra saka medan du hadde skjemaet ope').waitFor();
  const said = await alert.innerText();
  expect(said).toContain('steg «Kontakt oppretta»');
  expect(said).toContain('Svar registrert av Tor Tverrå');
  expect(await form.getByLabel('Notat').inputValue()).toBe('Vil ha rettleiing om lærlingplass.');
  expect(await form.getByLabel('Kva gjer ungdommen (UDIR-kode)').inputValue()).toBe('OTOV');
  // The page shows the case as it is now, Tor's reply in the journal.
  await page.getByTestId('case-stage').getByText('Kontakt oppretta').waitFor();
  expect(await page.locator('.ot-journal__entry').first().innerText()).toContain('Tor Tverrå');
  expect(await accessibilityViolations(page)).toEqual([]);

  await form.getByRole('button', { name: 'Lagre utfallet' }).click();
  await page.getByText('Registrert: Set utfall.').waitFor();
  await page.getByTestId('case-stage').getByText('Under oppfølging').waitFor();
  const journal = await page.locator('.ot-journal__entry').allInnerTexts();
  expect(journal).toHaveLength(2);
  expect(journal[0]).toContain('Nina Rådgjevar');
  expect(journal[0]).toContain('Vil ha rettleiing om lærlingplass.');
  expect(problems).toEqual([]);
  await context.close();
});

it('shows a refusal in words and a missing code beside its field, keeping what was typed', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  await signIn(page, nina, `/konsoll/saker/${caseOf('siv')}`);
  await page.getByRole('heading', { name: 'Siv Sævik', level: 2 }).waitFor();
  await page.getByRole('button', { name: 'Set utfall' }).click();
  const form = page.getByRole('form', { name: 'Set utfall' });
  const note = 'Mor ringde, fnr 010203 12345, vil ha brev.';
  await form.getByLabel('Notat').fill(note);

  // No code chosen: the API's reason beside the field.
  await form.getByRole('button', { name: 'Lagre utfallet' }).click();
  await form.getByText(/^Invalid input/).waitFor();
  expect(await form.getByLabel('Kva gjer ungdommen (UDIR-kode)').getAttribute('aria-invalid')).toBe('true');

  // The case refuses a note that holds a national id: the reason in words, the note still there to mend.
  await form.getByLabel('Kva gjer ungdommen (UDIR-kode)').selectOption('OTEV');
  await form.getByRole('button', { name: 'Lagre utfallet' }).click();
  const alert = form.getByRole('alert');
  await alert.getByText('Saka tok ikkje imot dette').waitFor();
  expect(await alert.innerText()).toContain('the note looks like it holds a national id number: leave it out');
  expect(await form.getByLabel('Notat').inputValue()).toBe(note);
  expect(await page.getByTestId('case-status').innerText()).toBe('OSON – har ikkje søkt');
  expect(await accessibilityViolations(page)).toEqual([]);

  await form.getByLabel('Notat').fill('Mor ringde, vil ha brev.');
  await form.getByRole('button', { name: 'Lagre utfallet' }).click();
  await page.getByTestId('case-status').getByText('OTEV – elev').waitFor();
  await context.close();
});

it('offers office staff only what their role may do on the case', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  await signIn(page, kari, `/konsoll/saker/${'0'.repeat(24)}`);
  // A case id of nobody: not found, as for another unit's.
  await page.getByRole('heading', { name: 'Fann ikkje saka', level: 2 }).waitFor();
  await page.goto(`/konsoll/saker?aar=${YEAR}`);
  // Office staff hold no cases: no Mine saker, the unit's list at once.
  expect(await page.getByRole('navigation', { name: 'Kva saker' }).count()).toBe(0);
  await page.getByRole('link', { name: 'Ola Nordbø' }).click();
  await page.getByRole('heading', { name: 'Ola Nordbø', level: 2 }).waitFor();
  const offered = await page.getByRole('region', { name: 'Registrer på saka' }).getByRole('button').allInnerTexts();
  expect(offered).toEqual(['Registrer svar', 'Registrer telefonsamtale']);
  await page.getByRole('button', { name: 'Registrer telefonsamtale' }).click();
  const form = page.getByRole('form', { name: 'Registrer telefonsamtale' });
  // Ola has no mobile: a wrong number cannot be registered, so it is not offered.
  expect(await form.getByRole('radio').count()).toBe(1);
  await form.getByLabel('Notat').fill('Ingen svar på heimenummeret.');
  await form.getByRole('button', { name: 'Lagre samtalen' }).click();
  await page.getByText('Registrert: Registrer telefonsamtale.').waitFor();
  await page.locator('.ot-journal__entry').first().getByText('Ingen svar på heimenummeret.').waitFor();
  expect(await page.locator('.ot-journal__entry').first().innerText()).toMatch(
    /^Telefonsamtale[\s\S]*Kari Kontor[\s\S]*Ingen svar på heimenummeret\./,
  );
  expect(await accessibilityViolations(page)).toEqual([]);
  // Back to the list as it was searched.
  await page.getByRole('link', { name: 'Tilbake til sakene' }).click();
  await page.getByRole('link', { name: 'Ola Nordbø' }).waitFor();
  expect(new URL(page.url()).searchParams.get('aar')).toBe(String(YEAR));
  await context.close();
});

it('lets a county-wide super user pick the unit whose cases to list', async () => {
  const superUser = await consoleUser(stack, { role: 'superUser', displayName: 'Sunniva Superbrukar' });
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  await signIn(page, superUser, `/konsoll/saker?aar=${YEAR}`);
  await page.getByRole('link', { name: 'Lina Lindqvist' }).waitFor();
  expect(await listedNames(page)).toHaveLength(5);
  await page.getByLabel('Eining', { exact: true }).selectOption({ label: '12256 Bergen Sør' });
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await page.waitForURL(/unit=12256/);
  await rows(page, 2);
  expect((await listedNames(page)).sort()).toEqual(['Kai Kvamme', 'Per Prestegard']);
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});
