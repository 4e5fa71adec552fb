import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import { atMost, CALENDAR_VALUE_MAX } from './limits';
import { OS_CODES, type OsCode } from './ot-codes';

/** Every campaign date is a calendar day in Europe/Oslo; its moment is the start of that day there. */
export const CAMPAIGN_ZONE = 'Europe/Oslo';

export const PHONE_CAMPAIGNS = ['autumn', 'winter'] as const;
export type PhoneCampaign = (typeof PHONE_CAMPAIGNS)[number];

/**
 * The moments whose status counts are stored: the OTUK count the counsellors owe (31 Oct) and the three
 * reports to UDIR. Each is taken once per cohort by its Temporal Schedule.
 */
export const REPORTS = ['otukCount', 'november', 'february', 'june'] as const;
export type Report = (typeof REPORTS)[number];

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
  /** Washing deadline per OS code (OS_CODE_TABLE): OSON 25 Aug, the other codes 29 Sep. */
  washing: Record<OsCode, string>;
  /** The admissions office's cross-check lists are matched in this span (20–30 Sep). */
  crosscheck: DaySpan;
  /** Letter date per OS code (OS_CODE_TABLE): OSON 10 Sep, the other codes 25 Sep. */
  letters: Record<OsCode, string>;
  /** SMS to those still OTUK this long (ISO duration) after a unit's letters for a code are confirmed sent. */
  smsAfterLetters: string;
  /**
   * The second SMS round (the seeds' "SMS1" implies more than one): this long (ISO duration) after the first SMS of a
   * mailing fell due, to those still OTUK with a mobile. Absent: the cohort sends one SMS.
   */
  secondSmsAfterFirst?: string;
  /** Each counsellor reports how many OTUK are left in the unit (31 Oct). */
  otukCountDue: string;
  /** The joint phone campaigns: the 14 days before the reports of 15 Nov and 15 Feb. */
  phoneCampaigns: Record<PhoneCampaign, DaySpan>;
  /** Reports to UDIR. */
  reports: { november: string; february: string; june: string };
  /** Evaluation meetings, weeks 50 and 22. */
  evaluations: { autumn: string; spring: string };
  /**
   * 1 January of the school year's spring ((Y+1)-01-01): a youth the cohort's policy lets go at the end of the calendar
   * year they turn the age limit (schemas/cohort-policy.ts) leaves the target group at its first moment. A date here,
   * so a compressed calendar moves it with the rest; absent in calendars stored before it was known, where it is the
   * school year's own 1 January (ageOutOf in workflows/calendar.ts). At the year end itself: nobody leaves before the year ends.
   */
  ageOut?: string;
  /** The last day of the school year (31 Jul): the cases close at its end. */
  schoolYearEnd: string;
  /**
   * How long a reply forwarded to a caseworker (contactEstablished) may wait for an outcome before it is overdue:
   * `10 working days` (the default; weekends and Norway's public holidays not counted, domain/norwegian-holidays.ts),
   * or an ISO duration of plain elapsed time, which is what a compressed calendar uses (one step). Absent in calendars
   * stored before it existed: the default.
   */
  replyOverdueAfter?: string;
  /** How long after its date a follow-up plan's review may wait before it is overdue (ISO duration; default P14D, 14 calendar days). */
  reviewOverdueAfter?: string;
}

/** A staff deadline in working days: `10 working days`. */
export const WORKING_DAYS = /^(\d{1,3}) working days?$/;

/** The defaults of the staff deadlines (a calendar without them follows these). */
export const DEFAULT_REPLY_OVERDUE_AFTER = '10 working days';
export const DEFAULT_REVIEW_OVERDUE_AFTER = 'P14D';

/** The calendar's values that are lengths of time, not dates. */
export const CALENDAR_DURATION_KEYS = ['smsAfterLetters', 'secondSmsAfterFirst', 'replyOverdueAfter', 'reviewOverdueAfter'] as const;

/** A day (2026-09-10) or a moment (2026-09-10T08:00:00), read in Europe/Oslo. */
export function isCampaignMoment(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(s) && DateTime.fromISO(s, { zone: CAMPAIGN_ZONE }).isValid;
}

/** The longest SMS delay: past it, adding the delay to a date may leave the calendar's range and give no moment at all. */
const LONGEST_SMS_DELAY = Duration.fromObject({ years: 1 }).toMillis();

// A calendar's issues are shown after their key (calendar-settings.ts): `letters.OSON: at most 40 characters`.
const calendarValue = z.string().max(CALENDAR_VALUE_MAX, atMost(CALENDAR_VALUE_MAX));
const campaignDate = calendarValue.refine(isCampaignMoment, {
  message: 'must be a date (2026-09-10) or a date and time (2026-09-10T08:00:00)',
});
const smsDelay = calendarValue.refine(
  (s) => Duration.fromISO(s).isValid && Duration.fromISO(s).toMillis() > 0 && Duration.fromISO(s).toMillis() <= LONGEST_SMS_DELAY,
  { message: 'must be an ISO duration above zero and at most a year, such as P14D or PT30S' },
);
const positiveDuration = (s: string) =>
  Duration.fromISO(s).isValid && Duration.fromISO(s).toMillis() > 0 && Duration.fromISO(s).toMillis() <= LONGEST_SMS_DELAY;
const reviewDelay = calendarValue.refine(positiveDuration, {
  message: 'must be an ISO duration above zero and at most a year, such as P14D or PT60S',
});
const replyDelay = calendarValue.refine((s) => positiveDuration(s) || (WORKING_DAYS.test(s) && Number(WORKING_DAYS.exec(s)![1]) > 0), {
  message: 'must be a number of working days (10 working days) or an ISO duration such as PT60S',
});
const span = z.strictObject({ from: campaignDate, until: campaignDate });
const perOsCode = z.strictObject(Object.fromEntries(OS_CODES.map((c) => [c, campaignDate])) as Record<OsCode, typeof campaignDate>);

/**
 * Each value of a calendar on its own: every key there and no other, every date a date, the SMS delay
 * a duration. The checks across values (spans forwards, nothing after the year end) need the calendar
 * arithmetic: `calendarSchema` in domain/calendar-settings.ts adds them.
 */
export const calendarShape = z.strictObject({
  washing: perOsCode,
  crosscheck: span,
  letters: perOsCode,
  smsAfterLetters: smsDelay,
  secondSmsAfterFirst: smsDelay.optional(),
  otukCountDue: campaignDate,
  phoneCampaigns: z.strictObject(Object.fromEntries(PHONE_CAMPAIGNS.map((c) => [c, span])) as Record<PhoneCampaign, typeof span>),
  reports: z.strictObject({ november: campaignDate, february: campaignDate, june: campaignDate }),
  evaluations: z.strictObject({ autumn: campaignDate, spring: campaignDate }),
  ageOut: campaignDate.optional(),
  schoolYearEnd: campaignDate,
  replyOverdueAfter: replyDelay.optional(),
  reviewOverdueAfter: reviewDelay.optional(),
});

/** An OS code as a calendar names it: the table's codes, or one the table does not know (yet, or any longer). */
export const OS_CODE_KEY = /^[A-Z][A-Z0-9_]{1,15}$/;
const anyOsCodes = z.record(z.string().regex(OS_CODE_KEY), campaignDate);

/**
 * A calendar as the case workflow takes it by its calendarChanged signal: calendarShape, except that the
 * dates per OS code may be of any codes. A calendar read from a release whose table has a code this
 * release lacks carries its dates, and one stored before a code was added lacks them (the case waits for
 * them, deadlines.ts): both are calendars to follow, not to refuse.
 */
export const signalledCalendarShape = calendarShape.extend({ washing: anyOsCodes, letters: anyOsCodes });
