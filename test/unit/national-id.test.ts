import { birthDateOf, classifyNationalId, hasValidControlDigits, makeNationalId, nationalIdSchema } from '../../schemas/national-id';

describe('national ids', () => {
  it('accepts fødselsnummer with correct mod-11 control digits and reads the birth date', () => {
    // Skatteetaten's published example of a valid number.
    expect(hasValidControlDigits('01010750160')).toBe(true);
    // Individual number 501 with year 07: born in the 2000s.
    expect(classifyNationalId('01010750160')).toEqual({ kind: 'fodselsnummer', birthDate: '2007-01-01' });
  });

  it('reads D-numbers (day + 40) and the century from the individual number', () => {
    const d = makeNationalId('2008-02-02', 512, true)!;
    expect(d.slice(0, 2)).toBe('42');
    expect(classifyNationalId(d)).toEqual({ kind: 'd-number', birthDate: '2008-02-02' });
    const id = makeNationalId('1999-12-31', 123)!;
    expect(birthDateOf(id)).toBe('1999-12-31');
  });

  it('calls any other 11 digits fictitious', () => {
    const valid = [0, 1, 2, 3].map((n) => makeNationalId('2010-03-04', n)).find((id) => id !== undefined)!;
    const broken = valid.slice(0, 10) + String((Number(valid[10]) + 1) % 10);
    expect(classifyNationalId(broken).kind).toBe('fictitious');
    expect(classifyNationalId('99999999999')).toEqual({ kind: 'fictitious', birthDate: undefined });
    // Correct control digits but no such day: still fictitious.
    expect(classifyNationalId('31023312345').kind).toBe('fictitious');
  });

  it('builds only ids that pass their own check', () => {
    let built = 0;
    for (let i = 0; i < 500; i++) {
      const id = makeNationalId('2009-07-15', i);
      if (!id) continue;
      built++;
      expect(classifyNationalId(id)).toEqual({ kind: 'fodselsnummer', birthDate: '2009-07-15' });
    }
    // About (10/11)² of serials have both control digits.
    expect(built).toBeGreaterThan(350);
  });

  it('drops spaces and refuses other shapes without echoing the input', () => {
    expect(nationalIdSchema.parse('010107 501 60')).toBe('01010750160');
    const r = nationalIdSchema.safeParse('0101075016');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('fodselsnummer must be 11 digits');
  });
});
