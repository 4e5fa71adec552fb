import { defaultCohortPolicy, type CohortPolicy } from '../../schemas/cohort-policy';
import { makeNationalId } from '../../schemas/national-id';
import { DEFAULT_UNITS } from '../../schemas/units';
import { readTransfer, TransferFileError, type TransferReading } from '../../domain/vigo-transfer';

/** The rules of /work/shared/formats/vigo-transfer.md, one by one, against the pure reader. */

const YEAR = 2026;
const POLICY = defaultCohortPolicy(YEAR);

let serial = 0;
const issued = new Set<string>();
/** A valid id (correct mod-11 control digits) born on the date; a new one every call. */
function validId(birthDate: string, dNumber = false): string {
  for (let tries = 0; tries < 1000; tries++) {
    const id = makeNationalId(birthDate, serial++, dNumber);
    if (id && !issued.has(id)) {
      issued.add(id);
      return id;
    }
  }
  throw new Error(`no more ids for ${birthDate}`);
}

type Cells = Record<string, string>;

const COLUMNS = [
  'fodselsnummer',
  'fornavn',
  'etternavn',
  'adresse',
  'postnummer',
  'poststad',
  'mobil',
  'ot_eining',
  'os_kode',
  'saksbehandlar',
  'ot_status',
];

/** A well-formed row of a youth born 2009 (in the target group, over 18 on no letter date of 2026). */
function row(over: Cells = {}): Cells {
  return {
    fodselsnummer: validId('2009-05-05'),
    fornavn: 'Åse',
    etternavn: 'Bø',
    adresse: 'Strandgaten 1',
    postnummer: '5013',
    poststad: 'Bergen',
    mobil: '',
    ot_eining: '12250',
    os_kode: 'OSON',
    saksbehandlar: '',
    ot_status: '',
    ...over,
  };
}

interface Shape {
  columns?: string[];
  /** Header names as written in the file (defaults to the column names). */
  header?: string[];
  delimiter?: ';' | ',';
  eol?: '\n' | '\r\n';
  bom?: boolean;
}

/** Writes rows as Excel would: a field is quoted (RFC 4180) only when it must be. */
function csv(rows: Cells[], shape: Shape = {}): string {
  const { columns = COLUMNS, header = columns, delimiter = ';', eol = '\n', bom = false } = shape;
  const field = (s: string) => (s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [header.map(field).join(delimiter), ...rows.map((r) => columns.map((c) => field(r[c] ?? '')).join(delimiter))];
  return (bom ? '\uFEFF' : '') + lines.join(eol) + eol;
}

function read(text: string, policy: Pick<CohortPolicy, 'schoolYear' | 'ageLimit'> = POLICY): TransferReading {
  return readTransfer(text, DEFAULT_UNITS, policy);
}

/** Reading a file of one row: the single accepted person (fails the test otherwise). */
function readOne(cells: Cells, policy: CohortPolicy = POLICY, shape: Shape = {}) {
  const reading = read(csv([cells], shape), policy);
  expect(reading.rejected).toEqual([]);
  expect(reading.outsideTargetGroup).toEqual([]);
  expect(reading.accepted).toHaveLength(1);
  return reading.accepted[0];
}

/** Reading a file of one row: the single rejection. */
function rejectOne(cells: Cells) {
  const reading = read(csv([cells]));
  expect(reading.accepted).toEqual([]);
  expect(reading.rejected).toHaveLength(1);
  const [rejected] = reading.rejected;
  expect(rejected.line).toBe(2);
  expect(rejected.reason).not.toMatch(/\d{11}/);
  return rejected.reason;
}

describe('encoding and shape', () => {
  it('reads UTF-8 with and without a byte-order mark, keeping æ, ø, å and accents', () => {
    const cells = row({ fornavn: 'Åsmund Hélène', etternavn: 'Ærø-Øvstebø', poststad: 'Førde' });
    const plain = read(csv([cells]));
    const withBom = read(csv([cells], { bom: true }));
    expect(plain.rejected).toEqual([]);
    expect(plain.warnings).toEqual([]);
    expect(withBom).toEqual(plain);
    expect(withBom.accepted[0]).toMatchObject({ line: 2, firstName: 'Åsmund Hélène', lastName: 'Ærø-Øvstebø', address: { city: 'Førde' } });
  });

  it('reads CRLF and LF line ends alike', () => {
    const rows = [row(), row({ ot_eining: '99999' }), row({ fornavn: 'Kari' })];
    const lf = read(csv(rows, { eol: '\n' }));
    const crlf = read(csv(rows, { eol: '\r\n' }));
    expect(crlf).toEqual(lf);
    expect(crlf.accepted.map((p) => [p.line, p.firstName, p.address?.city])).toEqual([
      [2, 'Åse', 'Bergen'],
      [4, 'Kari', 'Bergen'],
    ]);
    expect(crlf.rejected.map((r) => r.line)).toEqual([3]);
  });

  it('reads a file without a line end after the last row', () => {
    const text = csv([row(), row({ fornavn: 'Siste' })]).replace(/\n$/, '');
    expect(read(text).accepted.map((p) => [p.line, p.firstName])).toEqual([
      [2, 'Åse'],
      [3, 'Siste'],
    ]);
  });

  it('tells a ; file from its header and keeps commas inside its fields', () => {
    const reading = read(csv([row({ adresse: 'Kaigaten 4, 2. etasje', poststad: 'Askøy, Fjell' })], { delimiter: ';' }));
    expect(reading.rejected).toEqual([]);
    expect(reading.accepted[0].address).toEqual({ street: 'Kaigaten 4, 2. etasje', postcode: '5013', city: 'Askøy, Fjell' });
  });

  it('tells a , file from its header and keeps semicolons inside its fields', () => {
    const text = csv([row({ adresse: 'Kaigaten 4; 2. etasje' })], { delimiter: ',' });
    expect(text.split('\n')[0]).toBe(COLUMNS.join(','));
    const reading = read(text);
    expect(reading.rejected).toEqual([]);
    expect(reading.warnings).toEqual([]);
    expect(reading.accepted[0]).toMatchObject({ firstName: 'Åse', unit: '12250', osCode: 'OSON', address: { street: 'Kaigaten 4; 2. etasje' } });
  });

  it('reads RFC 4180 quoting: the delimiter, a doubled quote and a line break inside a field', () => {
    for (const delimiter of [';', ','] as const) {
      for (const eol of ['\n', '\r\n'] as const) {
        const text = csv(
          [
            row({ adresse: `Nygårdsgaten 3${delimiter} inngang B`, fornavn: 'Ola "Tuppen"' }),
            row({ adresse: `c/o Hansen${eol}Nygårdsgaten 5`, fornavn: 'Kari' }),
            row({ fornavn: 'Per' }),
          ],
          { delimiter, eol },
        );
        expect(text).toContain('"Ola ""Tuppen"""');
        const reading = read(text);
        expect(reading.rejected).toEqual([]);
        expect(reading.accepted.map((p) => [p.line, p.firstName, p.address?.street])).toEqual([
          [2, 'Ola "Tuppen"', `Nygårdsgaten 3${delimiter} inngang B`],
          [3, 'Kari', 'c/o Hansen\nNygårdsgaten 5'],
          [5, 'Per', 'Strandgaten 1'],
        ]);
      }
    }
  });

  it('numbers every row by the line it starts on, after multi-line fields and blank lines', () => {
    const two = validId('2010-01-01');
    const text = [
      COLUMNS.join(';'),
      // line 2: two fields that each span lines, the second with a blank line inside
      row({ fodselsnummer: two, adresse: '"Gate 1\nH0101"', etternavn: '"Bø\n\nHansen"' }),
      // line 6: rejected (unknown unit)
      row({ ot_eining: '99999' }),
      // line 7: blank
      null,
      // line 8: rejected (duplicate of line 2), with a line break in its own name
      row({ fodselsnummer: two, fornavn: '"Ola\nNordmann"' }),
      // line 10: accepted
      row({ fornavn: 'Tiande' }),
      // line 11: malformed mobile, quoted with a line break in the caseworker's name
      row({ mobil: '22 33 44 55', saksbehandlar: '"Nils\nRådgjevar"' }),
    ]
      .map((r) => (r === null ? '' : typeof r === 'string' ? r : COLUMNS.map((c) => r[c]).join(';')))
      .join('\r\n');
    const reading = read(text + '\r\n');
    expect(reading.rows).toBe(5);
    expect(reading.accepted.map((p) => [p.line, p.firstName])).toEqual([
      [2, 'Åse'],
      [10, 'Tiande'],
    ]);
    expect(reading.accepted[0].address?.street).toBe('Gate 1\nH0101');
    expect(reading.accepted[0].lastName).toBe('Bø\n\nHansen');
    expect(reading.rejected).toEqual([
      { line: 6, reason: expect.stringContaining('ot_eining') },
      { line: 8, reason: 'the same fodselsnummer as line 2' },
      { line: 11, reason: expect.stringContaining('mobil') },
    ]);
  });

  it('matches header names regardless of case and surrounding spaces, in any order', () => {
    const columns = [...COLUMNS].reverse();
    const header = columns.map((c, i) => (i % 2 === 0 ? `  ${c.toUpperCase()} ` : ` ${c[0].toUpperCase()}${c.slice(1)}`));
    const cells = row({ mobil: '91234567', saksbehandlar: 'Nils', ot_status: 'OTOV' });
    for (const delimiter of [';', ','] as const) {
      const reading = read(csv([cells], { columns, header, delimiter }));
      expect(reading.warnings).toEqual([]);
      expect(reading.rejected).toEqual([]);
      expect(reading.accepted[0]).toMatchObject({
        nationalId: cells.fodselsnummer,
        firstName: 'Åse',
        lastName: 'Bø',
        address: { street: 'Strandgaten 1', postcode: '5013', city: 'Bergen' },
        mobile: '+4791234567',
        unit: '12250',
        osCode: 'OSON',
        caseworker: 'Nils',
        washedStatus: 'OTOV',
      });
    }
  });

  it('matches a header written in quotes', () => {
    const text = [COLUMNS.map((c) => `"${c}"`).join(';'), csv([row()]).split('\n')[1], ''].join('\n');
    expect(text.startsWith('"fodselsnummer";"fornavn"')).toBe(true);
    expect(read(text).accepted).toHaveLength(1);
  });

  it('ignores an unknown column with a warning that names it', () => {
    const columns = [...COLUMNS.slice(0, 3), 'Kommentar', ...COLUMNS.slice(3)];
    const reading = read(csv([row({ Kommentar: 'ringt 3 gonger' })], { columns }));
    expect(reading.rejected).toEqual([]);
    expect(reading.accepted).toHaveLength(1);
    expect(reading.accepted[0]).toMatchObject({ firstName: 'Åse', lastName: 'Bø', address: { street: 'Strandgaten 1' } });
    expect(reading.warnings).toHaveLength(1);
    expect(reading.warnings[0]).toMatch(/unknown column "kommentar"/i);
  });

  it.each(['fodselsnummer', 'fornavn', 'etternavn', 'ot_eining', 'os_kode'])('refuses the whole file when the header lacks %s', (missing) => {
    const columns = COLUMNS.filter((c) => c !== missing);
    const read1 = () => read(csv([row()], { columns }));
    expect(read1).toThrow(TransferFileError);
    expect(read1).toThrow(new RegExp(`required column.*\\b${missing}\\b`));
  });

  it('names every required column the header lacks', () => {
    const read1 = () => read(csv([row()], { columns: ['fodselsnummer', 'fornavn', 'adresse'] }));
    expect(read1).toThrow(/required columns etternavn, ot_eining, os_kode/);
  });

  it('refuses an empty file and a header that repeats a column', () => {
    expect(() => read('')).toThrow(TransferFileError);
    expect(() => read('\uFEFF\r\n')).toThrow(TransferFileError);
    expect(() => read(csv([row()], { columns: [...COLUMNS, 'fornavn'], header: [...COLUMNS, ' Fornavn'] }))).toThrow(TransferFileError);
  });

  it('refuses a file that is not valid CSV, naming the line but not the data', () => {
    const id = validId('2009-09-09');
    const text = csv([row(), row({ fodselsnummer: id })]).replace(`${id};Åse`, `${id};Å"se`);
    const read1 = () => read(text);
    expect(read1).toThrow(TransferFileError);
    expect(read1).toThrow(/^the file is not valid CSV at line 3: Invalid Opening Quote$/);
  });

  it('reads a header without data rows as an empty transfer', () => {
    expect(read(COLUMNS.join(';') + '\r\n')).toEqual({ rows: 0, accepted: [], rejected: [], outsideTargetGroup: [], warnings: [] });
  });

  it('passes over the rows of bare delimiters Excel leaves after cleared cells, keeping line numbers', () => {
    const text = [COLUMNS.join(';'), ';;;;;;;;;;', csv([row()]).split('\n')[1], ' ; ;'].join('\n') + '\n';
    const reading = read(text);
    expect(reading).toMatchObject({ rows: 1, rejected: [] });
    expect(reading.accepted.map((p) => p.line)).toEqual([3]);
  });

  it('needs only the required columns', () => {
    const columns = ['fodselsnummer', 'fornavn', 'etternavn', 'ot_eining', 'os_kode'];
    const person = readOne(row(), POLICY, { columns });
    expect(person).toMatchObject({
      address: undefined,
      partialAddress: undefined,
      mobile: undefined,
      guardians: [],
      caseworker: undefined,
      washedStatus: undefined,
    });
  });
});

describe('rejected rows', () => {
  it.each(['fodselsnummer', 'fornavn', 'etternavn', 'ot_eining', 'os_kode'])(
    'rejects a row whose %s is empty, naming the field as missing',
    (column) => {
      expect(rejectOne(row({ [column]: '' }))).toBe(`${column} is missing`);
      expect(rejectOne(row({ [column]: '   ' }))).toBe(`${column} is missing`);
    },
  );

  it('rejects a row too short to hold a required field', () => {
    const text = `${COLUMNS.join(';')}\n${validId('2009-01-01')};Åse;Bø;Strandgaten 1;5013;Bergen;;12250\n`;
    const reading = read(text);
    expect(reading.rejected).toEqual([{ line: 2, reason: 'os_kode is missing' }]);
  });

  it('rejects an id that is not 11 digits without repeating it', () => {
    for (const bad of ['0101075016', '010107501600', '0101075016X']) {
      const reason = rejectOne(row({ fodselsnummer: bad }));
      expect(reason).toBe('fodselsnummer must be 11 digits');
      expect(reason).not.toContain(bad);
    }
  });

  it('rejects an unknown OS code, naming the column', () => {
    for (const code of ['OSXX', 'OTUK', 'OS ON']) {
      const reason = rejectOne(row({ os_kode: code }));
      expect(reason).toMatch(/os_kode/);
    }
  });

  it('reads OS codes regardless of case', () => {
    expect(readOne(row({ os_kode: ' osut ' })).osCode).toBe('OSUT');
  });

  it('rejects a unit that is not configured', () => {
    expect(rejectOne(row({ ot_eining: '99999' }))).toBe('ot_eining 99999 is not a configured OT unit');
    expect(rejectOne(row({ ot_eining: '01010750160' }))).toBe('ot_eining is not a configured OT unit');
    expect(rejectOne(row({ ot_status: '01010750160' }))).toBe('unknown OT status code');
    // The units come from configuration: another county's code is unknown here and known there.
    const text = csv([row({ ot_eining: '4601' })]);
    expect(read(text).rejected).toHaveLength(1);
    expect(readTransfer(text, [{ code: '4601', name: 'Bergen' }], POLICY).accepted).toHaveLength(1);
  });

  it('rejects a malformed mobile number', () => {
    for (const mobile of ['12345', '22 33 44 55', '7123 4567', '912345678', '+46 912 34 567', 'ring meg']) {
      expect(rejectOne(row({ mobil: mobile }))).toMatch(/^mobil /);
    }
  });

  it('rejects a malformed postnummer in any address', () => {
    for (const postnummer of ['501', '50130', '5O13', 'N-5013']) {
      expect(rejectOne(row({ postnummer }))).toBe('postnummer must be 4 digits');
    }
    const columns = [
      ...COLUMNS,
      'adresse2',
      'postnummer2',
      'poststad2',
      'foresatt1_namn',
      'foresatt1_adresse',
      'foresatt1_postnummer',
      'foresatt1_poststad',
      'foresatt2_namn',
      'foresatt2_adresse',
      'foresatt2_postnummer',
      'foresatt2_poststad',
    ];
    for (const column of ['postnummer2', 'foresatt1_postnummer', 'foresatt2_postnummer']) {
      const reading = read(csv([row({ [column]: '123' })], { columns }));
      expect(reading.accepted).toEqual([]);
      expect(reading.rejected).toEqual([{ line: 2, reason: `${column} must be 4 digits` }]);
    }
  });

  it('rejects the same fodselsnummer as an earlier row, spaces or not', () => {
    const id = validId('2009-02-02');
    const spaced = `${id.slice(0, 6)} ${id.slice(6)}`;
    const reading = read(
      csv([
        row({ fodselsnummer: id }),
        row({ fornavn: 'Anna' }),
        row({ fodselsnummer: spaced, fornavn: 'Same' }),
        row({ fodselsnummer: id, fornavn: 'Again' }),
      ]),
    );
    expect(reading.accepted.map((p) => p.line)).toEqual([2, 3]);
    expect(reading.rejected).toEqual([
      { line: 4, reason: 'the same fodselsnummer as line 2' },
      { line: 5, reason: 'the same fodselsnummer as line 2' },
    ]);
  });

  it('rejects an ot_status that is not a UDIR code', () => {
    for (const status of ['OTXX', 'OS0N', 'OTUK_IM']) {
      const reason = rejectOne(row({ ot_status: status }));
      expect(reason).toMatch(/OT status/i);
    }
  });

  it('lists every rejection with its line and imports the other rows; no reason holds the id', () => {
    const ids = Array.from({ length: 12 }, (_, i) => validId(`2010-01-${String(i + 1).padStart(2, '0')}`));
    const rows = [
      row({ fodselsnummer: ids[0] }), // 2 accepted
      row({ fodselsnummer: ids[1], fornavn: '' }), // 3 missing field
      row({ fodselsnummer: ids[2], os_kode: 'OSXX' }), // 4 unknown OS code
      row({ fodselsnummer: ids[3], ot_eining: '12345' }), // 5 unknown unit
      row({ fodselsnummer: ids[4], mobil: '12345678' }), // 6 malformed mobile
      row({ fodselsnummer: ids[5], postnummer: '123' }), // 7 malformed postnummer
      row({ fodselsnummer: ids[0], fornavn: 'Dup' }), // 8 duplicate of line 2
      row({ fodselsnummer: ids[6], ot_status: 'OTXY' }), // 9 bad ot_status
      row({ fodselsnummer: ids[7] }), // 10 accepted
      row({ fodselsnummer: `${ids[8]}1` }), // 11 12 digits
    ];
    const reading = read(csv(rows, { eol: '\r\n' }));
    expect(reading.rows).toBe(10);
    expect(reading.accepted.map((p) => p.line)).toEqual([2, 10]);
    expect(reading.rejected.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 11]);
    expect(reading.rejected.map((r) => r.reason.split(' ')[0])).toEqual([
      'fornavn',
      'os_kode',
      'ot_eining',
      'mobil',
      'postnummer',
      'the',
      'unknown',
      'fodselsnummer',
    ]);
    for (const { reason } of reading.rejected) {
      expect(reason).not.toMatch(/\d{11}/);
      for (const id of ids) expect(reason).not.toContain(id);
    }
    // Nothing of a rejected row is kept.
    expect(JSON.stringify(reading.accepted)).not.toContain('Dup');
    for (const id of ids.slice(1, 7)) expect(JSON.stringify(reading)).not.toContain(id);
  });

  it('does not count a rejected row as the earlier one of a duplicate', () => {
    const id = validId('2009-03-03');
    const reading = read(csv([row({ fodselsnummer: id, ot_eining: '99999' }), row({ fodselsnummer: id })]));
    expect(reading.rejected.map((r) => r.line)).toEqual([2]);
    expect(reading.accepted.map((p) => p.line)).toEqual([3]);
  });
});

describe('accepted rows', () => {
  it('drops spaces inside the fodselsnummer', () => {
    const id = validId('2009-06-07');
    const person = readOne(row({ fodselsnummer: ` ${id.slice(0, 6)} ${id.slice(6, 9)} ${id.slice(9)} ` }));
    expect(person).toMatchObject({ nationalId: id, idKind: 'fodselsnummer', birthDate: '2009-06-07' });
  });

  it('reads D-numbers as valid ids', () => {
    const id = validId('2009-06-07', true);
    expect(readOne(row({ fodselsnummer: id }))).toMatchObject({ nationalId: id, idKind: 'd-number', birthDate: '2009-06-07' });
  });

  it('stores a mobile number as E.164', () => {
    for (const [written, e164] of [
      ['+47 912 34 567', '+4791234567'],
      ['0047 91234567', '+4791234567'],
      ['0047 912 34 567', '+4791234567'],
      ['91234567', '+4791234567'],
      ['912 34 567', '+4791234567'],
      ['41234567', '+4741234567'],
      ['+4745678901', '+4745678901'],
    ]) {
      expect(readOne(row({ mobil: written })).mobile).toBe(e164);
    }
    expect(readOne(row({ mobil: '  ' })).mobile).toBeUndefined();
  });

  it('reads ot_status OTFU as OTFU_IM and any UDIR code regardless of case', () => {
    expect(readOne(row({ ot_status: 'OTFU' })).washedStatus).toBe('OTFU_IM');
    expect(readOne(row({ ot_status: 'otfu' })).washedStatus).toBe('OTFU_IM');
    expect(readOne(row({ ot_status: 'OTFU_IM' })).washedStatus).toBe('OTFU_IM');
    expect(readOne(row({ ot_status: ' otov ' })).washedStatus).toBe('OTOV');
    expect(readOne(row({ ot_status: 'FEIL' })).washedStatus).toBe('Feil');
    expect(readOne(row({ ot_status: 'OTUK' })).washedStatus).toBe('OTUK');
    expect(readOne(row({ ot_status: '' })).washedStatus).toBeUndefined();
  });

  it('keeps the caseworker, e-mail and trimmed text as VIGO sent them', () => {
    const columns = [...COLUMNS, 'epost'];
    const person = readOne(row({ saksbehandlar: ' Nils Rådgjevar ', epost: 'ase@example.no', fornavn: '  Åse  ' }), POLICY, { columns });
    expect(person).toMatchObject({ caseworker: 'Nils Rådgjevar', email: 'ase@example.no', firstName: 'Åse' });
  });

  describe('the age limit of the cohort', () => {
    const cases: [number, number, string, string][] = [
      // school year, limit, last birth date outside, first birth date inside
      [2023, 21, '2001-12-31', '2002-01-01'],
      [2024, 24, '1999-12-31', '2000-01-01'],
      [2026, 24, '2001-12-31', '2002-01-01'],
    ];
    it.each(cases)('school year %i (limit %i): born %s is outside the target group, born %s is in it', (year, limit, outside, inside) => {
      const policy = defaultCohortPolicy(year);
      expect(policy.ageLimit).toBe(limit);
      const tooEarly = validId(outside);
      const inGroup = validId(inside);
      const reading = read(
        csv([row({ fodselsnummer: tooEarly }), row({ fodselsnummer: inGroup }), row({ fodselsnummer: validId(outside), ot_eining: '99999' })]),
        policy,
      );
      expect(reading.rows).toBe(3);
      expect(reading.outsideTargetGroup).toEqual([2]);
      expect(reading.accepted.map((p) => [p.line, p.birthDate])).toEqual([[3, inside]]);
      // Skipped is not an error; a broken row is still rejected.
      expect(reading.rejected.map((r) => r.line)).toEqual([4]);
    });

    it('follows the policy, not only the default', () => {
      const id = validId('2002-06-01');
      expect(read(csv([row({ fodselsnummer: id })]), { schoolYear: 2024, ageLimit: 21 }).outsideTargetGroup).toEqual([2]);
      expect(read(csv([row({ fodselsnummer: id })]), { schoolYear: 2024, ageLimit: 22 }).accepted).toHaveLength(1);
    });
  });

  it('accepts fictitious ids, with an address or without', () => {
    const columns = COLUMNS;
    const reading = read(
      csv([row({ fodselsnummer: '99999999999' }), row({ fodselsnummer: '12345678901', adresse: '', postnummer: '', poststad: '' })], { columns }),
    );
    expect(reading.rejected).toEqual([]);
    expect(reading.accepted.map((p) => [p.line, p.nationalId, p.idKind, p.birthDate, p.under18])).toEqual([
      [2, '99999999999', 'fictitious', undefined, false],
      [3, '12345678901', 'fictitious', undefined, false],
    ]);
    expect(reading.accepted[0].address).toEqual({ street: 'Strandgaten 1', postcode: '5013', city: 'Bergen' });
    expect(reading.accepted[1].address).toBeUndefined();
    expect(reading.accepted[1].partialAddress).toBeUndefined();
  });

  it('calls an id with a wrong control digit fictitious and still reads its date', () => {
    const valid = validId('2009-08-09');
    const broken = valid.slice(0, 10) + String((Number(valid[10]) + 1) % 10);
    expect(readOne(row({ fodselsnummer: broken }))).toMatchObject({ nationalId: broken, idKind: 'fictitious', birthDate: '2009-08-09' });
  });

  it('keeps a partial address apart: it cannot carry a letter', () => {
    for (const [adresse, postnummer, poststad] of [
      ['Strandgaten 1', '', ''],
      ['', '5013', 'Bergen'],
      ['Strandgaten 1', '5013', ''],
    ]) {
      const person = readOne(row({ adresse, postnummer, poststad }));
      expect(person.address).toBeUndefined();
      expect(person.partialAddress).toEqual({ street: adresse || undefined, postcode: postnummer || undefined, city: poststad || undefined });
    }
    const full = readOne(row());
    expect(full.address).toEqual({ street: 'Strandgaten 1', postcode: '5013', city: 'Bergen' });
    expect(full.partialAddress).toBeUndefined();
    const none = readOne(row({ adresse: '', postnummer: ' ', poststad: '' }));
    expect(none.address).toBeUndefined();
    expect(none.partialAddress).toBeUndefined();
  });

  it('reads the second address and the guardians', () => {
    const columns = [
      ...COLUMNS,
      'adresse2',
      'postnummer2',
      'poststad2',
      'foresatt1_namn',
      'foresatt1_adresse',
      'foresatt1_postnummer',
      'foresatt1_poststad',
      'foresatt2_namn',
      'foresatt2_adresse',
      'foresatt2_postnummer',
      'foresatt2_poststad',
    ];
    const person = readOne(
      row({
        adresse2: 'Fjellveien 2',
        postnummer2: '5019',
        poststad2: 'Bergen',
        foresatt1_namn: 'Kari Bø',
        foresatt1_adresse: 'Fjellveien 2',
        foresatt1_postnummer: '5019',
        foresatt1_poststad: 'Bergen',
        foresatt2_namn: 'Per Bø',
        foresatt2_adresse: 'Vossevegen 9',
      }),
      POLICY,
      { columns },
    );
    expect(person.address2).toEqual({ street: 'Fjellveien 2', postcode: '5019', city: 'Bergen' });
    expect(person.guardians).toEqual([
      { name: 'Kari Bø', address: { street: 'Fjellveien 2', postcode: '5019', city: 'Bergen' } },
      { name: 'Per Bø', address: undefined },
    ]);
  });

  describe('under 18 on the letter date of the OS code (OSON 10 Sep, the others 25 Sep)', () => {
    // Born 15 Sep 2008: 17 on 10 Sep 2026, 18 on 25 Sep 2026.
    const birthDate = '2008-09-15';
    it.each([
      ['OSON', true],
      ['OSUT', false],
      ['OSNP', false],
      ['OSVE', false],
    ])('a youth turning 18 on 15 Sep with %s is under 18 on the letter date: %s', (os, under18) => {
      expect(readOne(row({ fodselsnummer: validId(birthDate), os_kode: os })).under18).toBe(under18);
    });

    it('is 18 on the birthday itself', () => {
      expect(readOne(row({ fodselsnummer: validId('2008-09-10'), os_kode: 'OSON' })).under18).toBe(false);
      expect(readOne(row({ fodselsnummer: validId('2008-09-11'), os_kode: 'OSON' })).under18).toBe(true);
      expect(readOne(row({ fodselsnummer: validId('2008-09-25'), os_kode: 'OSVE' })).under18).toBe(false);
      expect(readOne(row({ fodselsnummer: validId('2008-09-26'), os_kode: 'OSVE' })).under18).toBe(true);
    });

    it('uses the letter dates of the cohort’s own school year', () => {
      const id = validId(birthDate);
      expect(readOne(row({ fodselsnummer: id, os_kode: 'OSON' }), defaultCohortPolicy(2025)).under18).toBe(true);
      expect(readOne(row({ fodselsnummer: id, os_kode: 'OSUT' }), defaultCohortPolicy(2025)).under18).toBe(true);
      expect(readOne(row({ fodselsnummer: id, os_kode: 'OSON' }), defaultCohortPolicy(2027)).under18).toBe(false);
    });
  });
});
