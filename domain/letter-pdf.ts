import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import type { OtUnit } from '../schemas/units';
import type { PostalAddress } from '../schemas/vigo-row';
import type { LetterKind } from './letter-recipients';
import { privateWriteStream } from './private-files';
import {
  cleanValue,
  fillLetterTemplate,
  fillText,
  formatSchoolYear,
  letterValues,
  LetterTemplateError,
  type FilledLetter,
  type FilledLine,
  type LetterTemplate,
  type LetterValues,
} from './letter-template';

/**
 * The standard letter as print-ready PDF: per letter one A4 page of letter, addressed for a window envelope,
 * and one page of reply sheet. Always exactly two pages, so a batch of thousands can go to the printer as one
 * file and be split by sheet count. Nobody checks each page by eye, so the layout refuses what would print
 * wrong (text past the page, an address outside the window) instead of shrinking or cutting it.
 */

export interface LetterToPrint {
  kind: LetterKind;
  /** Lines of the addressee block above the address: ['Kari Nordmann'] or ['Kari Nordmann', 'og føresette'] or ['Per Nordmann'] for a guardian copy. */
  addressee: string[];
  address: PostalAddress;
  youth: { firstName: string; lastName: string };
  caseRef: string;
}
export interface LetterSetting {
  unit: OtUnit;
  schoolYear: number;
  /** ISO date yyyy-mm-dd */
  letterDate: string;
  template: LetterTemplate;
}

/** A letter that cannot be printed as given (the seeds' quality check: every letter carries a name and an address). */
export class LetterDataError extends Error {
  override name = 'LetterDataError';
}

const MM = 72 / 25.4;
const mm = (n: number) => n * MM;

/** A4 portrait, in points. */
const PAGE_WIDTH = mm(210);
const PAGE_HEIGHT = mm(297);
const LEFT = mm(25);
const RIGHT = PAGE_WIDTH - mm(20);
const TEXT_WIDTH = RIGHT - LEFT;
/** Lowest point text may reach; printers leave about 5 mm and a letter looks cramped below 20 mm. */
const BOTTOM = PAGE_HEIGHT - mm(20);

/**
 * The address window of the Norwegian/Swedish C5 and C4 window envelope: 20 mm from the left edge, 45 mm
 * from the top, 90 × 35 mm. An A4 sheet folded once for C5 or left flat for C4 shows the same area.
 */
const WINDOW = { left: mm(20), top: mm(45), width: mm(90), height: mm(35) };
/** The sheet slides a few millimetres in the envelope, so the text keeps this far inside the window. */
const WINDOW_PAD_X = mm(5);
const WINDOW_PAD_Y = mm(2.5);
const WINDOW_TEXT = {
  x: WINDOW.left + WINDOW_PAD_X,
  top: WINDOW.top + WINDOW_PAD_Y,
  width: WINDOW.width - 2 * WINDOW_PAD_X,
  bottom: WINDOW.top + WINDOW.height - WINDOW_PAD_Y,
};
/** Date, reference and the copy note: top right, level with the window. */
const INFO = { x: mm(120), top: WINDOW_TEXT.top, width: RIGHT - mm(120) };
const LETTERHEAD_TOP = mm(18);
const SUBJECT_TOP = mm(92);
const REPLY_REF_TOP = mm(12);
const REPLY_HEADING_TOP = mm(22);

const SIZE = { body: 10.5, recipient: 10, subject: 12.5, heading: 14, letterhead: 13, info: 9, sender: 7, small: 8 };
const LINE_GAP = 1.5;
const PARAGRAPH_GAP = mm(3.5);
/** Room for a hand-written answer. */
const WRITE_IN_ROW = mm(9);
const WRITE_IN_MIN_LENGTH = mm(35);
const CHECKBOX_ROW = mm(8);
const CHECKBOX_SIZE = mm(4);
const CHECKBOX_INDENT = mm(7);
/** DejaVu Sans ascender (1901/2048 em): where the baseline sits below the top of a line pdfkit draws. */
const ASCENT = 0.928;

const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
/** The embedded fonts' names in a document of `openLetterDocument`, for other documents drawn in the same way. */
export const LETTER_FONTS = { regular: REGULAR, bold: BOLD } as const;

let fontFiles: { regular: Buffer; bold: Buffer } | undefined;
/** DejaVu covers Norwegian, Sámi (áŋđšŧž) and most European names; the PDF base fonts cover only Latin-1. */
function fonts(): { regular: Buffer; bold: Buffer } {
  if (!fontFiles) {
    const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    fontFiles = { regular: readFileSync(path.join(dir, 'DejaVuSans.ttf')), bold: readFileSync(path.join(dir, 'DejaVuSans-Bold.ttf')) };
  }
  return fontFiles;
}

/** A new document with the fonts registered; `pages()` counts pages as pdfkit adds them, also any it adds by itself. */
export function openLetterDocument(title: string, creationDate: Date): { doc: PDFKit.PDFDocument; pages: () => number } {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    displayTitle: true,
    // Fixed to the letter date so a batch printed again is the same file; the title names no person.
    info: { Title: title, Creator: 'ot-campaign', Producer: 'ot-campaign (PDFKit)', CreationDate: creationDate },
  });
  doc.registerFont(REGULAR, fonts().regular);
  doc.registerFont(BOLD, fonts().bold);
  let pages = 0;
  doc.on('pageAdded', () => pages++);
  return { doc, pages: () => pages };
}

type Place = 'the letter (page 1)' | 'the reply sheet (page 2)';

/** Lays out template lines from `top` down, refusing to run past the bottom: a shortened letter would mislead. */
function flow(doc: PDFKit.PDFDocument, lines: FilledLine[], top: number, source: string, place: Place): number {
  let y = top;
  const fit = (line: FilledLine, height: number) => {
    if (y + height > BOTTOM) {
      const over = (y + height - BOTTOM) / MM;
      throw new LetterTemplateError(
        source,
        line.line,
        `${place} does not fit on one page from this line on (${over.toFixed(0)} mm too long); shorten the text`,
      );
    }
  };
  for (const line of lines) {
    if (line.kind === 'blank') {
      y += PARAGRAPH_GAP;
      continue;
    }
    const bold = line.kind === 'bold' || line.kind === 'heading';
    const size = line.kind === 'heading' ? SIZE.heading : SIZE.body;
    doc.font(bold ? BOLD : REGULAR).fontSize(size);
    const x = line.kind === 'checkbox' ? LEFT + CHECKBOX_INDENT : LEFT;
    const width = RIGHT - x;
    const textHeight = line.text ? doc.heightOfString(line.text, { width, lineGap: LINE_GAP }) : 0;

    // Rows with a box or a write-in line give room for a pen; their text sits on the row's lower edge.
    const baseline = (rowHeight: number) => y + rowHeight - mm(1.5);
    if (!line.writeIn) {
      const textTop = line.kind === 'checkbox' ? baseline(CHECKBOX_ROW) - size * ASCENT : y;
      const height = line.kind === 'checkbox' ? Math.max(CHECKBOX_ROW, textTop - y + textHeight) : textHeight + (line.kind === 'heading' ? mm(2) : 0);
      fit(line, height);
      if (line.kind === 'checkbox') checkbox(doc, textTop, size);
      doc.text(line.text, x, textTop, { width, lineGap: LINE_GAP });
      y += height;
      continue;
    }

    // The write-in line follows the text if there is room on the row, else it takes a row of its own below.
    const textWidth = line.text ? doc.widthOfString(line.text) : 0;
    const sameRow = line.text === '' || (textHeight <= doc.currentLineHeight() + LINE_GAP + 1 && textWidth + mm(2) + WRITE_IN_MIN_LENGTH <= width);
    const height = sameRow ? WRITE_IN_ROW : textHeight + WRITE_IN_ROW;
    fit(line, height);
    const textTop = sameRow ? baseline(height) - size * ASCENT : y;
    if (line.kind === 'checkbox') checkbox(doc, textTop, size);
    if (line.text) doc.text(line.text, x, textTop, { width, lineGap: LINE_GAP });
    const from = sameRow && line.text ? x + textWidth + mm(2) : x;
    doc
      .save()
      .lineWidth(0.6)
      .moveTo(from, baseline(height) + 1)
      .lineTo(RIGHT, baseline(height) + 1)
      .stroke()
      .restore();
    y += height;
  }
  return y;
}

/** A box whose bottom sits on the baseline of the text beside it. */
function checkbox(doc: PDFKit.PDFDocument, textTop: number, size: number): void {
  const bottom = textTop + size * ASCENT;
  doc
    .save()
    .lineWidth(0.8)
    .rect(LEFT, bottom - CHECKBOX_SIZE, CHECKBOX_SIZE, CHECKBOX_SIZE)
    .stroke()
    .restore();
}

/**
 * The window's text: the return address in small print (the post office returns what it cannot deliver to
 * it), then the recipient. Measured and drawn by the same code, so the check before printing and the page agree.
 */
function envelopeWindow(doc: PDFKit.PDFDocument, sender: string[], recipient: string[], draw: boolean): number {
  let y = WINDOW_TEXT.top;
  const put = (lines: string[], size: number) => {
    doc.font(REGULAR).fontSize(size);
    for (const l of lines) {
      if (draw) doc.text(l, WINDOW_TEXT.x, y, { width: WINDOW_TEXT.width, lineGap: 0.5 });
      y += doc.heightOfString(l, { width: WINDOW_TEXT.width, lineGap: 0.5 });
    }
  };
  put(sender, SIZE.sender);
  y += mm(1.5);
  put(recipient, SIZE.recipient);
  return y;
}

interface Recipient {
  /** The addressee's lines, then street, then postnummer and poststad. */
  lines: string[];
}

/** The quality check of the seeds: no letter without a name and a full postal address. */
function recipientOf(letter: LetterToPrint, index: number): Recipient {
  const fail = (reason: string) => new LetterDataError(`letter ${index + 1} (saksref ${letter.caseRef || 'none'}): ${reason}`);
  if (!['youth', 'youthAndGuardians', 'guardianCopy'].includes(letter.kind)) throw fail(`unknown kind ${String(letter.kind)}`);
  if (!cleanValue(letter.caseRef)) throw fail('no case reference');
  if (!cleanValue(letter.youth?.firstName) && !cleanValue(letter.youth?.lastName)) throw fail('no name of the youth');
  const addressee = (letter.addressee ?? []).map(cleanValue).filter(Boolean);
  if (addressee.length === 0) throw fail('no addressee');
  const street = cleanValue(letter.address?.street);
  const postcode = cleanValue(letter.address?.postcode);
  const city = cleanValue(letter.address?.city);
  if (!street) throw fail('no street address');
  if (!/^\d{4}$/.test(postcode)) throw fail('no valid postnummer');
  if (!city) throw fail('no poststad');
  return { lines: [...addressee, street, `${postcode} ${city}`] };
}

const senderLines = (filled: { sender: string }, values: LetterValues) => [filled.sender, values.einingsadresse].filter(Boolean);

function drawLetterPage(doc: PDFKit.PDFDocument, letter: LetterToPrint, recipient: Recipient, filled: FilledLetter, values: LetterValues): void {
  doc.addPage();
  doc.font(BOLD).fontSize(SIZE.letterhead).text(filled.sender, LEFT, LETTERHEAD_TOP, { width: TEXT_WIDTH });
  if (values.einingsadresse)
    doc
      .font(REGULAR)
      .fontSize(SIZE.info)
      .text(values.einingsadresse, LEFT, doc.y + mm(1), { width: TEXT_WIDTH });
  envelopeWindow(doc, senderLines(filled, values), recipient.lines, true);

  let infoY = INFO.top;
  if (letter.kind === 'guardianCopy') {
    doc.font(BOLD).fontSize(SIZE.body).text(filled.copyNote, INFO.x, infoY, { width: INFO.width });
    infoY = doc.y + mm(1.5);
  }
  doc.font(REGULAR).fontSize(SIZE.info).text(`Dato: ${values.brevdato}`, INFO.x, infoY, { width: INFO.width });
  // Small: it is for the office registering the reply, not for the reader.
  doc.fontSize(SIZE.small).text(`Vår ref.: ${values.saksref}`, INFO.x, doc.y + mm(0.5), { width: INFO.width });

  doc.font(BOLD).fontSize(SIZE.subject).text(filled.subject, LEFT, SUBJECT_TOP, { width: TEXT_WIDTH, lineGap: LINE_GAP });
  flow(doc, filled.letter, doc.y + mm(4), filled.source, 'the letter (page 1)');
}

function drawReplySheet(doc: PDFKit.PDFDocument, filled: FilledLetter, saksref: string): void {
  doc.addPage();
  doc.font(REGULAR).fontSize(SIZE.small).text(`Vår ref.: ${saksref}`, INFO.x, REPLY_REF_TOP, { width: INFO.width, align: 'right' });
  flow(doc, filled.replySheet, REPLY_HEADING_TOP, filled.source, 'the reply sheet (page 2)');
}

interface Prepared {
  title: string;
  creationDate: Date;
  recipients: Recipient[];
}

/** Everything that can be wrong with the input, checked before the first page: a batch should not stop at letter 900. */
function prepare(letters: LetterToPrint[], setting: LetterSetting): Prepared {
  // An empty file would reach the printer queue looking like a finished batch.
  if (letters.length === 0) throw new LetterDataError('no letters to print');
  // letterValues checks the date's form, so pdfkit never sees an invalid Date.
  letterValues({ ...setting, youth: { firstName: '', lastName: '' }, caseRef: '' });
  return {
    title: `Standardbrev OT ${setting.unit.code} ${cleanValue(setting.unit.name)} ${formatSchoolYear(setting.schoolYear)}`,
    creationDate: new Date(`${setting.letterDate}T00:00:00Z`),
    recipients: letters.map(recipientOf),
  };
}

/** Every letter's window text fits its window, checked before the first page is drawn. */
function checkWindows(doc: PDFKit.PDFDocument, letters: LetterToPrint[], prepared: Prepared, setting: LetterSetting): void {
  letters.forEach((letter, i) => {
    const values = letterValues({ ...setting, youth: letter.youth, caseRef: letter.caseRef });
    const sender = senderLines({ sender: fillText(setting.template.sender.text, values) }, values);
    if (envelopeWindow(doc, sender, prepared.recipients[i].lines, false) > WINDOW_TEXT.bottom) {
      throw new LetterDataError(
        `letter ${i + 1} (saksref ${letter.caseRef}): the addressee and address need more lines than the envelope window shows; shorten them`,
      );
    }
  });
}

/** Draws every letter, two pages each, calling `afterLetter` between letters so a writer can wait for its file. */
async function drawLetters(
  opened: { doc: PDFKit.PDFDocument; pages: () => number },
  letters: LetterToPrint[],
  prepared: Prepared,
  setting: LetterSetting,
  afterLetter?: () => Promise<void>,
): Promise<void> {
  const { doc, pages } = opened;
  checkWindows(doc, letters, prepared, setting);
  for (let i = 0; i < letters.length; i++) {
    const letter = letters[i];
    const values = letterValues({ ...setting, youth: letter.youth, caseRef: letter.caseRef });
    const filled = fillLetterTemplate(setting.template, values);
    drawLetterPage(doc, letter, prepared.recipients[i], filled, values);
    drawReplySheet(doc, filled, values.saksref);
    // pdfkit adds a page by itself when text runs past the bottom; flow() should prevent that, this proves it.
    if (pages() !== 2 * (i + 1)) throw new Error(`letter ${i + 1} took ${pages() - 2 * i} pages instead of 2 (template ${setting.template.source})`);
    if (afterLetter) await afterLetter();
  }
}

/** One PDF of all the letters in the order given, each letter 2 pages (letter, reply sheet) — a guardian copy says so on the letter ("Kopi til føresett"). */
export async function renderLetters(letters: LetterToPrint[], setting: LetterSetting): Promise<Buffer> {
  const prepared = prepare(letters, setting);
  const opened = openLetterDocument(prepared.title, prepared.creationDate);
  const chunks: Buffer[] = [];
  opened.doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = once(opened.doc, 'end');
  await drawLetters(opened, letters, prepared, setting);
  opened.doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/** Large writes: fewer round trips to the disk for a file of many megabytes. */
const FILE_BUFFER = 1 << 20;

/** Same, streamed to a file (a batch may hold thousands of letters); resolves with the page count. */
export async function writeLetters(letters: LetterToPrint[], setting: LetterSetting, file: string): Promise<{ pages: number }> {
  const prepared = prepare(letters, setting);
  const opened = openLetterDocument(prepared.title, prepared.creationDate);
  await writePdf(opened.doc, file, (pause) => drawLetters(opened, letters, prepared, setting, pause));
  return { pages: opened.pages() };
}

/**
 * Streams what `draw` puts in `doc` to `file`. `draw` calls `pause` between units of work: pdfkit pushes
 * whatever it draws, so waiting there for the disk keeps memory to about one unit. On any error the partial
 * file is removed, so a half batch is never mistaken for a whole one.
 */
export async function writePdf(doc: PDFKit.PDFDocument, file: string, draw: (pause: () => Promise<void>) => Promise<void>): Promise<void> {
  const out = privateWriteStream(file, { highWaterMark: FILE_BUFFER });
  const written = pipeline(doc, out);
  // Awaited below; this only keeps a disk error during drawing from counting as unhandled meanwhile.
  written.catch(() => undefined);
  try {
    await draw(async () => {
      if (out.destroyed) throw out.errored ?? new Error(`${file} was closed while it was being written`);
      if (out.writableNeedDrain) await once(out, 'drain');
    });
    doc.end();
    await written;
  } catch (err) {
    doc.destroy();
    await written.catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw err;
  }
}
