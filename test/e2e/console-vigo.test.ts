import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { submitImport } from '../../client/use-cases/cohort-import';
import { caseIdOf } from '../../domain/case-id';
import { startApi } from '../support/api';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The console's page for the return to VIGO in Chromium, on the real stack: a caseworker of 12250 sees the unit's cases out
 * of the target group, downloads the file for VIGO and the admissions office's list of the Feil cases, marks them sent back,
 * and sees who and when; the page passes axe's WCAG 2.1 A and AA checks.
 */
const YEAR = 2089;
const UNIT = '12250';
const nextId = idFactory();
const valid = { feil: nextId('2032-03-04'), abroad: nextId('2032-05-06') };
const feilId = `${valid.feil.slice(0, 10)}${(Number(valid.feil[10]) + 1) % 10}`;

let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let browser: Browser;
let nils: ConsoleUser;

async function download(page: Page, name: string | RegExp): Promise<string> {
  const link = page.getByRole('main').getByRole('link', { name }).first();
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFileSync(await file.path(), 'utf8');
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'console-vigo', dataDir: mkdtempSync(path.join(tmpdir(), 'ot-console-vigo-')) });
  await stack.startWorker();
  api = await startApi(stack);
  browser = await launchBrowser();
  nils = await consoleUser(stack, { role: 'caseworker', units: [UNIT], displayName: 'Nils Rådgjevar' });
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 70) ON CONFLICT (school_year) DO UPDATE SET age_limit = 70', [
    YEAR,
  ]);
  const file = transferFile([
    { id: feilId, first: 'Frida', last: 'Feilsen', address: null },
    { id: valid.abroad, first: 'Ulla', last: 'Utland', status: 'OTFU' },
  ]);
  await (await submitImport(stack, { fileName: 'vigo.csv', content: file, schoolYear: YEAR, strict: true })).result();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.app.close();
  await stack?.close();
});

it('lists the cases out of the target group, offers their files, and marks them sent back with who and when', async () => {
  const context = await newContext(browser, api.url);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await signIn(page, nils, `/konsoll/vigo?aar=${YEAR}`);
  await page.getByRole('heading', { level: 2, name: 'Tilbake til VIGO' }).waitFor();
  const table = page.getByRole('main').getByRole('table');
  await table.getByRole('row', { name: /Frida Feilsen/ }).waitFor();
  expect(await table.getByRole('row', { name: /Frida Feilsen/ }).innerText()).toMatch(/Feil[\s\S]*ikkje enno/);
  expect(await table.getByRole('row', { name: /Ulla Utland/ }).innerText()).toMatch(/OTFU_IM[\s\S]*ikkje enno/);
  expect(await page.getByRole('main').innerText()).not.toContain(valid.abroad);
  expect(await accessibilityViolations(page)).toEqual([]);

  const vigo = await download(page, 'Fila til VIGO (CSV)');
  expect(vigo).toContain(valid.abroad);
  expect(vigo).toContain(feilId);
  const feil = await download(page, 'Feil-sakene til inntakskontoret (CSV)');
  expect(feil).toContain('Frida Feilsen');
  expect(feil).not.toContain('Ulla');
  expect(feil).not.toContain(feilId);

  await page.getByRole('button', { name: 'Merk 2 saker som sende til VIGO' }).click();
  await page.getByRole('status').filter({ hasText: '2 saker er merkte som sende tilbake til VIGO, 1 av dei til inntakskontoret (Feil).' }).waitFor();
  await eventually(
    async () => ((await table.getByRole('row', { name: /Frida Feilsen/ }).innerText()).includes('av Nils Rådgjevar') ? true : undefined),
    'the return shown with who',
  );
  expect(await page.getByRole('button', { name: /Merk .* som sende/ }).count()).toBe(0);
  expect(await accessibilityViolations(page)).toEqual([]);

  // What the NAV meeting learned, uploaded: the good row applied as from NAV, the bad one refused by its line.
  const feilCase = caseIdOf(feilId, YEAR, stack.config.caseIdKey);
  await page.getByLabel('Fila frå møtet (CSV)').setInputFiles({
    name: 'nav-mote.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`saksref;adresse;postnummer;poststad\r\n${feilCase};Nygata 2;5003;Bergen\r\nnot-a-case;;;\r\n`),
  });
  await page.getByRole('button', { name: 'Les inn' }).click();
  await page.getByRole('status').filter({ hasText: '1 rader lagde inn, 0 uendra, 1 avviste.' }).waitFor();
  expect(await page.getByRole('table', { name: 'Avvist' }).innerText()).toMatch(/3\s+saksref must be a case id/);
  expect(await page.getByRole('table', { name: 'Lagt inn' }).innerText()).toContain('address');
  const stored = await stack.pool.query('SELECT address FROM persons WHERE case_id = $1', [feilCase]);
  expect(stored.rows[0].address).toEqual({ street: 'Nygata 2', postcode: '5003', city: 'Bergen' });
  expect(await accessibilityViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await context.close();
});
