import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseIdOf } from '../domain/case-id';
import { LETTER_FONTS, openLetterDocument, writeLetters, writePdf, type LetterSetting, type LetterToPrint } from '../domain/letter-pdf';
import { fillLetterTemplate, letterValues, loadLetterTemplate, type FilledLine } from '../domain/letter-template';
import { DEFAULT_UNITS } from '../schemas/units';
import { intArg, log } from './stack';

/**
 * How fast a batch of standard letters is written as PDF, against pdfkit laying out the same text (each letter's
 * filled-in lines, worked out before the clock starts) with the same embedded fonts and sizes, two pages a letter,
 * streamed to a file the same way, but with no template, no checks, no measuring for fit, no boxes or write-in
 * lines: `npm run bench:letters -- --size 2000`. Needs no Temporal stack or database.
 */

const SCHOOL_YEAR = 2026;
/** Letters drawn before timing, so neither side pays for loading fonts and warming the JIT. */
const WARM_UP = 20;

const GIVEN = ['Åse', 'Gøril', 'Øyvind', 'Håkon', 'Áŋŋá Sárá', 'Máhtte', 'Łukasz', 'Zuzanna', 'Renée', 'Jérôme', 'Ingrid', 'Ådne', 'Amina', 'Linh'];
const FAMILY = ['Bø', 'Sæther', 'Ødegård', 'Bieđđa', 'Ánte-Niillas', 'Wójcik', 'Wiśniewski', 'Lefèvre', 'Nguyen', 'Håland', 'Kvamme', 'Aarø'];
const STREETS = ['Nygårdsgaten', 'Fanavegen', 'Sætrevegen', 'Øvre Korskirkeallmenning', 'Lagunevegen', 'Åsamyrane'];
const PLACES: [string, string][] = [
  ['5015', 'Bergen'],
  ['5221', 'Nesttun'],
  ['5918', 'Frekhaug'],
  ['5700', 'Voss'],
  ['5411', 'Stord'],
];

/** A synthetic batch as the letter activity would hand it over: a third under 18 (letter to youth and guardians plus a guardian copy). */
function syntheticLetters(size: number): LetterToPrint[] {
  return Array.from({ length: size }, (_, i) => {
    const youth = { firstName: GIVEN[i % GIVEN.length], lastName: FAMILY[(i * 7) % FAMILY.length] };
    const name = `${youth.firstName} ${youth.lastName}`;
    const [postcode, city] = PLACES[i % PLACES.length];
    const address = { street: `${STREETS[i % STREETS.length]} ${1 + (i % 97)}`, postcode, city };
    const caseRef = caseIdOf(String(i), SCHOOL_YEAR, 'bench-letters-key');
    const kind = i % 3 === 0 ? 'youthAndGuardians' : i % 3 === 1 ? 'youth' : 'guardianCopy';
    const addressee = kind === 'youthAndGuardians' ? [name, 'og føresette'] : kind === 'guardianCopy' ? [`Kari ${youth.lastName}`] : [name];
    return { kind, addressee, address, youth, caseRef };
  });
}

/** One letter's text as the baseline lays it out: each line's font, size and words. */
interface PlainLine {
  bold: boolean;
  size: number;
  text: string;
}

const BODY = 10.5;
const plainLines = (lines: FilledLine[]): PlainLine[] =>
  lines
    .filter((l) => l.kind !== 'blank' && l.text)
    .map((l) => ({ bold: l.kind === 'bold' || l.kind === 'heading', size: l.kind === 'heading' ? 14 : BODY, text: l.text }));

/** The text the letters hold, filled in as the template would: the baseline pays nothing for it. */
function plainLetters(letters: LetterToPrint[], setting: LetterSetting): { page1: PlainLine[]; page2: PlainLine[] }[] {
  return letters.map((letter) => {
    const values = letterValues({ ...setting, youth: letter.youth, caseRef: letter.caseRef });
    const filled = fillLetterTemplate(setting.template, values);
    const address = [...letter.addressee, letter.address.street, `${letter.address.postcode} ${letter.address.city}`];
    return {
      page1: [
        { bold: true, size: 13, text: filled.sender },
        { bold: false, size: 9, text: values.einingsadresse },
        ...address.map((text) => ({ bold: false, size: 10, text })),
        ...(letter.kind === 'guardianCopy' ? [{ bold: true, size: BODY, text: filled.copyNote }] : []),
        { bold: false, size: 9, text: `Dato: ${values.brevdato}` },
        { bold: false, size: 8, text: `Vår ref.: ${values.saksref}` },
        { bold: true, size: 12.5, text: filled.subject },
        ...plainLines(filled.letter),
      ].filter((l) => l.text),
      page2: [{ bold: false, size: 8, text: `Vår ref.: ${values.saksref}` }, ...plainLines(filled.replySheet)],
    };
  });
}

/** The baseline: the same lines, each below the one before, through the same document setup and file streaming as writeLetters. */
async function writePlainLetters(letters: { page1: PlainLine[]; page2: PlainLine[] }[], file: string): Promise<number> {
  const { doc, pages } = openLetterDocument('bench', new Date('2026-09-10T00:00:00Z'));
  const page = (lines: PlainLine[]) => {
    doc.addPage();
    doc.y = 50;
    for (const l of lines)
      doc
        .font(l.bold ? LETTER_FONTS.bold : LETTER_FONTS.regular)
        .fontSize(l.size)
        .text(l.text, 70, doc.y, { width: 455, lineGap: 1.5 });
  };
  await writePdf(doc, file, async (pause) => {
    for (const letter of letters) {
      page(letter.page1);
      page(letter.page2);
      await pause();
    }
  });
  return pages();
}

async function time(body: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await body();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const size = intArg(process.argv.slice(2), 'size', 500);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ot-bench-letters-'));
  try {
    const unit = { ...DEFAULT_UNITS[0], contact: { name: 'Kari Rådgjevar', phone: '55 23 90 00', email: 'ot.sentrum@example.no' } };
    const setting: LetterSetting = { unit, schoolYear: SCHOOL_YEAR, letterDate: '2026-09-10', template: loadLetterTemplate(dir, SCHOOL_YEAR, 'nn') };
    const letters = syntheticLetters(size);
    const lettersFile = path.join(dir, 'letters.pdf');
    const plainFile = path.join(dir, 'plain.pdf');

    log(`warming up with ${WARM_UP} letters`);
    await writeLetters(syntheticLetters(WARM_UP), setting, path.join(dir, 'warm.pdf'));
    await writePlainLetters(plainLetters(syntheticLetters(WARM_UP), setting), path.join(dir, 'warm-plain.pdf'));

    log(`writing ${size} letters`);
    let pages = 0;
    const lettersMs = await time(async () => {
      pages = (await writeLetters(letters, setting, lettersFile)).pages;
    });
    const plain = plainLetters(letters, setting);
    log(`laying out the same text plainly`);
    let plainPages = 0;
    const plainMs = await time(async () => {
      plainPages = await writePlainLetters(plain, plainFile);
    });

    const lettersRate = pages / (lettersMs / 1000);
    const plainRate = plainPages / (plainMs / 1000);
    const mb = (file: string) => statSync(file).size / 1e6;
    const cpus = os.cpus();
    const f = (n: number, d = 1) => n.toFixed(d);
    const row = (what: string, count: number | string, secs: number | string, rate: number | string, extra = '') =>
      `${what.padEnd(34)}${String(count).padStart(8)}${String(secs).padStart(10)}${String(rate).padStart(12)}${extra.padStart(14)}`;
    console.log('');
    console.log(
      `letters benchmark: N=${size} letters (${pages} pages), school year ${SCHOOL_YEAR}, template ${path.basename(setting.template.source)}`,
    );
    console.log(
      `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${process.platform} ${process.arch}`,
    );
    console.log(row('', 'pages', 'seconds', 'pages/s', 'ms/letter'));
    console.log(row('writeLetters', pages, f(lettersMs / 1000, 2), f(lettersRate), f(lettersMs / size, 2)));
    console.log(row('baseline: the same text, plain pdfkit', plainPages, f(plainMs / 1000, 2), f(plainRate), f(plainMs / size, 2)));
    console.log(row('ratio letters / baseline (goal ≥ 0.7)', '', '', f(lettersRate / plainRate, 3), ''));
    console.log(`files: letters ${f(mb(lettersFile), 2)} MB, plain ${f(mb(plainFile), 2)} MB`);
    console.log(
      JSON.stringify({
        bench: 'letters',
        n: size,
        pages,
        lettersSeconds: +f(lettersMs / 1000, 3),
        pagesPerSecond: +f(lettersRate),
        msPerLetter: +f(lettersMs / size, 3),
        baselinePages: plainPages,
        baselineSeconds: +f(plainMs / 1000, 3),
        baselinePagesPerSecond: +f(plainRate),
        ratio: +f(lettersRate / plainRate, 3),
        lettersMB: +f(mb(lettersFile), 3),
        baselineMB: +f(mb(plainFile), 3),
        cores: cpus.length,
        cpu: cpus[0]?.model.trim(),
        node: process.version,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
