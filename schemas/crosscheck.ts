import { otGroupOf, parseOtStatus, type OtStatusCode } from './ot-codes';

/** The admissions office's cross-check lists (seed 000: 20–30 Sep). */
export const CROSSCHECK_LISTS = ['private-school', 'exchange', 'late-start', 'apprentice'] as const;
export type CrosscheckList = (typeof CROSSCHECK_LISTS)[number];

/** Private-school pupils, exchange students, pupils who started 1–19 Sep, 3rd/4th-year apprentices. */
export const DEFAULT_CROSSCHECK_CODES: Record<CrosscheckList, OtStatusCode> = {
  'private-school': 'OTVF_IM',
  exchange: 'OTEV_IM',
  'late-start': 'OTEV_IM',
  apprentice: 'OTLL_IM',
};

/** Reads `list=CODE,list=CODE` (OT_CROSSCHECK_CODES) over the defaults; a list's code must be one of UDIR group 5. */
export function parseCrosscheckCodes(setting: string | undefined): Record<CrosscheckList, OtStatusCode> {
  const codes = { ...DEFAULT_CROSSCHECK_CODES };
  for (const pair of (setting ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [list, value] = pair.split('=').map((s) => s.trim());
    if (!(CROSSCHECK_LISTS as readonly string[]).includes(list))
      throw new Error(`"${list}" is not a cross-check list; the lists are ${CROSSCHECK_LISTS.join(', ')}`);
    const code = parseOtStatus(value ?? '');
    if (!code || otGroupOf(code) !== 5)
      throw new Error(`the code for ${list} must be a "not in the target group" code of UDIR group 5, such as OTVF_IM`);
    codes[list as CrosscheckList] = code;
  }
  return codes;
}
