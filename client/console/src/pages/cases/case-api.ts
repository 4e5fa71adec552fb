import type { CaseDetail as CaseDetailAnswer } from '../../../../../schemas/api/cases';

/**
 * The case as a case page keeps it: GET /cases/:caseId's answer (schemas/api/cases.ts). The case a 409 carries has no
 * `accepts`: the page keeps the one it had until it has asked again.
 */
export type CaseDetail = Omit<CaseDetailAnswer, 'accepts'> & Partial<Pick<CaseDetailAnswer, 'accepts'>>;

/** The case's version as the If-Match header sends it. */
export const etagOf = (version: number | undefined): string | undefined => (version === undefined ? undefined : `"${version}"`);
