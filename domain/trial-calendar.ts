import type { CampaignCalendar } from '../schemas/calendar';
import { OS_CODE_TABLE } from '../schemas/ot-codes';
import { compressCalendar, defaultCalendar, withCalendarValue } from '../workflows/calendar';
import { parseCalendar } from './calendar-settings';

/** When the dates that matter fall, in steps after the start; everything else is already past. */
export interface YearInSteps {
  /** The letters of the codes after the first letter date of OS_CODE_TABLE: OSUT, OSNP and OSVE (the OSON letters are due at once). */
  otherLetters: number;
  autumnCampaign: [from: number, until: number];
  winterCampaign: [from: number, until: number];
  schoolYearEnd: number;
  /**
   * When 1 January falls (`ageOut`: a youth born in the year the cohort's age limit names leaves the target group then);
   * when not named, at the year end, so that such a youth stays in the group for the test's whole year.
   */
  ageOut?: number;
}

/**
 * A school year in seconds for tests and benchmarks: the default calendar with every date already past
 * (so the letters of the codes with the earliest letter date, OSON, are due at once), then the letters of the other codes, the two phone campaigns
 * and the year end `stepMs` apart from `t0` (and 1 January, `ageOut`, where named); the SMS goes 2 s after a mailing.
 */
export function yearInSteps(schoolYear: number, t0: number, stepMs: number, steps: YearInSteps): CampaignCalendar {
  let cal = compressCalendar(defaultCalendar(schoolYear), t0 - 60_000, 1);
  const set = (key: string, step: number) => (cal = withCalendarValue(cal, key, new Date(t0 + step * stepMs).toISOString())!);
  const firstLetters = OS_CODE_TABLE.map((row) => row.letters).sort()[0];
  for (const row of OS_CODE_TABLE) if (row.letters !== firstLetters) set(`letters.${row.code}`, steps.otherLetters);
  set('phoneCampaigns.autumn.from', steps.autumnCampaign[0]);
  set('phoneCampaigns.autumn.until', steps.autumnCampaign[1]);
  set('phoneCampaigns.winter.from', steps.winterCampaign[0]);
  set('phoneCampaigns.winter.until', steps.winterCampaign[1]);
  set('schoolYearEnd', steps.schoolYearEnd);
  set('ageOut', steps.ageOut ?? steps.schoolYearEnd);
  return parseCalendar({ ...cal, smsAfterLetters: 'PT2S' });
}

/**
 * The trial calendar an operator switches a cohort to (`ot calendar set --compressed`, the console's calendar page):
 * the same campaign in the same order from one step after the next whole second, each date `stepSeconds` after
 * the one before, so a whole school year passes in minutes.
 */
export function trialCalendarFromNow(calendar: CampaignCalendar, stepSeconds: number, now: number = Date.now()): CampaignCalendar {
  // From the next whole second: the dates read more easily without milliseconds.
  const startAt = Math.ceil(now / 1000) * 1000 + stepSeconds * 1000;
  return compressCalendar(calendar, startAt, stepSeconds);
}
