import { DateTime, Duration } from 'luxon';
import {
  CALENDAR_DURATION_KEYS,
  CAMPAIGN_ZONE,
  DEFAULT_REPLY_OVERDUE_AFTER,
  DEFAULT_REVIEW_OVERDUE_AFTER,
  PHONE_CAMPAIGNS,
  type CampaignCalendar,
  type Report,
} from '../schemas/calendar';
import { OS_CODE_TABLE, type OsCode } from '../schemas/ot-codes';

function mondayOfWeek(weekYear: number, weekNumber: number): string {
  return DateTime.fromObject({ weekYear, weekNumber, weekday: 1 }, { zone: CAMPAIGN_ZONE }).toISODate()!;
}

/** The seeds' calendar of a school year; each OS code's washing and letter dates come from OS_CODE_TABLE. */
export function defaultCalendar(schoolYear: number): CampaignCalendar {
  const autumn = String(schoolYear);
  const spring = String(schoolYear + 1);
  const perOsCode = (date: (row: (typeof OS_CODE_TABLE)[number]) => string) =>
    Object.fromEntries(OS_CODE_TABLE.map((row) => [row.code, `${autumn}-${date(row)}`])) as Record<OsCode, string>;
  const washing = perOsCode((row) => row.washing);
  const letters = perOsCode((row) => row.letters);
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
    ageOut: `${spring}-01-01`,
    schoolYearEnd: `${spring}-07-31`,
    replyOverdueAfter: DEFAULT_REPLY_OVERDUE_AFTER,
    reviewOverdueAfter: DEFAULT_REVIEW_OVERDUE_AFTER,
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

/**
 * The moment a youth who ages out this school year leaves the target group: the calendar's `ageOut`, or, in a calendar
 * stored before it had one, the first moment of the school year's own 1 January in Europe/Oslo.
 */
export function ageOutOf(calendar: CampaignCalendar, schoolYear: number): number {
  return instantOf(calendar.ageOut ?? `${schoolYear + 1}-01-01`);
}

/** Whole years between a birth date and a campaign date (both ISO calendar dates; no clock or zone involved). */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/** Every date of a calendar by its dotted key (`letters.OSON`, `phoneCampaigns.autumn.from`); the lengths of time (CALENDAR_DURATION_KEYS) are not dates. */
export function calendarDates(calendar: CampaignCalendar): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'string') {
      if (!(CALENDAR_DURATION_KEYS as readonly string[]).includes(prefix)) out.push([prefix, value]);
      return;
    }
    if (value === undefined) return;
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
 * and the SMS delay and the staff deadlines each become one step: ten working days or fourteen days are about the
 * gap between two dates of the campaign, and a compressed year has no working days to count.
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
  const step = `PT${stepSeconds}S`;
  return {
    ...compressed,
    smsAfterLetters: step,
    ...(calendar.secondSmsAfterFirst ? { secondSmsAfterFirst: step } : {}),
    replyOverdueAfter: step,
    reviewOverdueAfter: step,
  };
}

/** The calendar date (or moment) of a report. */
export function reportDate(calendar: CampaignCalendar, report: Report): string {
  return report === 'otukCount' ? calendar.otukCountDue : calendar.reports[report];
}

/**
 * A stored calendar with every OS code of OS_CODE_TABLE in its washing and letter dates: a code added
 * after the calendar was stored takes its dates from the school year's default calendar. The dates it
 * has are kept, and so is a key of a code no longer in the table.
 */
export function withDefaults(calendar: CampaignCalendar, schoolYear: number): CampaignCalendar {
  const has = (dates: Record<string, string | undefined>) => OS_CODE_TABLE.every((row) => dates[row.code] !== undefined);
  if (has(calendar.washing) && has(calendar.letters)) return calendar;
  const defaults = defaultCalendar(schoolYear);
  return {
    ...calendar,
    washing: { ...defaults.washing, ...calendar.washing },
    letters: { ...defaults.letters, ...calendar.letters },
  };
}

/** A calendar with its staff deadlines given: one stored before they existed follows the defaults, and shows them. */
export function withDeadlineDefaults(calendar: CampaignCalendar): CampaignCalendar {
  if (calendar.replyOverdueAfter !== undefined && calendar.reviewOverdueAfter !== undefined) return calendar;
  return {
    ...calendar,
    replyOverdueAfter: calendar.replyOverdueAfter ?? DEFAULT_REPLY_OVERDUE_AFTER,
    reviewOverdueAfter: calendar.reviewOverdueAfter ?? DEFAULT_REVIEW_OVERDUE_AFTER,
  };
}

export interface LetterDate {
  /** The letter date as the calendar has it. */
  date: string;
  /** Its moment (instantOf). */
  at: number;
  /** The OS codes whose letters fall on it, in the calendar's order. */
  codes: OsCode[];
}

/** The calendar's distinct letter dates, earliest first, each with the OS codes whose letters fall then (same moment, same date). */
export function letterDates(calendar: CampaignCalendar): LetterDate[] {
  const byMoment = new Map<number, LetterDate>();
  for (const [code, date] of Object.entries(calendar.letters) as [OsCode, string][]) {
    const at = instantOf(date);
    const known = byMoment.get(at);
    if (known) known.codes.push(code);
    else byMoment.set(at, { date, at, codes: [code] });
  }
  return [...byMoment.values()].sort((a, b) => a.at - b.at);
}

export interface CalendarIssue {
  path: string[];
  message: string;
}

/**
 * What is wrong across a calendar's values: a span that does not end after it starts, a date not before
 * the school year ends. Nothing when a date is not a date (the value's own check reports that).
 */
export function calendarIssues(calendar: CampaignCalendar): CalendarIssue[] {
  const dates = calendarDates(calendar);
  if (!dates.every(([, d]) => DateTime.fromISO(d, { zone: CAMPAIGN_ZONE }).isValid)) return [];
  const issues: CalendarIssue[] = [];
  const spans: [string, { from: string; until: string }][] = [
    ['crosscheck', calendar.crosscheck],
    ...PHONE_CAMPAIGNS.map((c): [string, { from: string; until: string }] => [`phoneCampaigns.${c}`, calendar.phoneCampaigns[c]]),
  ];
  for (const [key, s] of spans) {
    if (endInstantOf(s.until) <= instantOf(s.from)) issues.push({ path: key.split('.'), message: `${key} must end after it starts` });
  }
  const end = endInstantOf(calendar.schoolYearEnd);
  for (const [key, date] of dates) {
    // The age-out moment may be the year end itself: then nobody leaves the target group before the year is out.
    if (key === 'ageOut' ? instantOf(date) > end : key !== 'schoolYearEnd' && instantOf(date) >= end)
      issues.push({ path: key.split('.'), message: `${key} (${date}) is not before the school year ends` });
  }
  return issues;
}
