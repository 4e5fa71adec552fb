import { z } from 'zod';

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

export const cohortPolicySchema = z.object({
  schoolYear: schoolYearSchema,
  ageLimit: z.number().int().min(15).max(30),
});
export type CohortPolicy = z.infer<typeof cohortPolicySchema>;

export function defaultCohortPolicy(schoolYear: number): CohortPolicy {
  return { schoolYear, ageLimit: defaultAgeLimit(schoolYear) };
}

/** In the target group until the end of the calendar year the youth turns the age limit, counted from the autumn the school year starts. */
export function isBornTooEarly(birthDate: string, policy: CohortPolicy): boolean {
  const birthYear = Number(birthDate.slice(0, 4));
  return policy.schoolYear - birthYear > policy.ageLimit;
}
