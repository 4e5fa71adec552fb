import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  fillLetterTemplate,
  formatCaseRef,
  formatLetterDate,
  formatSchoolYear,
  letterValues,
  loadLetterTemplate,
  parseLetterTemplate,
  LetterTemplateError,
  PLACEHOLDERS,
  type FilledLine,
  type LetterTemplate,
} from '../../domain/letter-template';
import { DEFAULT_UNITS, type OtUnit } from '../../schemas/units';
import { PROJECT_ROOT } from '../../domain/project-root';

/** The template format (documented at the top of templates/letter.nn.txt) and the two shipped templates. */

let emptyDir: string;
beforeAll(() => {
  emptyDir = mkdtempSync(path.join(os.tmpdir(), 'ot-letter-template-'));
});
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

const UNIT: OtUnit = {
  code: '12250',
  name: 'Bergen Sentrum',
  address: { street: 'Postboks 7900', postcode: '5020', city: 'Bergen' },
  contact: { name: 'Kari Rådgjevar', phone: '55 23 90 00', email: 'ot.sentrum@example.no' },
};
const YOUTH = { firstName: 'Áŋŋá Sárá', lastName: 'Bieđđa' };
const CASE_REF = '0123456789abcdef01234567';

function fill(template: LetterTemplate, unit: OtUnit = UNIT) {
  return fillLetterTemplate(template, letterValues({ unit, schoolYear: 2026, letterDate: '2026-09-10', youth: YOUTH, caseRef: CASE_REF }));
}
const texts = (lines: FilledLine[]) => lines.map((l) => l.text);

/** A small valid template; `lines` numbers its lines from 1 as the errors do. */
const MINIMAL = [
  '# a comment',
  'Emne: Kva gjer du?',
  'Avsendar: OT {{eining}}',
  'Kopi: Kopi til føresett',
  '',
  'Hei, {{fornamn}}!',
  'Telefon: {{kontakttelefon}}',
  '',
  '=== svarark ===',
  'Svarark',
  '[ ] Skule',
  'Anna: ____',
].join('\n');

function errorOf(text: string, source = 'test.txt'): LetterTemplateError {
  try {
    parseLetterTemplate(text, source);
  } catch (err) {
    if (err instanceof LetterTemplateError) return err;
    throw err;
  }
  throw new Error('expected a LetterTemplateError');
}

describe('the shipped templates', () => {
  test.each(['nn', 'nb'] as const)('letter.%s.txt parses, with header, letter and a reply sheet of five choices', (language) => {
    const t = loadLetterTemplate(emptyDir, 2026, language);
    expect(t.source).toBe(path.join(PROJECT_ROOT, 'templates', `letter.${language}.txt`));
    expect(t.subject.text).toContain('{{skuleår}}');
    expect(t.sender.text).toContain('{{eining}}');
    expect(t.replySheet[0].kind).toBe('heading');
    expect(t.replySheet.filter((l) => l.kind === 'checkbox')).toHaveLength(5);
    const writeIns = t.replySheet.filter((l) => l.writeIn).map((l) => l.text);
    expect(writeIns).toEqual(expect.arrayContaining(['Telefon:', 'E-post:', '']));
    // Every placeholder the shipped templates use is one the format knows.
    for (const l of [...t.letter, ...t.replySheet]) for (const p of l.placeholders) expect(PLACEHOLDERS).toContain(p);
  });

  test('Nynorsk and Bokmål say the same in their own words', () => {
    const nn = fill(loadLetterTemplate(emptyDir, 2026, 'nn'));
    const nb = fill(loadLetterTemplate(emptyDir, 2026, 'nb'));
    expect(nn.subject).toBe('Kva gjer du skuleåret 2026–2027?');
    expect(nb.subject).toBe('Hva gjør du skoleåret 2026–2027?');
    expect(nn.copyNote).toBe('Kopi til føresett');
    expect(nb.copyNote).toBe('Kopi til foresatt');
    expect(nn.sender).toBe('Oppfølgingstenesta Bergen Sentrum');
    expect(nb.sender).toBe('Oppfølgingstjenesten Bergen Sentrum');
    expect(texts(nn.letter)).toContain('Helsing');
    expect(texts(nb.letter)).toContain('Med vennlig hilsen');
    expect(texts(nn.letter).join('\n')).toMatch(/opplæringslova/);
    expect(texts(nb.letter).join('\n')).toMatch(/opplæringsloven/);
    expect(texts(nn.letter).join('\n')).toMatch(/under 18 år/);
    expect(texts(nn.replySheet)).toEqual(expect.arrayContaining(['Eg går på skule. Skule:', 'Eg er i arbeid. Arbeidsstad:', 'Anna:']));
    expect(texts(nb.replySheet)).toEqual(expect.arrayContaining(['Jeg går på skole. Skole:', 'Jeg er i arbeid. Arbeidssted:', 'Annet:']));
  });

  test('filled: the youth, the unit, its contact and the dates; no placeholder left', () => {
    const f = fill(loadLetterTemplate(emptyDir, 2026, 'nn'));
    const all = [f.subject, f.sender, f.copyNote, ...texts(f.letter), ...texts(f.replySheet)].join('\n');
    expect(all).not.toMatch(/[{}]/);
    expect(texts(f.letter)).toContain('Hei, Áŋŋá Sárá!');
    expect(texts(f.letter)).toContain('Telefon og SMS: 55 23 90 00');
    expect(texts(f.letter)).toContain('E-post: ot.sentrum@example.no');
    expect(texts(f.letter).slice(-3)).toEqual(['Helsing', 'Kari Rådgjevar', 'Oppfølgingstenesta Bergen Sentrum']);
    expect(texts(f.replySheet)).toEqual(
      expect.arrayContaining(['Svarark til Oppfølgingstenesta Bergen Sentrum', 'Namn: Áŋŋá Sárá Bieđđa', 'Postboks 7900, 5020 Bergen']),
    );
  });
});

describe('lines with a placeholder that has no value', () => {
  test('are dropped, so no label is left hanging', () => {
    const f = fill(loadLetterTemplate(emptyDir, 2026, 'nn'), { ...UNIT, contact: { name: 'Kari Rådgjevar' } });
    const letter = texts(f.letter);
    expect(letter.some((l) => l.startsWith('Telefon'))).toBe(false);
    expect(letter.some((l) => l.startsWith('E-post'))).toBe(false);
    expect(letter).toContain('Kontaktperson: Kari Rådgjevar');
    // The reply sheet's own write-in lines carry no placeholder and stay; the e-mail hint goes.
    expect(texts(f.replySheet)).toContain('E-post:');
    expect(texts(f.replySheet).some((l) => l.includes('bilete'))).toBe(false);
    // No two paragraph spaces where the contact lines were.
    const kinds = f.letter.map((l) => l.kind).join(' ');
    expect(kinds).not.toMatch(/blank blank/);
  });

  test('a unit with no contact and no address: no contact lines, no empty address line, still signed by the unit', () => {
    const f = fill(loadLetterTemplate(emptyDir, 2026, 'nn'), { code: '12250', name: 'Bergen Sentrum' });
    expect(texts(f.letter).some((l) => l.startsWith('Kontaktperson'))).toBe(false);
    expect(texts(f.letter).slice(-2)).toEqual(['Helsing', 'Oppfølgingstenesta Bergen Sentrum']);
    expect(texts(f.replySheet).slice(-2)).toEqual(['Send svararket til:', 'Oppfølgingstenesta Bergen Sentrum']);
  });

  test('a contact configured as the unit itself signs once', () => {
    const f = fill(loadLetterTemplate(emptyDir, 2026, 'nn'), DEFAULT_UNITS[0]);
    expect(texts(f.letter).slice(-2)).toEqual(['Helsing', 'Oppfølgingstenesta Bergen Sentrum']);
  });

  test('the minimal template: the phone line goes, the trailing blank with it', () => {
    const t = parseLetterTemplate(MINIMAL, 'min.txt');
    expect(texts(fill(t, { ...UNIT, contact: undefined }).letter)).toEqual(['Hei, Áŋŋá Sárá!']);
    expect(texts(fill(t).letter)).toEqual(['Hei, Áŋŋá Sárá!', 'Telefon: 55 23 90 00']);
  });
});

describe('the format', () => {
  test('line kinds, line numbers, and blank lines collapsed', () => {
    const t = parseLetterTemplate(
      [
        'Emne: E',
        'Avsender: A',
        'kopi: K',
        '',
        '',
        'Første',
        '',
        '',
        '',
        '*Feit*',
        'Skriv her ____',
        '=== SVARARK ===',
        '',
        'Overskrift',
        '[] Utan mellomrom',
        '[ ] Anna: ____',
        '____',
        '',
      ].join('\r\n'),
      't.txt',
    );
    expect(t.letter.map((l) => [l.line, l.kind, l.text, l.writeIn])).toEqual([
      [6, 'text', 'Første', false],
      [7, 'blank', '', false],
      [10, 'bold', 'Feit', false],
      [11, 'text', 'Skriv her', true],
    ]);
    expect(t.replySheet.map((l) => [l.line, l.kind, l.text, l.writeIn])).toEqual([
      [14, 'heading', 'Overskrift', false],
      [15, 'checkbox', 'Utan mellomrom', false],
      [16, 'checkbox', 'Anna:', true],
      [17, 'text', '', true],
    ]);
  });

  test('placeholders may be written with spaces or capitals', () => {
    const t = parseLetterTemplate(MINIMAL.replace('Hei, {{fornamn}}!', 'Hei, {{ Fornamn }} {{etternamn}}!'), 'x.txt');
    expect(texts(fill(t).letter)[0]).toBe('Hei, Áŋŋá Sárá Bieđđa!');
  });

  test('a year folder overrides the default template for that year only', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ot-letter-year-'));
    try {
      mkdirSync(path.join(dir, '2027'));
      const own = path.join(dir, '2027', 'letter.nn.txt');
      writeFileSync(own, MINIMAL.replace('Emne: Kva gjer du?', 'Emne: Eige brev for {{skuleår}}'));
      const t2027 = loadLetterTemplate(dir, 2027, 'nn');
      expect(t2027.source).toBe(own);
      expect(
        fillLetterTemplate(t2027, letterValues({ unit: UNIT, schoolYear: 2027, letterDate: '2027-09-10', youth: YOUTH, caseRef: CASE_REF })).subject,
      ).toBe('Eige brev for 2027–2028');
      expect(loadLetterTemplate(dir, 2026, 'nn').source).toBe(path.join(PROJECT_ROOT, 'templates', 'letter.nn.txt'));
      // Only Nynorsk was overridden.
      expect(loadLetterTemplate(dir, 2027, 'nb').source).toBe(path.join(PROJECT_ROOT, 'templates', 'letter.nb.txt'));

      // An error in the year's own file names that file.
      writeFileSync(own, MINIMAL.replace('Hei, {{fornamn}}!', 'Hei, {{førenamn}}!'));
      expect(() => loadLetterTemplate(dir, 2027, 'nn')).toThrow(`${own}:6: unknown placeholder {{førenamn}}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('template errors name the file and line', () => {
  const lines = MINIMAL.split('\n');
  const edit = (line: number, text: string | null) => {
    const copy = [...lines];
    if (text === null) copy.splice(line - 1, 1);
    else copy[line - 1] = text;
    return copy.join('\n');
  };

  test.each([
    ['an unknown placeholder', edit(6, 'Hei, {{fornavn}}!'), 6, /unknown placeholder \{\{fornavn\}\}; the known ones are \{\{fornamn\}\}/],
    ['an unknown placeholder on the reply sheet', edit(12, 'Anna {{kommentar}}: ____'), 12, /unknown placeholder \{\{kommentar\}\}/],
    ['an unknown placeholder in the header', edit(3, 'Avsendar: OT {{unit}}'), 3, /unknown placeholder \{\{unit\}\}/],
    ['a placeholder missing a brace', edit(7, 'Telefon: {{kontakttelefon}'), 7, /not written as \{\{name\}\}/],
    ['no reply-sheet marker', lines.slice(0, 8).join('\n'), 7, /no "=== svarark ===" line/],
    ['no subject', edit(2, null), 2, /no Emne: line/],
    ['no copy note', edit(4, null), 2, /no Kopi: line/],
    ['a header field given twice', edit(4, 'Emne: igjen'), 4, /Emne: is given twice/],
    ['a header field without text', edit(2, 'Emne:'), 2, /Emne: has no text/],
    ['the header not ended by a blank line', edit(5, 'Hei!'), 5, /the header takes only Emne:, Avsendar: and Kopi: lines/],
    ['a second reply sheet', `${MINIMAL}\n=== svarark ===\nTo`, 13, /a second "=== svarark ===" line/],
    ['an empty reply sheet', lines.slice(0, 9).join('\n'), 9, /the reply sheet after this line is empty/],
    ['no letter text', [...lines.slice(0, 5), ...lines.slice(8)].join('\n'), 6, /the letter has no text/],
    ['a checkbox without text', edit(11, '[ ]'), 11, /a checkbox \[ \] needs a text/],
    ['a reply sheet starting with a checkbox', edit(10, '[ ] Svarark'), 10, /first line is its heading/],
  ])('%s', (_what, text, line, reason) => {
    const err = errorOf(text, 'mal.txt');
    expect(err.file).toBe('mal.txt');
    expect(err.line).toBe(line);
    expect(err.reason).toMatch(reason);
    expect(err.message).toBe(`mal.txt:${line}: ${err.reason}`);
    expect(err.message).not.toContain('\n');
  });

  test.each([
    ['empty', ''],
    ['only comments and blank lines', '# nothing here\n\n# still nothing\n'],
  ])('an %s file', (_what, text) => {
    const err = errorOf(text);
    expect(err.line).toBe(1);
    expect(err.reason).toMatch(/the template is empty/);
  });

  test('an unreadable file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ot-letter-bad-'));
    try {
      mkdirSync(path.join(dir, '2026', 'letter.nn.txt'), { recursive: true });
      expect(() => loadLetterTemplate(dir, 2026, 'nn')).toThrow(LetterTemplateError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('values', () => {
  test('dates, school years and case references as printed', () => {
    expect(formatLetterDate('2026-09-10')).toBe('10. september 2026');
    expect(formatLetterDate('2027-01-01')).toBe('1. januar 2027');
    expect(() => formatLetterDate('2026-02-30')).toThrow(/yyyy-mm-dd/);
    expect(() => formatLetterDate('10.09.2026')).toThrow(/yyyy-mm-dd/);
    expect(formatSchoolYear(2026)).toBe('2026–2027');
    expect(formatCaseRef(CASE_REF)).toBe('0123 4567 89ab cdef 0123 4567');
    expect(formatCaseRef('OT-17')).toBe('OT-17');
  });

  test('names are cleaned: decomposed letters composed, stray whitespace gone', () => {
    const v = letterValues({
      unit: UNIT,
      schoolYear: 2026,
      letterDate: '2026-09-10',
      youth: { firstName: ' A\u030Ase\t', lastName: 'Bø\n' },
      caseRef: CASE_REF,
    });
    expect(v.fornamn).toBe('Åse');
    expect(v.namn).toBe('Åse Bø');
    expect(v.einingsadresse).toBe('Postboks 7900, 5020 Bergen');
    expect(v.brevdato).toBe('10. september 2026');
  });
});
