/** One OS code: why VIGO transferred the youth (DOMAIN.md), and what the campaign does with it. */
export interface OsCodeRow {
  code: string;
  meaning: string;
  /** The washing deadline (seed 001) as month-day in the autumn of the school year: 08-25 is 25 Aug of the school year's first year. */
  washing: string;
  /** The standard letter date (seed 000), month-day in the same autumn. */
  letters: string;
  /** How often the demo cohort generator gives the code, relative to the others' weights. */
  demoWeight: number;
}

/**
 * The OS codes, one row each: the one place a code is added. `OS_CODES`, `OsCode` and `osCodeSchema`
 * (ot-code-schemas.ts) follow from it, `defaultCalendar` takes each code's washing and letter dates from it, and the trial
 * calendar and the demo generator read it. A calendar stored before a code was added gets the new
 * code's dates from its year's defaults when read (`withDefaults`, `readCohortCalendar`).
 */
export const OS_CODE_TABLE = [
  { code: 'OSON', meaning: 'has not applied', washing: '08-25', letters: '09-10', demoWeight: 35 },
  { code: 'OSUT', meaning: 'was not offered a place', washing: '09-29', letters: '09-25', demoWeight: 25 },
  { code: 'OSNP', meaning: 'said no to a place or a waiting-list place', washing: '09-29', letters: '09-25', demoWeight: 20 },
  { code: 'OSVE', meaning: 'never had a place or a waiting-list place', washing: '09-29', letters: '09-25', demoWeight: 20 },
] as const satisfies readonly OsCodeRow[];

type Codes<T extends readonly { code: string }[]> = { readonly [K in keyof T]: T[K]['code'] };

/** Why VIGO transferred the youth: the codes of `OS_CODE_TABLE`, in its order. */
export const OS_CODES = OS_CODE_TABLE.map((row) => row.code) as unknown as Codes<typeof OS_CODE_TABLE>;
export type OsCode = (typeof OS_CODES)[number];

/** UDIR's OT status codes (Kodeverk for oppfølgingstjenesten, April 2021) by group. */
export const OT_STATUS_GROUPS = {
  1: ['OTUK'],
  2: ['OTOV'],
  3: ['OTOA', 'OTAP', 'OTKO', 'OTAR', 'OTEV', 'OTVF', 'OTLL'],
  4: ['OTNO', 'OTMI', 'OTBA', 'OTSY', 'OTIF'],
  5: ['ELGS_IM', 'ELVG_IM', 'OTFA_IM', 'OTFU_IM', 'Feil', 'OTAR_IM', 'OTEV_IM', 'OTVF_IM', 'OTLL_IM'],
} as const;

export type OtGroup = keyof typeof OT_STATUS_GROUPS;
export const OT_STATUS_CODES = Object.values(OT_STATUS_GROUPS).flat();
export type OtStatusCode = (typeof OT_STATUS_GROUPS)[OtGroup][number];

export const OT_GROUP_NAMES: Record<OtGroup, string> = {
  1: 'Unknown activity',
  2: 'Under follow-up and guidance',
  3: 'In activity',
  4: 'Clarified',
  5: 'Registered but not in the target group',
};

export function otGroupOf(code: OtStatusCode): OtGroup {
  for (const [group, codes] of Object.entries(OT_STATUS_GROUPS)) {
    if ((codes as readonly string[]).includes(code)) return Number(group) as OtGroup;
  }
  throw new Error(`not an OT status code: ${code}`);
}

/** The seeds write OTFU for "moved abroad"; UDIR's code is OTFU_IM. Matching is case-insensitive but Feil keeps its spelling. */
export function parseOtStatus(input: string): OtStatusCode | undefined {
  const s = input.trim();
  if (s.toUpperCase() === 'OTFU') return 'OTFU_IM';
  return OT_STATUS_CODES.find((c) => c.toUpperCase() === s.toUpperCase());
}

/**
 * The status a case takes when its youth leaves the target group at the age limit (Opplæringslova § 9-4; see
 * schemas/cohort-policy.ts). UDIR's kodeverk has no code for it, so this one is the system's own, and not one of
 * OT_STATUS_CODES: nobody can set it (a request naming it is refused as no UDIR code), no file or cross-check list
 * can carry it. The reports count it in group 5, "registered but not in the target group", under its own name.
 */
export const AGED_OUT_STATUS = 'ALDER_IM';

/** What the case's status shows: its OS code until the mass recode, a UDIR code after, or the age limit's own. */
export type CaseStatusCode = OsCode | OtStatusCode | typeof AGED_OUT_STATUS;
