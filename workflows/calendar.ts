import { DateTime, Duration } from 'luxon';
import { OS_CODES, type OsCode } from '../schemas/ot-codes';

/** Every campaign date is a calendar day in Europe/Oslo; its moment is the start of that day there. */
export const CAMPAIGN_ZONE = 'Europe/Oslo';

export const PHONE_CAMPAIGNS = ['autumn', 'winter'] as const;
export type PhoneCampaign = (typeof PHONE_CAMPAIGNS)[number];

/** A span of days, both ends included: it starts at the start of `from` and ends at the end of `until`. */
export interface DaySpan {
  from: string;
  until: string;
}

/**
 * The dates of one school year's campaign (seeds 000 and 001). Each value is an ISO date (a day in
 * Europe/Oslo) or an ISO date-time (a moment; compressed calendars for trials and tests use these).
 */
export interface CampaignCalendar {
  /** Washing deadline per OS code: OSON 25 Aug, the other codes 29 Sep. */
  washing: Record<OsCode, string>;
  /** The admissions office's cross-check lists are matched in this span (20–30 Sep). */
  crosscheck: DaySpan;
  /** Letter date per OS code: OSON 10 Sep, the other codes 25 Sep. */
  letters: Record<OsCode, string>;
  /** SMS to those still OTUK this long (ISO duration) after a unit's letters for a code are confirmed sent. */
  smsAfterLetters: string;
  /** Each counsellor reports how many OTUK are left in the unit (31 Oct). */
  otukCountDue: string;
  /** The joint phone campaigns: the 14 days before the reports of 15 Nov and 15 Feb. */
  phoneCampaigns: Record<PhoneCampaign, DaySpan>;
  /** Reports to UDIR. */
  reports: { november: string; february: string; june: string };
  /** Evaluation meetings, weeks 50 and 22. */
  evaluations: { autumn: string; spring: string };
  /** The last day of the school year (31 Jul): the cases close at its end. */
  schoolYearEnd: string;
}

function mondayOfWeek(weekYear: number, weekNumber: number): string {
  return DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: CAMPAIGN_ZONE }).toISODate()!;
}

export function defaultCalendar(schoolYear: number): CampaignCalendar {
  const autumn = String(schoolYear);
  const spring = String(schoolYear + 1);
  const otherCodes = (date: string) => ({ OSON: `${autumn}-${date}`, OSUT: '', OSNP: '', OSVE: '' });
  const washing = otherCodes('08-25');
  const letters = otherCodes('09-10');
  for (const code of OS_CODES.filter((c) => c !== 'OSON')) {
    washing[code] = `${autumn}-09-29`;
    letters[code] = `${autumn}-09-25`;
  }
  return {
    washing,
    crosscheck: { from: `${autumn}-09-20`, until: `${autumn}-09-30` },
    letters,
    smsAfterLetters: 'P14D',
    otukCountDue: `${autumn}-10-31`,
    phoneCampaigns: {
      autumn: { from: `${autumn}-11-01`, until: `${autumn}-11-14` },
      winter: { from: `${spring}-02-01`, until: `${spring}-02-14` },
    },
    reports: { november: `${autumn}-11-15`, february: `${spring}-02-15`, june: `${spring}-06-15` },
    evaluations: { autumn: mondayOfWeek(schoolYear, 50), spring: mondayOfWeek(schoolYear + 1, 22) },
    schoolYearEnd: `${spring}-07-31`,
  };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parse(date: string): DateTime {
  const dt = DateTime.fromISO(date, { zone: CAMPAIGN_ZONE });
  if (!dt.isValid) throw new Error(`not a date: ${date}`);
  return dt;
}

/** Epoch milliseconds of an ISO date or date-time, read in Europe/Oslo when it carries no offset. */
export function instantOf(date: string): number {
  return parse(date).toMillis();
}

/** When a day ends (the start of the next one in Europe/Oslo), or the moment itself for a date-time. */
export function endInstantOf(date: string): number {
  const dt = parse(date);
  return DATE_ONLY.test(date) ? dt.plus({ days: 1 }).toMillis() : dt.toMillis();
}

/** The moment a duration after a date: days count as calendar days in Europe/Oslo, so P14D stays 14 days across a clock change. */
export function instantAfter(date: string, duration: string): number {
  const d = Duration.fromISO(duration);
  if (!d.isValid) throw new Error(`not a duration: ${duration}`);
  return parse(date).plus(d).toMillis();
}

/** Whole years between a birth date and a campaign date (both ISO calendar dates; no clock or zone involved). */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/** Every date of a calendar by its dotted key (`letters.OSON`, `phoneCampaigns.autumn.from`); the SMS delay is not a date. */
export function calendarDates(calendar: CampaignCalendar): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') {
      if (prefix !== 'smsAfterLetters') out.push([prefix, value]);
      return;
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(prefix ? `${prefix}.${k}` : k, v);
  };
  walk('', calendar);
  return out;
}

/** A copy of the calendar with one value replaced by its dotted key; undefined when no such key. */
export function withCalendarValue(calendar: CampaignCalendar, key: string, value: string): CampaignCalendar | undefined {
  const copy = JSON.parse(JSON.stringify(calendar)) as Record<string, unknown>;
  const parts = key.split('.');
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) return undefined;
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1];
  if (typeof node[last] !== 'string') return undefined;
  node[last] = value;
  return copy as unknown as CampaignCalendar;
}

/**
 * The same campaign in the same order, its dates `stepSeconds` apart from `startAt`: a whole school
 * year in minutes, for trying the system and for tests with real timers. Equal dates stay equal,
 * and the SMS delay becomes one step.
 */
export function compressCalendar(calendar: CampaignCalendar, startAt: number, stepSeconds: number): CampaignCalendar {
  const dates = calendarDates(calendar);
  // A day that ends a span takes the slot after its own, so that a span of one day still lasts one step.
  const moment = (key: string, date: string) => (key.endsWith('.until') || key === 'schoolYearEnd' ? endInstantOf(date) : instantOf(date));
  const slots = [...new Set(dates.map(([k, d]) => moment(k, d)))].sort((a, b) => a - b);
  let compressed = calendar;
  for (const [key, date] of dates) {
    const at = startAt + slots.indexOf(moment(key, date)) * stepSeconds * 1000;
    compressed = withCalendarValue(compressed, key, DateTime.fromMillis(at, { zone: CAMPAIGN_ZONE }).toISO({ suppressMilliseconds: true })!)!;
  }
  return { ...compressed, smsAfterLetters: `PT${stepSeconds}S` };
}

/**
 * The moments whose status counts are stored: the OTUK count the counsellors owe (31 Oct) and the three
 * reports to UDIR. Each is taken once per cohort by its Temporal Schedule.
 */
export const REPORTS = ['otukCount', 'november', 'february', 'june'] as const;
export type Report = (typeof REPORTS)[number];

/** The calendar date (or moment) of a report. */
export function reportDate(calendar: CampaignCalendar, report: Report): string {
  return report === 'otukCount' ? calendar.otukCountDue : calendar.reports[report];
}
