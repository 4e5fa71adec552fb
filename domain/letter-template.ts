import { readFileSync } from 'node:fs';
import type { LetterLanguage, OtUnit } from '../schemas/units';
import { templatePath } from './templates';
import { CASE_ID_PATTERN } from '../schemas/case-id';

/**
 * The standard letter and its reply sheet, as the system owner writes them in templates/letter.<språk>.txt.
 * The format is documented at the top of templates/letter.nn.txt; this module reads it strictly, so a typo
 * stops the print run at load time with file and line instead of printing a thousand wrong letters.
 */

export const PLACEHOLDERS = [
  'fornamn',
  'etternamn',
  'namn',
  'eining',
  'einingsadresse',
  'kontaktperson',
  'kontakttelefon',
  'kontaktepost',
  'brevdato',
  'skuleår',
  'saksref',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
/** A value of '' means "not known / not configured": lines that need it are left out. */
export type LetterValues = Record<Placeholder, string>;

/** text: a line that wraps at the margin · bold: *a line in asterisks* · blank: paragraph space · heading: the reply sheet's title. */
export type LineKind = 'text' | 'bold' | 'blank' | 'heading' | 'checkbox';

export interface TemplateLine {
  /** 1-based line in the file, for errors about this line, also at print time (text that does not fit). */
  line: number;
  kind: LineKind;
  /** The text with its {{placeholders}}, without the [ ], * or ____ markup. */
  text: string;
  /** The line ends in ____: a write-in line is drawn after the text. */
  writeIn: boolean;
  placeholders: Placeholder[];
}

export interface LetterTemplate {
  /** The file it came from, named in every error. */
  source: string;
  subject: TemplateLine;
  /** The sender above the recipient in the envelope window and on top of the letter. */
  sender: TemplateLine;
  /** What a guardian's copy says on the letter, e.g. "Kopi til føresett". */
  copyNote: TemplateLine;
  letter: TemplateLine[];
  /** Starts with its heading. */
  replySheet: TemplateLine[];
}

export type FilledLine = Pick<TemplateLine, 'line' | 'kind' | 'text' | 'writeIn'>;
export interface FilledLetter {
  source: string;
  subject: string;
  sender: string;
  copyNote: string;
  letter: FilledLine[];
  replySheet: FilledLine[];
}

export class LetterTemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'LetterTemplateError';
  }
}

const HEADER_FIELDS = { emne: 'subject', avsendar: 'sender', avsender: 'sender', kopi: 'copyNote' } as const;
type HeaderField = (typeof HEADER_FIELDS)[keyof typeof HEADER_FIELDS];
const HEADER_NAMES: Record<HeaderField, string> = { subject: 'Emne', sender: 'Avsendar', copyNote: 'Kopi' };

const REPLY_SHEET_MARKER = /^={3,}\s*svarark\s*={3,}$/i;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WRITE_IN = /_{3,}$/;
const CHECKBOX = /^\[\s?\]\s*/;

type Fail = (reason: string) => LetterTemplateError;

function placeholdersOf(text: string, fail: Fail): Placeholder[] {
  const found: Placeholder[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1].toLowerCase();
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw fail(`unknown placeholder {{${m[1]}}}; the known ones are ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`);
    }
    found.push(name as Placeholder);
  }
  // Braces left over once the well-formed placeholders are gone are a typo such as {{namn} or {namn}}.
  if (/[{}]/.test(text.replace(PLACEHOLDER, ''))) throw fail('a placeholder is not written as {{name}}');
  return found;
}

function contentLine(raw: string, line: number, fail: Fail): TemplateLine {
  let text = raw;
  let kind: LineKind = 'text';
  if (CHECKBOX.test(text)) {
    kind = 'checkbox';
    text = text.replace(CHECKBOX, '');
  }
  const writeIn = WRITE_IN.test(text);
  if (writeIn) text = text.replace(WRITE_IN, '').trimEnd();
  if (kind === 'text' && !writeIn && text.length > 2 && text.startsWith('*') && text.endsWith('*')) {
    kind = 'bold';
    text = text.slice(1, -1).trim();
  }
  if (kind === 'checkbox' && text === '') throw fail('a checkbox [ ] needs a text after it');
  return { line, kind, text, writeIn, placeholders: placeholdersOf(text, fail) };
}

const blankLine = (line: number): TemplateLine => ({ line, kind: 'blank', text: '', writeIn: false, placeholders: [] });

/** Blank lines at either end of a part mean nothing; several in a row mean one paragraph space. */
function tidy<T extends { kind: LineKind }>(lines: T[]): T[] {
  const out: T[] = [];
  for (const l of lines) {
    if (l.kind === 'blank' && (out.length === 0 || out[out.length - 1].kind === 'blank')) continue;
    out.push(l);
  }
  while (out.length > 0 && out[out.length - 1].kind === 'blank') out.pop();
  return out;
}

export function parseLetterTemplate(text: string, source: string): LetterTemplate {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim());
  const failAt =
    (line: number): Fail =>
    (reason) =>
      new LetterTemplateError(source, line, reason);

  const content = lines.map((l, i) => ({ text: l, line: i + 1 })).filter((l) => !l.text.startsWith('#'));
  const first = content.findIndex((l) => l.text !== '');
  if (first < 0)
    throw failAt(1)('the template is empty: it needs a header (Emne:, Avsendar:, Kopi:), the letter, and the reply sheet after === svarark ===');

  // The header: "Felt: tekst" lines up to the first blank line.
  const header: Partial<Record<HeaderField, TemplateLine>> = {};
  let i = first;
  for (; i < content.length && content[i].text !== ''; i++) {
    const { text: l, line } = content[i];
    const fail = failAt(line);
    if (REPLY_SHEET_MARKER.test(l))
      throw fail('the reply sheet starts before the letter: end the header with a blank line and write the letter first');
    const m = /^([^:]+):\s*(.*)$/.exec(l);
    const field = m ? HEADER_FIELDS[m[1].trim().toLowerCase() as keyof typeof HEADER_FIELDS] : undefined;
    if (!m || !field) {
      throw fail(`the header takes only Emne:, Avsendar: and Kopi: lines, ended by a blank line, and this is "${l}"`);
    }
    if (header[field]) throw fail(`${HEADER_NAMES[field]}: is given twice`);
    if (m[2] === '') throw fail(`${HEADER_NAMES[field]}: has no text`);
    header[field] = { line, kind: 'text', text: m[2], writeIn: false, placeholders: placeholdersOf(m[2], fail) };
  }
  for (const field of ['subject', 'sender', 'copyNote'] as const) {
    if (!header[field]) throw failAt(content[first].line)(`the header (from this line to the first blank line) has no ${HEADER_NAMES[field]}: line`);
  }

  const marker = content.findIndex((l, j) => j >= i && REPLY_SHEET_MARKER.test(l.text));
  if (marker < 0) {
    const last = content.filter((l) => l.text !== '').pop()!;
    throw failAt(last.line)('no "=== svarark ===" line by the end of the file: the reply sheet must follow the letter');
  }
  const second = content.findIndex((l, j) => j > marker && REPLY_SHEET_MARKER.test(l.text));
  if (second >= 0) throw failAt(content[second].line)('a second "=== svarark ===" line: there is one reply sheet');

  const part = (from: number, to: number) =>
    tidy(content.slice(from, to).map((l) => (l.text === '' ? blankLine(l.line) : contentLine(l.text, l.line, failAt(l.line)))));
  const letter = part(i, marker);
  if (letter.length === 0) throw failAt(content[marker].line)('the letter has no text before the reply sheet');
  const replySheet = part(marker + 1, content.length);
  if (replySheet.length === 0) throw failAt(content[marker].line)('the reply sheet after this line is empty: it needs at least a heading');
  const heading = replySheet[0];
  if (heading.kind === 'checkbox' || heading.writeIn)
    throw failAt(heading.line)("the reply sheet's first line is its heading, not a checkbox or write-in line");
  replySheet[0] = { ...heading, kind: 'heading' };

  return { source, subject: header.subject!, sender: header.sender!, copyNote: header.copyNote!, letter, replySheet };
}

/** The year's own template if the system owner made one, else the project's default; errors name the file read. */
export function loadLetterTemplate(templatesDir: string, schoolYear: number, language: LetterLanguage): LetterTemplate {
  const file = templatePath(templatesDir, schoolYear, `letter.${language}.txt`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LetterTemplateError(file, 0, `cannot be read: ${(err as Error).message}`);
  }
  return parseLetterTemplate(text, file);
}

/** One template line's text with its placeholders filled in. */
export const fillText = (text: string, values: LetterValues) =>
  text.replace(PLACEHOLDER, (_, name: string) => values[name.toLowerCase() as Placeholder]);

/**
 * A line with a placeholder that has no value is left out, so no "Telefon:" is left hanging when the unit has
 * no phone; and a line the same as the one before is printed once, so a contact person configured as the
 * unit's own name does not sign the letter twice.
 */
function fillPart(lines: TemplateLine[], values: LetterValues): FilledLine[] {
  const out: FilledLine[] = [];
  for (const l of lines) {
    if (l.placeholders.some((p) => values[p] === '')) continue;
    const filled = { line: l.line, kind: l.kind, text: fillText(l.text, values), writeIn: l.writeIn };
    const before = out[out.length - 1];
    if (before && filled.kind !== 'blank' && !filled.writeIn && before.kind === filled.kind && before.text === filled.text) continue;
    out.push(filled);
  }
  return tidy(out);
}

export function fillLetterTemplate(template: LetterTemplate, values: LetterValues): FilledLetter {
  return {
    source: template.source,
    subject: fillText(template.subject.text, values),
    sender: fillText(template.sender.text, values),
    copyNote: fillText(template.copyNote.text, values),
    letter: fillPart(template.letter, values),
    replySheet: fillPart(template.replySheet, values),
  };
}

const MONTHS = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];

/** "10. september 2026": the same words in Nynorsk and Bokmål. */
export function formatLetterDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const date = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
  if (!m || !date || date.getUTCDate() !== +m[3] || date.getUTCMonth() !== +m[2] - 1) {
    throw new Error(`the letter date must be a date written yyyy-mm-dd, not "${isoDate}"`);
  }
  return `${+m[3]}. ${MONTHS[+m[2] - 1]} ${m[1]}`;
}

/** School year 2026 runs from August 2026 to July 2027. */
export const formatSchoolYear = (schoolYear: number) => `${schoolYear}–${schoolYear + 1}`;

/** A case id (24 hex digits) in groups of four, as office staff read it off a reply sheet and type it in. */
export const formatCaseRef = (caseRef: string) => (CASE_ID_PATTERN.test(caseRef) ? caseRef.match(/.{4}/g)!.join(' ') : caseRef);

/** One line of clean text: Excel cells carry tabs, line breaks and decomposed letters (a + ring) that print badly. */
export const cleanValue = (s: string | undefined) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim();

export interface LetterFacts {
  unit: OtUnit;
  schoolYear: number;
  letterDate: string;
  youth: { firstName: string; lastName: string };
  caseRef: string;
}

export function letterValues({ unit, schoolYear, letterDate, youth, caseRef }: LetterFacts): LetterValues {
  const address = unit.address
    ? [cleanValue(unit.address.street), `${cleanValue(unit.address.postcode)} ${cleanValue(unit.address.city)}`.trim()].filter(Boolean).join(', ')
    : '';
  const fornamn = cleanValue(youth.firstName);
  const etternamn = cleanValue(youth.lastName);
  return {
    fornamn,
    etternamn,
    namn: [fornamn, etternamn].filter(Boolean).join(' '),
    eining: cleanValue(unit.name),
    einingsadresse: address,
    kontaktperson: cleanValue(unit.contact?.name),
    kontakttelefon: cleanValue(unit.contact?.phone),
    kontaktepost: cleanValue(unit.contact?.email),
    brevdato: formatLetterDate(letterDate),
    skuleår: formatSchoolYear(schoolYear),
    saksref: formatCaseRef(cleanValue(caseRef)),
  };
}
