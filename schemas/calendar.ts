import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import {
  calendarDates,
  CAMPAIGN_ZONE,
  endInstantOf,
  instantOf,
  PHONE_CAMPAIGNS,
  withCalendarValue,
  type CampaignCalendar,
} from '../workflows/calendar';
import { OS_CODES } from './ot-codes';

/** A day (2026-09-10) or a moment (2026-09-10T08:00:00), read in Europe/Oslo. */
export function isCampaignMoment(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(s) && DateTime.fromISO(s, { zone: CAMPAIGN_ZONE }).isValid;
}

const campaignDate = z.string().refine(isCampaignMoment, {
  message: 'must be a date (2026-09-10) or a date and time (2026-09-10T08:00:00)',
});
const span = z.strictObject({ from: campaignDate, until: campaignDate });
const perOsCode = z.strictObject(Object.fromEntries(OS_CODES.map((c) => [c, campaignDate])) as Record<(typeof OS_CODES)[number], typeof campaignDate>);

const calendarShape = z.strictObject({
  washing: perOsCode,
  crosscheck: span,
  letters: perOsCode,
  smsAfterLetters: z.string().refine((s) => Duration.fromISO(s).isValid && Duration.fromISO(s).toMillis() > 0, {
    message: 'must be an ISO duration above zero, such as P14D or PT30S',
  }),
  otukCountDue: campaignDate,
  phoneCampaigns: z.strictObject(Object.fromEntries(PHONE_CAMPAIGNS.map((c) => [c, span])) as Record<(typeof PHONE_CAMPAIGNS)[number], typeof span>),
  reports: z.strictObject({ november: campaignDate, february: campaignDate, june: campaignDate }),
  evaluations: z.strictObject({ autumn: campaignDate, spring: campaignDate }),
  schoolYearEnd: campaignDate,
});

/** A whole campaign calendar: every date valid, every span forwards, and nothing after the school year ends. */
export const calendarSchema = calendarShape.superRefine((cal, ctx) => {
  // zod goes on to this check after a bad date has been reported: compare only dates that are dates.
  if (!calendarDates(cal).every(([, d]) => DateTime.fromISO(d, { zone: CAMPAIGN_ZONE }).isValid)) return;
  const spans: [string, { from: string; until: string }][] = [['crosscheck', cal.crosscheck], ...PHONE_CAMPAIGNS.map((c) => [`phoneCampaigns.${c}`, cal.phoneCampaigns[c]] as [string, typeof cal.crosscheck])];
  for (const [key, s] of spans) {
    if (endInstantOf(s.until) <= instantOf(s.from)) ctx.addIssue({ code: 'custom', path: key.split('.'), message: `${key} must end after it starts` });
  }
  const end = endInstantOf(cal.schoolYearEnd);
  for (const [key, date] of calendarDates(cal)) {
    if (key !== 'schoolYearEnd' && instantOf(date) >= end) ctx.addIssue({ code: 'custom', path: key.split('.'), message: `${key} (${date}) is not before the school year ends` });
  }
});

export class CalendarError extends Error {}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const key = issue.path.join('.');
  return key && !issue.message.startsWith(key) ? `${key}: ${issue.message}` : issue.message;
}

export function parseCalendar(raw: unknown): CampaignCalendar {
  const parsed = calendarSchema.safeParse(raw);
  if (!parsed.success) throw new CalendarError(firstIssue(parsed.error));
  return parsed.data;
}

/** Applies `KEY=VALUE` settings (dotted keys such as letters.OSON) to a calendar, refusing an unknown key or a bad value. */
export function applyCalendarSettings(calendar: CampaignCalendar, settings: string[]): CampaignCalendar {
  let next = calendar;
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq < 1) throw new CalendarError(`"${setting}" is not KEY=DATE`);
    const key = setting.slice(0, eq).trim();
    const changed = withCalendarValue(next, key, setting.slice(eq + 1).trim());
    if (!changed) throw new CalendarError(`${key} is not a calendar key; keys are ${[...calendarDates(calendar).map(([k]) => k), 'smsAfterLetters'].join(', ')}`);
    next = changed;
  }
  return parseCalendar(next);
}
