import { DateTime } from 'luxon';
import { CAMPAIGN_ZONE } from '../schemas/calendar';

/**
 * Norway's public holidays (helligdagar), computed for any year rather than typed in: the fixed days, and the
 * church holidays that move with Easter. A working day is a weekday that is none of them. Days are ISO dates
 * (2026-05-17), read as calendar days in Europe/Oslo; nothing here knows a clock.
 */

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher), as an ISO date. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.utc(year, month, day).toISODate()!;
}

/** The holidays that move with Easter: days after Easter Sunday (negative: before). */
const EASTER_HOLIDAYS: readonly [offset: number, name: string][] = [
  [-3, 'Skjærtorsdag'],
  [-2, 'Langfredag'],
  [0, '1. påskedag'],
  [1, '2. påskedag'],
  [39, 'Kristi himmelfartsdag'],
  [49, '1. pinsedag'],
  [50, '2. pinsedag'],
];

/** The holidays on the same date every year (month-day). */
const FIXED_HOLIDAYS: readonly [monthDay: string, name: string][] = [
  ['01-01', '1. nyttårsdag'],
  ['05-01', 'Offentleg høgtidsdag'],
  ['05-17', 'Grunnlovsdag'],
  ['12-25', '1. juledag'],
  ['12-26', '2. juledag'],
];

const byYear = new Map<number, Map<string, string>>();

/** A year's public holidays, date → name, in date order. */
export function publicHolidays(year: number): Map<string, string> {
  const known = byYear.get(year);
  if (known) return known;
  const easter = DateTime.fromISO(easterSunday(year), { zone: 'utc' });
  const days: [string, string][] = [
    ...FIXED_HOLIDAYS.map(([md, name]): [string, string] => [`${String(year).padStart(4, '0')}-${md}`, name]),
    ...EASTER_HOLIDAYS.map(([offset, name]): [string, string] => [easter.plus({ days: offset }).toISODate()!, name]),
  ];
  const holidays = new Map(days.sort(([a], [b]) => a.localeCompare(b)));
  byYear.set(year, holidays);
  return holidays;
}

const dayOf = (date: string) => {
  const dt = DateTime.fromISO(date, { zone: 'utc' });
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a date: ${date}`);
  return dt;
};

/** Monday to Friday, and not a public holiday. */
export function isWorkingDay(date: string): boolean {
  const dt = dayOf(date);
  return dt.weekday <= 5 && !publicHolidays(dt.year).has(date);
}

/** The `n`th working day after `date` (not counting `date` itself); n = 0 is the date itself. */
export function addWorkingDays(date: string, n: number): string {
  let dt = dayOf(date);
  for (let left = n; left > 0;) {
    dt = dt.plus({ days: 1 });
    if (isWorkingDay(dt.toISODate())) left--;
  }
  return dt.toISODate();
}

/** The calendar day in Europe/Oslo of an instant (epoch milliseconds). */
export function osloDateOf(at: number): string {
  return DateTime.fromMillis(at, { zone: CAMPAIGN_ZONE }).toISODate()!;
}
