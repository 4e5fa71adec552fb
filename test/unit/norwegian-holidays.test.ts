import { DateTime } from 'luxon';
import { addWorkingDays, easterSunday, isWorkingDay, publicHolidays } from '../../domain/norwegian-holidays';
import { replyOverdueAt, replyOverdueCutoff } from '../../domain/staff-deadlines';

const oslo = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Oslo' }).toMillis();

describe("Norway's public holidays", () => {
  // Easter Sunday as the almanacs publish it (the Church of Norway's calendar; the same Gregorian computus).
  it.each([
    [2008, '2008-03-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('lists the twelve holidays of 2025 as published', () => {
    expect([...publicHolidays(2025).entries()]).toEqual([
      ['2025-01-01', '1. nyttårsdag'],
      ['2025-04-17', 'Skjærtorsdag'],
      ['2025-04-18', 'Langfredag'],
      ['2025-04-20', '1. påskedag'],
      ['2025-04-21', '2. påskedag'],
      ['2025-05-01', 'Offentleg høgtidsdag'],
      ['2025-05-17', 'Grunnlovsdag'],
      ['2025-05-29', 'Kristi himmelfartsdag'],
      ['2025-06-08', '1. pinsedag'],
      ['2025-06-09', '2. pinsedag'],
      ['2025-12-25', '1. juledag'],
      ['2025-12-26', '2. juledag'],
    ]);
  });

  it.each([
    // year, Skjærtorsdag, Langfredag, 2. påskedag, Kristi himmelfartsdag, 2. pinsedag
    [2024, '2024-03-28', '2024-03-29', '2024-04-01', '2024-05-09', '2024-05-20'],
    [2026, '2026-04-02', '2026-04-03', '2026-04-06', '2026-05-14', '2026-05-25'],
    [2027, '2027-03-25', '2027-03-26', '2027-03-29', '2027-05-06', '2027-05-17'],
  ])('the moving holidays of %i', (year, thursday, friday, monday, ascension, whitMonday) => {
    const names = publicHolidays(year);
    expect([names.get(thursday), names.get(friday), names.get(monday), names.get(ascension), names.get(whitMonday)]).toEqual([
      'Skjærtorsdag',
      'Langfredag',
      '2. påskedag',
      'Kristi himmelfartsdag',
      '2. pinsedag',
    ]);
  });

  it('keeps one name for a day that is two holidays (17 May 2027 is also 2. pinsedag)', () => {
    expect(publicHolidays(2027).size).toBe(11);
  });

  it('counts weekdays that are no holiday as working days', () => {
    expect(isWorkingDay('2026-04-01')).toBe(true); // the Wednesday before Easter
    expect(isWorkingDay('2026-04-02')).toBe(false); // Skjærtorsdag
    expect(isWorkingDay('2026-04-04')).toBe(false); // a Saturday
    expect(isWorkingDay('2026-05-18')).toBe(true);
    expect(() => isWorkingDay('2026-13-01')).toThrow('not a date');
  });

  it('adds working days across Easter and Christmas', () => {
    // Wednesday 1 Apr 2026: Thursday to Monday are holidays or the weekend, so the first working day is Tuesday 7 Apr.
    expect(addWorkingDays('2026-04-01', 1)).toBe('2026-04-07');
    expect(addWorkingDays('2026-04-01', 10)).toBe('2026-04-20');
    // Monday 21 Dec 2026: 22, 23, 24 (a Thursday, not a public holiday), 28, 29, 30, 31 Dec, 4, 5 Jan (1 Jan is a holiday).
    expect(addWorkingDays('2026-12-21', 9)).toBe('2027-01-05');
    expect(addWorkingDays('2026-12-21', 0)).toBe('2026-12-21');
  });
});

describe('a reply forwarded to a caseworker', () => {
  it('is overdue after the end of the tenth working day after the day it came', () => {
    // Forwarded at 15:00 on Wednesday 1 Apr 2026: due by the end of Monday 20 Apr.
    expect(replyOverdueAt(oslo('2026-04-01T15:00'))).toBe(oslo('2026-04-21T00:00'));
    expect(replyOverdueAt(oslo('2026-04-01T15:00'), '3 working days')).toBe(oslo('2026-04-10T00:00'));
  });

  it('is overdue a plain duration after it came on a compressed calendar', () => {
    expect(replyOverdueAt(oslo('2026-04-01T15:00'), 'PT60S')).toBe(oslo('2026-04-01T15:01'));
  });

  it('has a cut-off that matches the deadline of every reply around it', () => {
    for (const setting of ['10 working days', '1 working day', 'PT90S', 'P3D']) {
      for (const now of [oslo('2026-04-21T00:00'), oslo('2026-04-20T23:59'), oslo('2026-12-28T09:00'), oslo('2027-01-05T12:00')]) {
        const cutoff = replyOverdueCutoff(now, setting);
        for (let r = cutoff - 3 * 86_400_000; r < cutoff + 3 * 86_400_000; r += 3_600_000 + 17_000) {
          expect([setting, new Date(now).toISOString(), new Date(r).toISOString(), replyOverdueAt(r, setting) <= now]).toEqual([
            setting,
            new Date(now).toISOString(),
            new Date(r).toISOString(),
            r < cutoff,
          ]);
        }
      }
    }
  });
});
