import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { csvCell, csvText, defuseFormula } from '../../domain/csv-cells';
import { writeListFiles } from '../../domain/list-files';
import { caseIdKeyFingerprint } from '../../domain/case-id';
import { plainText, table } from '../../client/cli/output';

describe('CSV cells', () => {
  it('escape every text a spreadsheet would run as a formula, with a quote in front, and quote the cell', () => {
    expect(csvCell('=HYPERLINK("http://evil.example/")')).toBe(`"'=HYPERLINK(""http://evil.example/"")"`);
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`)).toBe(`"'${start}1+1"`);
    expect(defuseFormula('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
  });

  it('leave other texts and numbers as they are, quoting only what RFC 4180 needs', () => {
    expect(csvCell('Åse Bø')).toBe('Åse Bø');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('91234567')).toBe('91234567');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('make a file a CSV reader reads back as the escaped texts', () => {
    const text = csvText(
      ['namn', 'tal'],
      [
        ['=1+1', 2],
        ['Åse', -1],
      ],
    );
    expect(text.startsWith('\uFEFFnamn;tal\r\n')).toBe(true);
    expect(parse(text, { bom: true, delimiter: ';' })).toEqual([
      ['namn', 'tal'],
      ["'=1+1", '2'],
      ['Åse', '-1'],
    ]);
  });
});

describe('list files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ot-list-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('write XLSX text cells typed as text, never formulas, and both files owner-only', async () => {
    const rows = [{ name: '=HYPERLINK("http://evil.example/")', n: 3 }];
    const files = await writeListFiles(
      path.join(dir, 'list'),
      'List',
      [
        { header: 'name', value: (r: (typeof rows)[number]) => r.name },
        { header: 'n', value: (r: (typeof rows)[number]) => r.n },
      ],
      rows,
    );
    for (const f of [files.csv, files.xlsx]) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readFileSync(files.csv, 'utf8')).toBe(`\uFEFFname;n\r\n"'=HYPERLINK(""http://evil.example/"")";3\r\n`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(files.xlsx);
    const cell = book.getWorksheet('List')!.getRow(2).getCell(1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(rows[0].name);
    expect(cell.formula).toBeUndefined();
    expect(cell.numFmt).toBe('@');
    expect(book.getWorksheet('List')!.getRow(2).getCell(2).value).toBe(3);
  });
});

describe('terminal text', () => {
  it('strips ANSI escapes, C0 (but newline and tab), DEL, C1 and bidirectional overrides', () => {
    expect(plainText('\u001b[31mring\u001b[0m seinare')).toBe('ring seinare');
    expect(plainText('Lie\u001b]0;owned\u0007 \u001b[2J')).toBe('Lie ');
    expect(plainText('a\u0000b\u0007c\u007fd\u009b31me\u0085f')).toBe('abcdef');
    expect(plainText('over\rwrite')).toBe('over write');
    expect(plainText('a\u202eb')).toBe('ab');
    expect(plainText('line 1\nline 2\tx')).toBe('line 1\nline 2\tx');
    expect(plainText('line 1\nline 2\tx', { line: true })).toBe('line 1 line 2 x');
  });

  it('are what a table shows of a name or note', () => {
    expect(table([{ name: 'Åse\u001b[2J\nBø' }], ['name'])).toBe('name\nÅse Bø');
  });
});

describe('the case-id key fingerprint', () => {
  it('is 16 hex characters, the same for the same key, another for another, and not the key', () => {
    const key = 'k'.repeat(32);
    expect(caseIdKeyFingerprint(key)).toMatch(/^[0-9a-f]{16}$/);
    expect(caseIdKeyFingerprint(key)).toBe(caseIdKeyFingerprint(key));
    expect(caseIdKeyFingerprint(`${key}x`)).not.toBe(caseIdKeyFingerprint(key));
    expect(caseIdKeyFingerprint(key)).not.toContain('kkkk');
  });
});
