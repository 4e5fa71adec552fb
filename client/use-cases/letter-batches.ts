import path from 'node:path';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { standardLetters, type PlannedLetter } from '../../domain/letter-recipients';
import { admissionsOfficeList, prepareLetterBatch, readPersonForLetter, type BatchSummary, type StoredBatch } from '../../db/letter-batches';
import { writeLetters, type LetterToPrint } from '../../domain/letter-pdf';
import { loadLetterTemplate } from '../../domain/letter-template';
import type { Config } from '../../schemas/config';
import { findUnit, type OtUnit } from '../../schemas/units';
import type { PostalAddress } from '../../schemas/vigo-row';
import { writeListFiles } from '../../domain/list-files';
import { privateFolder } from '../../domain/private-files';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import { admissionsListBase, batchFileBase, letterFolder } from '../../domain/cohort-files';

export interface BatchFiles {
  /** Absent when the batch holds only letters held back. */
  pdf?: string;
  pages: number;
  list: { csv: string; xlsx: string };
  held?: { csv: string; xlsx: string };
  admissionsOffice: { csv: string; xlsx: string; entries: number };
}

export interface PrintedBatch extends BatchSummary {
  files: BatchFiles;
}

export class LetterBatchError extends Error {}

type Deps = { pool: Pool; config: Config };

function unitOf(config: Config, code: string): OtUnit {
  const unit = findUnit(config.units, code);
  if (!unit) throw new LetterBatchError(`unit ${code} is not a configured OT unit`);
  if (!unit.address) throw new LetterBatchError(`unit ${code} has no return address: add "address" to its entry in OT_UNITS_FILE`);
  return unit;
}

/** What the PDF needs of a planned letter: the case id is printed as its reference. */
const toPrint = (l: PlannedLetter): LetterToPrint => ({
  kind: l.kind,
  addressee: l.addressee,
  address: l.address,
  youth: l.youth,
  caseRef: l.caseId,
});
const oneLine = (a: PostalAddress) => `${a.street}, ${a.postcode} ${a.city}`;
const LETTER_NAMES = { youth: 'standardbrev', youthAndGuardians: 'standardbrev, ungdom og føresette', guardianCopy: 'kopi til føresett' } as const;

/** Where a unit's print files go unless the operator names a folder. */
export function defaultLetterFolder(config: Config, schoolYear: number, unit: string): string {
  return letterFolder(config.dataDir, schoolYear, unit);
}

/** The PDF, its list and the held letters of a batch; rendering it again gives the same letters in the same order. */
async function renderBatchFiles(deps: Deps, batch: StoredBatch, outDir: string): Promise<Omit<BatchFiles, 'admissionsOffice'>> {
  const unit = unitOf(deps.config, batch.unit);
  const template = loadLetterTemplate(deps.config.templatesDir, batch.schoolYear, unit.language ?? 'nn');
  privateFolder(outDir);
  const base = path.join(outDir, batchFileBase(batch));
  const pages =
    batch.letters.length === 0
      ? 0
      : (
          await writeLetters(
            batch.letters.map(toPrint),
            { unit, schoolYear: batch.schoolYear, letterDate: batch.letterDate, template },
            `${base}.pdf`,
          )
        ).pages;
  const list = await writeListFiles(
    `${base}-liste`,
    'Brev',
    [
      { header: 'nr', value: (l) => l.position, width: 6 },
      { header: 'postnummer', value: (l) => l.address.postcode },
      { header: 'poststad', value: (l) => l.address.city, width: 16 },
      { header: 'mottakar', value: (l) => l.addressee.join(' '), width: 36 },
      { header: 'adresse', value: (l) => l.address.street, width: 30 },
      { header: 'brev', value: (l) => (l.round > 0 ? `sendt på nytt (retur ${l.round})` : LETTER_NAMES[l.kind]), width: 30 },
      { header: 'saksref', value: (l) => l.caseId, width: 26 },
    ],
    batch.letters,
  );
  const held = batch.held.length
    ? await writeListFiles(
        `${base}-haldne`,
        'Haldne brev',
        [
          { header: 'namn', value: (h) => h.name, width: 30 },
          { header: 'mottakar', value: (h) => (h.recipient === 'youth' ? 'ungdom' : 'føresett') },
          { header: 'grunn', value: (h) => h.reason, width: 36 },
          { header: 'saksref', value: (h) => h.caseId, width: 26 },
        ],
        batch.held,
      )
    : undefined;
  return { pdf: batch.letters.length ? `${base}.pdf` : undefined, pages, list, held };
}

/** The admissions office's list of the unit: youth with no address left to send their letter to. */
async function writeAdmissionsList(deps: Deps, q: { schoolYear: number; unit: string }, outDir: string): Promise<BatchFiles['admissionsOffice']> {
  const entries = await admissionsOfficeList(deps.pool, q);
  const files = await writeListFiles(
    path.join(outDir, admissionsListBase(q.schoolYear, q.unit)),
    'Manglar adresse',
    [
      { header: 'namn', value: (e) => e.name, width: 30 },
      { header: 'fødd', value: (e) => e.birthDate, width: 12 },
      { header: 'os_kode', value: (e) => e.osCode },
      { header: 'grunn', value: (e) => e.reason, width: 50 },
      { header: 'siste adresse', value: (e) => (e.lastAddress ? oneLine(e.lastAddress) : undefined), width: 40 },
      { header: 'saksref', value: (e) => e.caseId, width: 26 },
    ],
    entries,
  );
  return { ...files, entries: entries.length };
}

/**
 * Prints the next batch of a unit and OS code: fixes its letters in PostgreSQL and writes the PDF and the
 * lists in one go (a batch whose PDF could not be written is not stored), then the admissions office's list.
 */
export async function printLetterBatch(
  deps: Deps,
  req: { schoolYear: number; unit: string; osCode: string; by: string; outDir?: string },
): Promise<PrintedBatch | undefined> {
  const unit = unitOf(deps.config, req.unit);
  const outDir = req.outDir ?? defaultLetterFolder(deps.config, req.schoolYear, req.unit);
  const letterDate = DateTime.now().setZone(CAMPAIGN_ZONE).toISODate()!;
  const batch = await prepareLetterBatch(deps.pool, { ...req, letterDate, language: unit.language ?? 'nn' }, (b) =>
    renderBatchFiles(deps, b, outDir),
  );
  if (!batch) return undefined;
  const admissionsOffice = await writeAdmissionsList(deps, req, outDir);
  return { ...batch.summary, files: { ...batch.printed, admissionsOffice } };
}

/** The letters of one case as a batch would print them today, in a PDF of their own; nothing is stored. */
export async function previewLetters(deps: Deps, caseId: string, outFile: string): Promise<{ letters: number; pages: number }> {
  const found = await readPersonForLetter(deps.pool, caseId);
  if (!found) throw new LetterBatchError(`no case ${caseId}`);
  const unit = unitOf(deps.config, found.unit);
  const language = unit.language ?? 'nn';
  const { letters, held } = standardLetters(found.person, language);
  const youthHeld = held.find((h) => h.recipient === 'youth');
  if (youthHeld) throw new LetterBatchError(`case ${caseId}: the letter would be held (${youthHeld.reason})`);
  const template = loadLetterTemplate(deps.config.templatesDir, found.schoolYear, language);
  const letterDate = DateTime.now().setZone(CAMPAIGN_ZONE).toISODate()!;
  privateFolder(path.dirname(path.resolve(outFile)));
  const { pages } = await writeLetters(letters.map(toPrint), { unit, schoolYear: found.schoolYear, letterDate, template }, outFile);
  return { letters: letters.length, pages };
}
