import type { z } from 'zod';
import { CALENDAR_DURATION_KEYS, type CampaignCalendar } from '../schemas/calendar';
import { calendarShape } from '../schemas/calendar-shape';
import { calendarDates, calendarIssues, withCalendarValue } from '../workflows/calendar';

/** A whole campaign calendar: every date valid (calendarShape), every span forwards, and nothing after the school year ends (calendarIssues). */
export const calendarSchema = calendarShape.superRefine((cal, ctx) => {
  // zod goes on to this check after a bad date has been reported: calendarIssues compares only dates that are dates.
  for (const issue of calendarIssues(cal)) ctx.addIssue({ code: 'custom', ...issue });
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

/** The optional second SMS: `secondSmsAfterFirst=P7D` sets it, `secondSmsAfterFirst=none` (or nothing) sends one SMS only. */
const SECOND_SMS_KEY = 'secondSmsAfterFirst';

/** Applies `KEY=VALUE` settings (dotted keys such as letters.OSON) to a calendar, refusing an unknown key or a bad value. */
export function applyCalendarSettings(calendar: CampaignCalendar, settings: string[]): CampaignCalendar {
  let next = calendar;
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    if (eq < 1) throw new CalendarError(`"${setting}" is not KEY=DATE`);
    const key = setting.slice(0, eq).trim();
    const value = setting.slice(eq + 1).trim();
    if (key === SECOND_SMS_KEY && (value === '' || value === 'none')) {
      // Optional: `none` takes the second SMS out of the calendar.
      const { secondSmsAfterFirst: _dropped, ...rest } = next;
      next = rest;
      continue;
    }
    // A staff deadline may be absent from a calendar stored before it existed: setting it adds it.
    const changed = (CALENDAR_DURATION_KEYS as readonly string[]).includes(key) ? { ...next, [key]: value } : withCalendarValue(next, key, value);
    if (!changed)
      throw new CalendarError(
        `${key} is not a calendar key; keys are ${[...calendarDates(calendar).map(([k]) => k), ...CALENDAR_DURATION_KEYS].join(', ')}`,
      );
    next = changed;
  }
  return parseCalendar(next);
}
