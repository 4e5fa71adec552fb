import { endInstantOf, instantOf } from '../workflows/calendar';
import { type CampaignCalendar } from '../schemas/calendar';
import type { ChartMark, Evaluation, FlowCounters, OtukPoint, UnitEvaluation } from '../schemas/api/figures';

/** The counters of the flowchart (seed 001), per unit and for the county: their shape is the API's (schemas/api/figures.ts). */
export type { FlowCounters };

export const COUNTER_LABELS: Record<keyof FlowCounters, string> = {
  osBefore: 'youth with OS codes (transferred)',
  osAfterWashing: 'youth with OS codes after washing',
  lettersToYouth: 'letters sent to youth',
  lettersToGuardians: 'letter copies sent to guardians',
  otukAfterLetters: 'OTUK after the letters',
  smsSent: 'SMS sent',
  secondSmsSent: 'second SMS sent',
  noMobile: 'OTUK without a mobile',
  otukAfterSms: 'OTUK after the SMS',
  otukCounted: 'OTUK on the count date',
  otukAfterAutumnCampaign: 'OTUK after the autumn phone campaign',
  otukAfterWinterCampaign: 'OTUK after the winter phone campaign',
  otukNow: 'OTUK now',
  unreachedNow: 'never reached now',
  awaitingOutcomeNow: 'reached, no outcome set now',
  agedOut: 'out of the target group at the age limit (from 1 January)',
  twoYearsRunning: 'in OT two years running',
  repliesOverdue: 'replies waiting for an outcome, overdue now',
  reviewsOverdue: 'plan reviews overdue now',
};

export const COUNTER_KEYS = Object.keys(COUNTER_LABELS) as (keyof FlowCounters)[];

/** The counters of OTUK at a moment of the calendar: read back from the journal once the moment has passed. */
export const OTUK_MOMENTS = {
  otukAfterSms: (c: CampaignCalendar) => instantOf(c.phoneCampaigns.autumn.from),
  otukAfterAutumnCampaign: (c: CampaignCalendar) => endInstantOf(c.phoneCampaigns.autumn.until),
  otukAfterWinterCampaign: (c: CampaignCalendar) => endInstantOf(c.phoneCampaigns.winter.until),
} satisfies Partial<Record<keyof FlowCounters, (calendar: CampaignCalendar) => number>>;

/** Counters before anything is counted: zero, and null for a count whose moment has not come (the OTUK count included). */
export function blankCounters(): FlowCounters {
  const later = new Set<string>([...Object.keys(OTUK_MOMENTS), 'otukCounted']);
  return Object.fromEntries(COUNTER_KEYS.map((k) => [k, later.has(k) ? null : 0])) as unknown as FlowCounters;
}

/** The county's counters: the units' added up; a count still ahead for every unit stays null. */
export function sumCounters(units: FlowCounters[]): FlowCounters {
  const total = {} as Record<keyof FlowCounters, number | null>;
  for (const key of COUNTER_KEYS) {
    const values = units.map((u) => u[key]);
    total[key] = values.every((v) => v === null) && values.length > 0 ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0);
  }
  return total as unknown as FlowCounters;
}

/** The evaluation meeting's figures: their shape is the API's (schemas/api/figures.ts). */
export type { ChartMark, Evaluation, OtukPoint, UnitEvaluation };
