import { DateTime } from 'luxon';
import type { OsCode } from './ot-codes';

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

/** An OS code as a calendar names it: the table's codes, or one the table does not know (yet, or any longer). */
export const OS_CODE_KEY = /^[A-Z][A-Z0-9_]{1,15}$/;
