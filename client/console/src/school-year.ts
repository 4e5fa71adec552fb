import { schoolYearSchema } from '../../../schemas/cohort-policy';

/**
 * The school year every page works on: named in the address as `?aar=2027`, so a link or a reload shows the same;
 * a page whose address names none takes the one last chosen in this tab (moving from Brev to Oversikt keeps it),
 * else the one running now.
 */
export const SCHOOL_YEAR_PARAM = 'aar';
const REMEMBERED = 'ot-school-year';

/** The school year running today in Oslo: one starts on 1 August and is named by the year it starts. */
export function currentSchoolYear(now = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', year: 'numeric', month: 'numeric' }).formatToParts(now);
  const part = (type: 'year' | 'month') => Number(parts.find((p) => p.type === type)?.value);
  return part('month') >= 8 ? part('year') : part('year') - 1;
}

/** Why a typed school year is not one, in the API's words (schemas/cohort-policy.ts); undefined when it is. */
export function schoolYearProblem(typed: string): string | undefined {
  const parsed = schoolYearSchema.safeParse(typed);
  return parsed.success && /^\d{4}$/.test(typed.trim()) ? undefined : (parsed.error?.issues[0]?.message ?? 'a school year is four digits');
}

/** The year a page without one in its address shows. */
export function defaultSchoolYear(): number {
  const remembered = sessionStorage.getItem(REMEMBERED) ?? '';
  return schoolYearProblem(remembered) ? currentSchoolYear() : Number(remembered);
}

/** The school year of the address's `aar`, remembered for the next page; the default when it names none or no year. */
export function schoolYearOf(param: string | null): number {
  if (param === null || schoolYearProblem(param)) return defaultSchoolYear();
  sessionStorage.setItem(REMEMBERED, param.trim());
  return Number(param);
}
