import { DateTime } from 'luxon';
import type { OsCode } from '../schemas/ot-codes';

/** Every campaign date is a calendar day in Europe/Oslo; its moment is the start of that day there. */
export const CAMPAIGN_ZONE = 'Europe/Oslo';

/** The dates of a school year that the foundation needs (seed 000/001); the full calendar grows from here. */
export interface CampaignCalendar {
  /** Letter date per OS code: OSON 10 Sep, the other codes 25 Sep. */
  letters: Record<OsCode, string>;
  /** The school year ends 31 Jul; cases close then. */
  schoolYearEnd: string;
}

export function defaultCalendar(schoolYear: number): CampaignCalendar {
  const autumn = String(schoolYear);
  return {
    letters: { OSON: `${autumn}-09-10`, OSUT: `${autumn}-09-25`, OSNP: `${autumn}-09-25`, OSVE: `${autumn}-09-25` },
    schoolYearEnd: `${schoolYear + 1}-07-31`,
  };
}

/** Epoch milliseconds of an ISO date or date-time, read in Europe/Oslo when it carries no offset. */
export function instantOf(date: string): number {
  const dt = DateTime.fromISO(date, { zone: CAMPAIGN_ZONE });
  if (!dt.isValid) throw new Error(`not a date: ${date}`);
  return dt.toMillis();
}

/** Whole years between a birth date and a campaign date (both ISO calendar dates; no clock or zone involved). */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}
