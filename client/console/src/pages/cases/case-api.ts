import type { CaseDetail as CaseDetailAnswer } from '../../../../../schemas/api/cases';

/**
 * The case as a case page keeps it: GET /cases/:caseId's answer (schemas/api/cases.ts). The case a 409 carries has no
 * `accepts`: the page keeps the one it had until it has asked again.
 */
export type CaseDetail = Omit<CaseDetailAnswer, 'accepts'> & Partial<Pick<CaseDetailAnswer, 'accepts'>>;

/** The school year running today in Norway (named by the year it starts, 1 August). */
export function currentSchoolYear(now = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: 'numeric' }).formatToParts(now);
  const part = (type: 'year' | 'month') => Number(parts.find((p) => p.type === type)?.value);
  const [year, month] = [part('year'), part('month')];
  return month >= 8 ? year : year - 1;
}

/** The case's version as the If-Match header sends it. */
export const etagOf = (version: number | undefined): string | undefined => (version === undefined ? undefined : `"${version}"`);
