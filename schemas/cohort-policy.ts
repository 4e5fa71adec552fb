import { DateTime } from 'luxon';
import { z } from 'zod';
import { CAMPAIGN_ZONE } from './calendar';

/** A school year is named by the year it starts: 2026 is 1 Aug 2026 to 31 Jul 2027. */
export const schoolYearSchema = z.coerce
  .number({ message: 'school year must be a year such as 2026' })
  .int()
  .min(2000, 'school year must be a year such as 2026')
  .max(2100, 'school year must be a year such as 2026');

/**
 * The target group runs to the year the youth turns 21 (the seeds, up to school year 2023);
 * the Education Act of 2024 extended it to 24 from autumn 2024.
 */
export function defaultAgeLimit(schoolYear: number): number {
  return schoolYear >= 2024 ? 24 : 21;
}

/**
 * When a youth of the age limit leaves the target group:
 * - `calendarYear`: at the end of the calendar year they turn the limit (Opplæringslova § 9-4, in force 1 Aug 2024:
 *   "fram til utgangen av det året ein fyller 24 år"); one born in Y − limit is in the group of school year Y for
 *   the November report and out of it from the first moment of 1 January (Y + 1), Europe/Oslo;
 * - `schoolYear`: the whole school year the autumn of which they turn the limit (the rule this system applied before,
 *   and the old law's "det skoleåret ungdommen fyller 21 år"); a county may keep it for a cohort.
 */
export const TARGET_GROUP_ENDS = ['calendarYear', 'schoolYear'] as const;
export type TargetGroupEnd = (typeof TARGET_GROUP_ENDS)[number];

/** The law's words from school year 2024; the whole school year before it, as the cohorts then were run. */
export function defaultTargetGroupEnd(schoolYear: number): TargetGroupEnd {
  return schoolYear >= 2024 ? 'calendarYear' : 'schoolYear';
}

export const cohortPolicySchema = z.object({
  schoolYear: schoolYearSchema,
  ageLimit: z.number().int().min(15).max(30),
  targetGroupEnd: z.enum(TARGET_GROUP_ENDS),
});
export type CohortPolicy = z.infer<typeof cohortPolicySchema>;

export function defaultCohortPolicy(schoolYear: number): CohortPolicy {
  return { schoolYear, ageLimit: defaultAgeLimit(schoolYear), targetGroupEnd: defaultTargetGroupEnd(schoolYear) };
}

/** In the target group until the end of the calendar year the youth turns the age limit, counted from the autumn the school year starts. */
export function isBornTooEarly(birthDate: string, policy: Pick<CohortPolicy, 'schoolYear' | 'ageLimit'>): boolean {
  const birthYear = Number(birthDate.slice(0, 4));
  return policy.schoolYear - birthYear > policy.ageLimit;
}

/**
 * The day a youth of the cohort leaves the target group within its school year, or undefined when they stay in it
 * until the year ends: under `calendarYear`, 1 January (Y + 1) for one born in Y − limit (they turn the limit in the
 * autumn the school year starts). Only the birth year counts, never the day: one born 31 December and one born
 * 1 January of that year leave at the same moment. The case carries this date, not the birth date.
 */
export function ageOutDateOf(birthDate: string, policy: CohortPolicy): string | undefined {
  if (policy.targetGroupEnd !== 'calendarYear' || isBornTooEarly(birthDate, policy)) return undefined;
  const birthYear = Number(birthDate.slice(0, 4));
  return policy.schoolYear - birthYear === policy.ageLimit ? `${policy.schoolYear + 1}-01-01` : undefined;
}

/** Whether a youth born on this day is in the cohort's target group at a moment (epoch ms), the calendar years read in Europe/Oslo. */
export function inTargetGroupAt(birthDate: string, policy: CohortPolicy, at: number): boolean {
  if (isBornTooEarly(birthDate, policy)) return false;
  const ageOut = ageOutDateOf(birthDate, policy);
  return ageOut === undefined || at < DateTime.fromISO(ageOut, { zone: CAMPAIGN_ZONE }).toMillis();
}
