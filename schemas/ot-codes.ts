import { z } from 'zod';

/** Why VIGO transferred the youth (DOMAIN.md). */
export const OS_CODES = ['OSON', 'OSUT', 'OSNP', 'OSVE'] as const;
export const osCodeSchema = z.enum(OS_CODES);
export type OsCode = z.infer<typeof osCodeSchema>;

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

export const otStatusSchema = z.string().transform((s, ctx) => {
  const code = parseOtStatus(s);
  if (!code) {
    // Echo the cell only when it is short: a long one may be an id number in the wrong column.
    ctx.addIssue({ code: 'custom', message: s.trim().length <= 8 ? `unknown OT status code "${s.trim()}"` : 'unknown OT status code' });
    return z.NEVER;
  }
  return code;
});

/** What the case's status shows: its OS code until the mass recode, a UDIR code after. */
export type CaseStatusCode = OsCode | OtStatusCode;
