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

/** Whole years between a birth date and a campaign date. */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = DateTime.fromISO(birthDate, { zone: CAMPAIGN_ZONE });
  const on = DateTime.fromISO(onDate, { zone: CAMPAIGN_ZONE });
  return Math.floor(on.diff(birth, 'years').years);
}
