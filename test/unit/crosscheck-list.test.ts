import { CrosscheckFileError, readCrosscheckList } from '../../domain/crosscheck-list';
import { parseCrosscheckCodes } from '../../schemas/crosscheck';
import { idFactory } from '../support/transfer-file';

const nextId = idFactory();
const a = nextId('2009-01-01');
const b = nextId('2009-02-02');

describe('readCrosscheckList', () => {
  it('reads the fodselsnummer column of a CSV, ignoring other columns, with line numbers', () => {
    expect(readCrosscheckList(`\uFEFFnamn;fødselsnummer;skule\r\nÅse;${a};Privat\r\n;;\r\nBo;${b};Privat\r\n`)).toEqual([
      { line: 2, nationalId: a },
      { line: 4, nationalId: b },
    ]);
  });

  it('reads one number per line without a header, and counts a repeated number once', () => {
    expect(readCrosscheckList(`${a}\n${b}\n${a}\n`)).toEqual([
      { line: 1, nationalId: a },
      { line: 2, nationalId: b },
    ]);
  });

  it('refuses the whole list naming the lines without a valid number, never echoing them', () => {
    const text = `fnr\n${a}\n${b.slice(0, 10)}\nOla Nordmann\n`;
    expect(() => readCrosscheckList(text)).toThrow(new CrosscheckFileError('no 11-digit fodselsnummer on lines 3, 4; nothing was matched'));
  });

  it.each([
    ['an empty file', ''],
    ['a sheet of bare delimiters', ';;\n;;\n'],
    ['a header and nothing else', 'fodselsnummer\n'],
  ])('refuses %s', (_, text) => {
    expect(() => readCrosscheckList(text)).toThrow(CrosscheckFileError);
  });

  it('refuses a header without a fodselsnummer column', () => {
    expect(() => readCrosscheckList(`namn;skule\nÅse;Privat\n`)).toThrow(/line 1 has no fodselsnummer column/);
  });
});

describe('parseCrosscheckCodes', () => {
  it('has the defaults, and takes a changed code for a list', () => {
    expect(parseCrosscheckCodes(undefined)).toEqual({
      'private-school': 'OTVF_IM',
      exchange: 'OTEV_IM',
      'late-start': 'OTEV_IM',
      apprentice: 'OTLL_IM',
    });
    expect(parseCrosscheckCodes('late-start=otlL_im, exchange = OTFU')).toMatchObject({ 'late-start': 'OTLL_IM', exchange: 'OTFU_IM' });
  });

  it('refuses an unknown list and a code that keeps the youth in the target group', () => {
    expect(() => parseCrosscheckCodes('boarding=OTEV_IM')).toThrow(/"boarding" is not a cross-check list/);
    expect(() => parseCrosscheckCodes('exchange=OTEV')).toThrow(/must be a "not in the target group" code/);
  });
});
