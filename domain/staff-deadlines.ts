import { DateTime, Duration } from 'luxon';
import { CAMPAIGN_ZONE, DEFAULT_REPLY_OVERDUE_AFTER, WORKING_DAYS, type CampaignCalendar } from '../schemas/calendar';
import { addWorkingDays, osloDateOf } from './norwegian-holidays';

/**
 * When a reply forwarded to a caseworker is overdue: after the cohort calendar's `replyOverdueAfter`. In working
 * days (the default, 10), a reply is due by the end of the Nth working day after the day it was forwarded (Oslo
 * time; weekends and public holidays not counted), and overdue from the first moment after. As an ISO duration
 * (a compressed calendar's one step), it is overdue that long after it was forwarded.
 */
export function replyOverdueAt(forwardedAt: number, setting: string = DEFAULT_REPLY_OVERDUE_AFTER): number {
  const days = WORKING_DAYS.exec(setting);
  if (days) {
    const lastDay = addWorkingDays(osloDateOf(forwardedAt), Number(days[1]));
    return DateTime.fromISO(lastDay, { zone: CAMPAIGN_ZONE }).plus({ days: 1 }).toMillis();
  }
  return DateTime.fromMillis(forwardedAt, { zone: CAMPAIGN_ZONE }).plus(durationOf(setting)).toMillis();
}

/**
 * The moment before which a reply must have been forwarded to be overdue at `now`: what the read model's lists and
 * counters compare with (a reply forwarded at r is overdue now exactly when r < this), so no row needs the
 * calendar arithmetic in SQL. replyOverdueAt never goes back as the forwarding moves later, so one cut serves all.
 */
export function replyOverdueCutoff(now: number, setting: string = DEFAULT_REPLY_OVERDUE_AFTER): number {
  const days = WORKING_DAYS.exec(setting);
  if (!days) return DateTime.fromMillis(now, { zone: CAMPAIGN_ZONE }).minus(durationOf(setting)).toMillis();
  // The latest day a reply may have come and be overdue now: step back from today until its deadline has passed.
  let day = DateTime.fromISO(osloDateOf(now), { zone: CAMPAIGN_ZONE });
  while (replyOverdueAt(day.toMillis(), setting) > now) day = day.minus({ days: 1 });
  return day.plus({ days: 1 }).toMillis();
}

/** The cohort's reply deadline, or the default for a calendar without one. */
export const replyOverdueSetting = (calendar: CampaignCalendar): string => calendar.replyOverdueAfter ?? DEFAULT_REPLY_OVERDUE_AFTER;

function durationOf(setting: string): Duration {
  const d = Duration.fromISO(setting);
  if (!d.isValid) throw new Error(`not a deadline: ${setting}`);
  return d;
}
