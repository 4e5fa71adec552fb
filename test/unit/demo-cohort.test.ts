import { generateTransfer } from '../../domain/demo-cohort';
import { readTransfer } from '../../domain/vigo-transfer';
import { ageOutDateOf, defaultCohortPolicy } from '../../schemas/cohort-policy';
import { OS_CODE_TABLE, OS_CODES } from '../../schemas/ot-codes';
import { DEFAULT_UNITS } from '../../schemas/units';
import { VIGO_COLUMNS } from '../../schemas/vigo-row';

const YEAR = 2026;
const SIZE = 3000;
const text = generateTransfer({ size: SIZE, schoolYear: YEAR, units: DEFAULT_UNITS, seed: 42 });
const reading = readTransfer(text, DEFAULT_UNITS, defaultCohortPolicy(YEAR));

describe('the demo cohort generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateTransfer({ size: SIZE, schoolYear: YEAR, units: DEFAULT_UNITS, seed: 42 })).toBe(text);
    expect(generateTransfer({ size: SIZE, schoolYear: YEAR, units: DEFAULT_UNITS, seed: 43 })).not.toBe(text);
  });

  it('writes what Excel writes: every column in the header, CRLF, no byte-order mark', () => {
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.split('\r\n', 1)[0]).toBe(VIGO_COLUMNS.join(';'));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(reading.warnings).toEqual([]);
  });

  it('has the requested number of rows, nearly all accepted and the rest rejected with a reason', () => {
    expect(reading.rows).toBe(SIZE);
    expect(reading.accepted.length + reading.rejected.length + reading.outsideTargetGroup.length).toBe(SIZE);
    expect(reading.rejected.length).toBeGreaterThan(0);
    expect(reading.rejected.length).toBeLessThan(SIZE * 0.02);
    for (const r of reading.rejected) expect(r.reason).toMatch(/\w/);
    const reasons = reading.rejected.map((r) => r.reason).join('\n');
    expect(reasons).toMatch(/the same fodselsnummer as line \d+/);
    expect(reasons).toMatch(/etternavn is missing/);
    expect(reasons).toMatch(/not a configured OT unit/);
    expect(reasons).toMatch(/mobil/);
  });

  it('uses every OS code and every unit', () => {
    expect(new Set(reading.accepted.map((p) => p.osCode))).toEqual(new Set(OS_CODES));
    expect(new Set(reading.accepted.map((p) => p.unit))).toEqual(new Set(DEFAULT_UNITS.map((u) => u.code)));
  });

  it('gives the OS codes in the shares of their demo weights in OS_CODE_TABLE', () => {
    const total = OS_CODE_TABLE.reduce((sum, row) => sum + row.demoWeight, 0);
    for (const row of OS_CODE_TABLE) {
      const share = reading.accepted.filter((p) => p.osCode === row.code).length / reading.accepted.length;
      expect(Math.abs(share - row.demoWeight / total)).toBeLessThan(0.03);
    }
  });

  it('has Norwegian names, addresses and mobiles', () => {
    const names = reading.accepted.map((p) => `${p.firstName} ${p.lastName}`);
    for (const letter of ['æ', 'ø', 'å', 'Æ', 'Ø', 'Å']) expect(names.some((n) => n.includes(letter))).toBe(true);
    expect(names.some((n) => /[éèëüñ]/.test(n))).toBe(true);
    expect(reading.accepted.every((p) => !p.address || /^\d{4}$/.test(p.address.postcode))).toBe(true);
    const mobiles = reading.accepted.filter((p) => p.mobile).length;
    expect(mobiles / reading.accepted.length).toBeGreaterThan(0.8);
    expect(mobiles).toBeLessThan(reading.accepted.length);
    expect(reading.accepted.some((p) => p.address2)).toBe(true);
    expect(reading.accepted.some((p) => p.address?.street.includes(';'))).toBe(true);
  });

  it('gives every minor a guardian, some at another address', () => {
    const minors = reading.accepted.filter((p) => p.under18);
    expect(minors.length).toBeGreaterThan(SIZE * 0.3);
    for (const p of minors) expect(p.guardians.length).toBeGreaterThan(0);
    expect(minors.some((p) => p.guardians.some((g) => g.address && g.address.street !== p.address?.street))).toBe(true);
  });

  it('has fictitious ids with and without address, D-numbers, and washed cases', () => {
    const fictitious = reading.accepted.filter((p) => p.idKind === 'fictitious');
    expect(fictitious.some((p) => !p.address)).toBe(true);
    expect(fictitious.some((p) => p.address)).toBe(true);
    expect(reading.accepted.some((p) => p.idKind === 'd-number')).toBe(true);
    expect(reading.accepted.some((p) => p.idKind !== 'fictitious' && !p.address)).toBe(true);
    const washed = reading.accepted.filter((p) => p.caseworker && p.washedStatus);
    expect(washed.some((p) => p.washedStatus === 'OTOV')).toBe(true);
    expect(washed.some((p) => p.washedStatus === 'OTFU_IM')).toBe(true);
    expect(washed.some((p) => p.washedStatus?.endsWith('_IM') && p.washedStatus !== 'OTFU_IM')).toBe(true);
  });

  it('puts everyone within ages 15 to the age limit (24 from 2024) of the school year', () => {
    for (const p of reading.accepted) {
      const age = YEAR - Number(p.birthDate!.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(15);
      expect(age).toBeLessThanOrEqual(24);
    }
    expect(reading.outsideTargetGroup).toEqual([]);
  });

  it('has youth at the age limit who leave the target group on 1 January, some born on the edge of the year', () => {
    const policy = defaultCohortPolicy(YEAR);
    expect(policy).toMatchObject({ ageLimit: 24, targetGroupEnd: 'calendarYear' });
    const agesOut = reading.accepted.filter((p) => ageOutDateOf(p.birthDate!, policy) !== undefined);
    expect(agesOut.length / reading.accepted.length).toBeGreaterThan(0.015);
    expect(agesOut.length / reading.accepted.length).toBeLessThan(0.05);
    for (const p of agesOut) expect(ageOutDateOf(p.birthDate!, policy)).toBe(`${YEAR + 1}-01-01`);
    // The edge: born 31 December of the limit's year leaves, born the next day stays the whole school year.
    expect(agesOut.filter((p) => p.birthDate === '2002-12-31').length).toBeGreaterThan(1);
    const nextDay = reading.accepted.filter((p) => p.birthDate === '2003-01-01');
    expect(nextDay.length).toBeGreaterThan(0);
    for (const p of nextDay) expect(ageOutDateOf(p.birthDate!, policy)).toBeUndefined();
  });

  it('puts the edge in the first two rows, so a small file has one who ages out and one who does not', () => {
    const small = readTransfer(
      generateTransfer({ size: 20, schoolYear: 2027, units: DEFAULT_UNITS, seed: 3 }),
      DEFAULT_UNITS,
      defaultCohortPolicy(2027),
    );
    const byLine = new Map(small.accepted.map((p) => [p.line, p]));
    expect(byLine.get(2)?.birthDate).toBe('2003-12-31');
    expect(ageOutDateOf('2003-12-31', defaultCohortPolicy(2027))).toBe('2028-01-01');
    expect(byLine.get(3)?.birthDate).toBe('2004-01-01');
  });

  it('follows the age limit it is given, and adds none at a limit the ages already reach', () => {
    const older = readTransfer(
      generateTransfer({ size: 2000, schoolYear: 2023, units: DEFAULT_UNITS, seed: 5 }),
      DEFAULT_UNITS,
      defaultCohortPolicy(2023),
    );
    // Up to 2023 the limit is 21 and the whole school year counts: nobody leaves on 1 January, those over 21 are skipped.
    expect(older.accepted.every((p) => ageOutDateOf(p.birthDate!, defaultCohortPolicy(2023)) === undefined)).toBe(true);
    expect(older.outsideTargetGroup.length).toBeGreaterThan(0);
    const lifted = generateTransfer({ size: 2000, schoolYear: 2026, units: DEFAULT_UNITS, seed: 5, ageLimit: 27 });
    const policy = { ...defaultCohortPolicy(2026), ageLimit: 27 };
    const atLimit = readTransfer(lifted, DEFAULT_UNITS, policy).accepted.filter((p) => ageOutDateOf(p.birthDate!, policy));
    expect(atLimit.length).toBeGreaterThan(20);
    expect(new Set(atLimit.map((p) => p.birthDate!.slice(0, 4)))).toEqual(new Set(['1999']));
  });

  // Its speed is measured by bench/cohort-start, not here.
  it('writes a national cohort of 30,000 rows', () => {
    const big = generateTransfer({ size: 30000, schoolYear: YEAR, units: DEFAULT_UNITS, seed: 7 });
    expect(big.split('\r\n').length).toBe(30002);
  });
});
