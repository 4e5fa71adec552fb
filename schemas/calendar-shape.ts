import { Duration } from 'luxon';
import { z } from 'zod';
import { isCampaignMoment, OS_CODE_KEY, PHONE_CAMPAIGNS, WORKING_DAYS, type PhoneCampaign } from './calendar';
import { atMost, CALENDAR_VALUE_MAX } from './limits';
import { OS_CODES, type OsCode } from './ot-codes';

/*
 * The calendar's zod schemas, apart from its constants and types (calendar.ts): workflow code imports those, and a
 * module that imports zod costs every workflow that loads it the evaluation of zod in its sandbox.
 */

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

const anyOsCodes = z.record(z.string().regex(OS_CODE_KEY), campaignDate);

/**
 * A calendar as the case workflow takes it by its calendarChanged signal: calendarShape, except that the
 * dates per OS code may be of any codes. A calendar read from a release whose table has a code this
 * release lacks carries its dates, and one stored before a code was added lacks them (the case waits for
 * them, deadlines.ts): both are calendars to follow, not to refuse.
 */
export const signalledCalendarShape = calendarShape.extend({ washing: anyOsCodes, letters: anyOsCodes });
