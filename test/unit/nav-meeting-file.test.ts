import { NavImportFileError, readNavImport } from '../../domain/nav-meeting-file';

const A = 'a'.repeat(24);
const B = 'b'.repeat(24);
const C = 'c'.repeat(24);

describe('the NAV meeting file', () => {
  it('reads each row on its own: the new address, mobile and status, with the line of every refusal', () => {
    const text = [
      '\uFEFFsaksref;namn;status;adresse;postnummer;poststad;mobil;merknad',
      `${A};Åse Bø;OTAR;Nygata 2;5003;Bergen;912 34 567;`,
      `${B};Per;OTUK;;;;"'+4798765432";`,
      `${C};Ola;;Storgata 1;50;Bergen;;`,
      `12345678901;Kari;;;;;;`,
      `${A.toUpperCase()};Åse igjen;;;;;;`,
      `${'d'.repeat(24)};Dag;OSON;;;;;`,
      `${'e'.repeat(24)};Eva;;Vegen 1;;;;`,
      `${'f'.repeat(24)};Frø;;;;;4000;`,
      `${'0'.repeat(24)};Null;OTFU;;;;;`,
      ';;;;;;;',
    ].join('\r\n');
    const reading = readNavImport(text);
    expect(reading.rows).toEqual([
      { line: 2, caseId: A, status: 'OTAR', address: { street: 'Nygata 2', postcode: '5003', city: 'Bergen' }, mobile: '+4791234567' },
      // OTUK is what the export wrote: nothing new. The export's escaping quote is read as written.
      { line: 3, caseId: B, mobile: '+4798765432' },
      { line: 10, caseId: '0'.repeat(24), status: 'OTFU_IM' },
    ]);
    expect(reading.rejected).toEqual([
      { line: 4, reason: 'postnummer must be 4 digits' },
      // Never echoed: an 11-digit cell may be a national id in the wrong column.
      { line: 5, reason: 'saksref must be a case id (24 hexadecimal characters, as the export wrote it)' },
      { line: 6, reason: 'the same saksref as line 2' },
      { line: 7, reason: expect.stringMatching(/^status "OSON" is an OS code/) },
      { line: 8, reason: 'a new address needs adresse, postnummer and poststad: all three, or none' },
      { line: 9, reason: 'mobil is not a Norwegian mobile number (8 digits starting with 4 or 9)' },
    ]);
    expect(reading.warnings).toEqual(['unknown column "merknad" is ignored']);
    expect(JSON.stringify(reading)).not.toContain('12345678901');
  });

  it('refuses a file it cannot read as a whole', () => {
    expect(() => readNavImport('')).toThrow(NavImportFileError);
    expect(() => readNavImport('namn;mobil\r\nÅse;91234567\r\n')).toThrow(/lacks the column saksref/);
    expect(() => readNavImport('saksref;mobil;mobil\r\n')).toThrow(/repeats the column mobil/);
  });
});
