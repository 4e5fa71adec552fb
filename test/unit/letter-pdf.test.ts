import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseIdOf } from '../../domain/case-id';
import { LetterDataError, renderLetters, writeLetters, type LetterSetting, type LetterToPrint } from '../../domain/letter-pdf';
import { loadLetterTemplate, parseLetterTemplate, LetterTemplateError } from '../../domain/letter-template';
import type { OtUnit } from '../../schemas/units';
import { readPdf, type PdfReading } from '../support/pdf-text';

/** Letters rendered and read back with PDF.js: what the office prints is what the youth reads. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ot-letter-pdf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UNIT: OtUnit = {
  code: '12250',
  name: 'Bergen Sentrum',
  address: { street: 'Postboks 7900', postcode: '5020', city: 'Bergen' },
  contact: { name: 'Kari Rådgjevar', phone: '55 23 90 00', email: 'ot.sentrum@example.no' },
};
const KEY = 'a-test-key-of-some-length';
// Real case ids are keyed hashes of the national id: the national id itself is never an input.
const ref = (n: number) => caseIdOf(`0101090${String(n).padStart(4, '0')}`, 2026, KEY);
const grouped = (caseRef: string) => caseRef.match(/.{4}/g)!.join(' ');

const SAMI: LetterToPrint = {
  kind: 'youthAndGuardians',
  addressee: ['Áŋŋá Sárá Bieđđa', 'og føresette'],
  address: { street: 'Nygårdsgaten 12 B', postcode: '5015', city: 'Bergen' },
  youth: { firstName: 'Áŋŋá Sárá', lastName: 'Bieđđa' },
  caseRef: ref(1),
};
const POLISH: LetterToPrint = {
  kind: 'youth',
  addressee: ['Łukasz Wójcik'],
  address: { street: 'Fanavegen 3', postcode: '5221', city: 'Nesttun' },
  youth: { firstName: 'Łukasz', lastName: 'Wójcik' },
  caseRef: ref(2),
};
const GUARDIAN_COPY: LetterToPrint = {
  kind: 'guardianCopy',
  addressee: ['Per Øvretveit Sæther'],
  address: { street: 'Sætrevegen 41', postcode: '5918', city: 'Frekhaug' },
  youth: { firstName: 'Åse', lastName: 'Sæther' },
  caseRef: ref(3),
};
const LETTERS = [SAMI, POLISH, GUARDIAN_COPY];

const setting = (language: 'nn' | 'nb' = 'nn', over: Partial<LetterSetting> = {}): LetterSetting => ({
  unit: UNIT,
  schoolYear: 2026,
  letterDate: '2026-09-10',
  template: loadLetterTemplate(dir, 2026, language),
  ...over,
});

const MM = 72 / 25.4;

describe('a batch of three letters in Nynorsk', () => {
  let pdf: Buffer;
  let read: PdfReading;
  beforeAll(async () => {
    pdf = await renderLetters(LETTERS, setting());
    read = await readPdf(pdf);
  });

  test('two pages per letter, in the order given', () => {
    expect(read.pages).toHaveLength(6);
    expect(read.pages[0]).toContain('Áŋŋá Sárá Bieđđa');
    expect(read.pages[2]).toContain('Łukasz Wójcik');
    expect(read.pages[4]).toContain('Per Øvretveit Sæther');
  });

  test('the letter: addressee and address, date, reference, subject, greeting, body and signature', () => {
    const page = read.pages[0];
    for (const line of ['Áŋŋá Sárá Bieđđa', 'og føresette', 'Nygårdsgaten 12 B', '5015 Bergen']) expect(page).toContain(line);
    expect(page).toContain('Oppfølgingstenesta Bergen Sentrum');
    expect(page).toContain('Postboks 7900, 5020 Bergen');
    expect(page).toContain('Dato: 10. september 2026');
    expect(page).toContain(`Vår ref.: ${grouped(SAMI.caseRef)}`);
    expect(page).toContain('Kva gjer du skuleåret 2026–2027?');
    expect(page).toContain('Hei, Áŋŋá Sárá!');
    expect(page).toContain('opplæringslova');
    expect(page).toContain('Telefon og SMS: 55 23 90 00');
    expect(page).toMatch(/Helsing\s+Kari Rådgjevar\s+Oppfølgingstenesta Bergen Sentrum\s*$/);
    expect(read.pages[2]).toContain('Hei, Łukasz!');
    for (const line of ['Fanavegen 3', '5221 Nesttun']) expect(read.pages[2]).toContain(line);
  });

  test('the reply sheet: heading, prefilled name and reference, the choices, where to send it', () => {
    for (const [i, letter] of LETTERS.entries()) {
      const sheet = read.pages[2 * i + 1];
      expect(sheet).toContain('Svarark til Oppfølgingstenesta Bergen Sentrum');
      expect(sheet).toContain(`Namn: ${letter.youth.firstName} ${letter.youth.lastName}`);
      expect(sheet).toContain(grouped(letter.caseRef));
      for (const choice of [
        'Eg går på skule',
        'Eg er lærling eller lærekandidat',
        'Eg er i arbeid',
        'Eg ønskjer rettleiing',
        'Anna:',
        'Telefon:',
        'E-post:',
      ]) {
        expect(sheet).toContain(choice);
      }
      expect(sheet).toMatch(/Send svararket til:\s+Oppfølgingstenesta Bergen Sentrum\s+Postboks 7900, 5020 Bergen/);
    }
  });

  test('only the guardian copy says it is one; it still writes to the youth', () => {
    expect(read.pages[4]).toContain('Kopi til føresett');
    expect(read.pages[4]).toContain('Hei, Åse!');
    for (const i of [0, 1, 2, 3, 5]) expect(read.pages[i]).not.toContain('Kopi til');
  });

  test('no 11-digit run (a national id) anywhere', () => {
    for (const page of read.pages) expect(page.replace(/\s+/g, ' ')).not.toMatch(/\d{11}/);
    expect(read.pages.join(' ')).not.toMatch(/\d{6} ?\d{5}/);
  });

  test('the addressee and address sit inside a C5/C4 envelope window (20 mm from the left, 45 mm from the top, 90 × 35 mm)', () => {
    for (const [i, letter] of LETTERS.entries()) {
      const wanted = [...letter.addressee, letter.address.street, `${letter.address.postcode} ${letter.address.city}`];
      for (const str of wanted) {
        const item = read.items.find((it) => it.page === 2 * i + 1 && it.str === str);
        expect(item).toBeDefined();
        const { x, width, baseline, size } = item!;
        // Glyphs reach about 0.93 em above the baseline and 0.24 em below it.
        expect(x).toBeGreaterThanOrEqual(20 * MM);
        expect(x + width).toBeLessThanOrEqual(110 * MM);
        expect(baseline - 0.93 * size).toBeGreaterThanOrEqual(45 * MM);
        expect(baseline + 0.24 * size).toBeLessThanOrEqual(80 * MM);
      }
    }
  });

  test('metadata: a title, the letter date, and no personal data', () => {
    expect(read.info.Title).toBe('Standardbrev OT 12250 Bergen Sentrum 2026–2027');
    expect(String(read.info.CreationDate)).toMatch(/^D:20260910/);
    const info = JSON.stringify(read.info);
    for (const letter of LETTERS) {
      for (const s of [letter.youth.firstName, letter.youth.lastName, letter.address.street, letter.caseRef]) expect(info).not.toContain(s);
    }
  });

  test('the same batch renders to the same bytes', async () => {
    expect((await renderLetters(LETTERS, setting())).equals(pdf)).toBe(true);
  });

  test('writeLetters streams the same document to a file and counts its pages', async () => {
    const file = path.join(dir, 'batch.pdf');
    await expect(writeLetters(LETTERS, setting(), file)).resolves.toEqual({ pages: 6 });
    expect(readFileSync(file).equals(pdf)).toBe(true);
  });
});

test('Bokmål: the unit writes Bokmål, the letter and reply sheet are in Bokmål', async () => {
  const read = await readPdf(await renderLetters([{ ...GUARDIAN_COPY, addressee: ['Kari Nordmann'] }], setting('nb')));
  expect(read.pages).toHaveLength(2);
  expect(read.pages[0]).toContain('Hva gjør du skoleåret 2026–2027?');
  expect(read.pages[0]).toContain('Kopi til foresatt');
  expect(read.pages[0]).toContain('opplæringsloven');
  expect(read.pages[0]).toMatch(/Med vennlig hilsen\s+Kari Rådgjevar\s+Oppfølgingstjenesten Bergen Sentrum/);
  expect(read.pages[0]).not.toContain('Helsing');
  expect(read.pages[1]).toContain('Navn: Åse Sæther');
  expect(read.pages[1]).toContain('Jeg går på skole');
  expect(read.pages[1]).not.toContain('Eg går på skule');
});

test('a name long enough to wrap still leaves the address in the window', async () => {
  const long = 'Abdirahman Mohamed Hussein Abdi-Wiśniewski de la Cruz';
  const read = await readPdf(await renderLetters([{ ...POLISH, addressee: [long, 'og føresette'] }], setting()));
  const window = read.items.filter((it) => it.page === 1 && it.size === 10);
  // pdfkit breaks after the hyphen.
  expect(window.map((it) => it.str)).toEqual([
    'Abdirahman Mohamed Hussein Abdi-',
    'Wiśniewski de la Cruz',
    'og føresette',
    'Fanavegen 3',
    '5221 Nesttun',
  ]);
  for (const it of window) expect(it.baseline + 0.24 * it.size).toBeLessThanOrEqual(80 * MM);
});

describe('what is refused; a file is never left behind', () => {
  test.each([
    ['no street', { ...POLISH, address: { ...POLISH.address, street: ' ' } }, /letter 2 \(saksref [0-9a-f]{24}\): no street address/],
    ['no postnummer', { ...POLISH, address: { ...POLISH.address, postcode: '' } }, /no valid postnummer/],
    ['no poststad', { ...POLISH, address: { ...POLISH.address, city: '' } }, /no poststad/],
    ['no addressee', { ...POLISH, addressee: ['', ' '] }, /no addressee/],
    ['no name', { ...POLISH, youth: { firstName: '', lastName: '' } }, /no name of the youth/],
    [
      'an addressee too long for the window',
      { ...POLISH, addressee: ['Łukasz Wójcik', 'og føresette', 'c/o Familien Wójcik-Kowalska', 'Leilegheit H0304'] },
      /more lines than the envelope window shows/,
    ],
  ])('%s', async (_what, bad, message) => {
    const file = path.join(dir, 'refused.pdf');
    await expect(renderLetters([SAMI, bad], setting())).rejects.toThrow(LetterDataError);
    await expect(writeLetters([SAMI, bad], setting(), file)).rejects.toThrow(message);
    // The message names the case, never the person.
    await expect(renderLetters([SAMI, bad], setting())).rejects.not.toThrow(/Łukasz|Wójcik|Fanavegen/);
    expect(existsSync(file)).toBe(false);
  });

  test('no letters at all', async () => {
    await expect(renderLetters([], setting())).rejects.toThrow(/no letters to print/);
  });

  test('a letter date that is not yyyy-mm-dd', async () => {
    await expect(renderLetters([SAMI], setting('nn', { letterDate: '10.09.2026' }))).rejects.toThrow(/yyyy-mm-dd/);
  });

  test('a template whose letter runs past one page names the template and the first line that does not fit', async () => {
    const long = 'Dette er ei lang setning som fyller opp sida, om og om att, til brevet ikkje lenger får plass på éi side. '.repeat(6);
    const lines = [
      'Emne: Lang',
      'Avsendar: OT {{eining}}',
      'Kopi: Kopi',
      '',
      ...Array.from({ length: 12 }, () => [long, '']).flat(),
      '=== svarark ===',
      'Svar',
    ];
    const template = parseLetterTemplate(lines.join('\n'), 'lang.nn.txt');
    const err = await renderLetters([SAMI], setting('nn', { template })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LetterTemplateError);
    const { file, line, reason } = err as LetterTemplateError;
    expect(file).toBe('lang.nn.txt');
    expect(lines[line - 1]).toBe(long);
    expect(line).toBeGreaterThan(5);
    expect(reason).toMatch(/the letter \(page 1\) does not fit on one page from this line on \(\d+ mm too long\); shorten the text/);
  });

  test('a reply sheet that runs past its page, likewise', async () => {
    const lines = [
      'Emne: E',
      'Avsendar: OT',
      'Kopi: Kopi',
      '',
      'Hei',
      '=== svarark ===',
      'Svar',
      ...Array.from({ length: 40 }, (_, i) => `[ ] Val ${i + 1}: ____`),
    ];
    const template = parseLetterTemplate(lines.join('\n'), 'svar.nn.txt');
    await expect(renderLetters([SAMI], setting('nn', { template }))).rejects.toThrow(/^svar\.nn\.txt:\d+: the reply sheet \(page 2\) does not fit/);
  });
});
