import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { caseIdOf } from '../domain/case-id';
import { openLetterDocument, writeLetters, writePdf, type LetterSetting, type LetterToPrint } from '../domain/letter-pdf';
import { loadLetterTemplate } from '../domain/letter-template';
import { DEFAULT_UNITS } from '../schemas/units';
import { intArg, log } from './stack';

/**
 * How fast a batch of standard letters is written as PDF, against how fast pdfkit writes the same number
 * of pages at all (one line each, the same embedded fonts, streamed to a file the same way):
 * `npm run bench:letters -- --size 2000`. Needs no Temporal stack or database.
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

/** The baseline: `pages` pages of one line each, through the same document setup and file streaming as writeLetters. */
async function writePlainPages(pages: number, file: string): Promise<void> {
  const { doc } = openLetterDocument('bench', new Date('2026-09-10T00:00:00Z'));
  await writePdf(doc, file, async (pause) => {
    for (let i = 0; i < pages; i++) {
      doc
        .addPage()
        .font('DejaVuSans')
        .fontSize(10.5)
        .text(`Side ${i + 1}: Áŋŋá Sárá Bieđđa, Łukasz Wójcik, Øyvind Ødegård`, 70, 70);
      if (i % 2 === 1) await pause();
    }
  });
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
    await writePlainPages(2 * WARM_UP, path.join(dir, 'warm-plain.pdf'));

    log(`writing ${size} letters`);
    let pages = 0;
    const lettersMs = await time(async () => {
      pages = (await writeLetters(letters, setting, lettersFile)).pages;
    });
    log(`writing ${pages} plain pages`);
    const plainMs = await time(() => writePlainPages(pages, plainFile));

    const lettersRate = pages / (lettersMs / 1000);
    const plainRate = pages / (plainMs / 1000);
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
    console.log(row('baseline: plain pdfkit pages', pages, f(plainMs / 1000, 2), f(plainRate), ''));
    console.log(row('ratio letters / baseline', '', '', f(lettersRate / plainRate, 3), ''));
    console.log(`files: letters ${f(mb(lettersFile), 2)} MB, plain ${f(mb(plainFile), 2)} MB`);
    console.log(
      JSON.stringify({
        bench: 'letters',
        n: size,
        pages,
        lettersSeconds: +f(lettersMs / 1000, 3),
        pagesPerSecond: +f(lettersRate),
        msPerLetter: +f(lettersMs / size, 3),
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
