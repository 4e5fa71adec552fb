import { schoolYearSchema } from '../../../../../schemas/cohort-policy';

/** The school year running now in Europe/Oslo: one starting 1 August is named by that year. */
export function currentSchoolYear(now = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  return month >= 8 ? year : year - 1;
}

/** The school year a page shows: the `aar` of its address when it is one, else the one running now. */
export function schoolYearOf(param: string | null): number {
  const parsed = schoolYearSchema.safeParse(param ?? '');
  return param && parsed.success ? parsed.data : currentSchoolYear();
}

/** Why a typed school year is not one, in the API's words; undefined when it is. */
export function schoolYearProblem(typed: string): string | undefined {
  const parsed = schoolYearSchema.safeParse(typed);
  return parsed.success ? undefined : parsed.error.issues[0].message;
}
