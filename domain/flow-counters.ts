import { endInstantOf, instantOf } from '../workflows/calendar';
import { type CampaignCalendar } from '../schemas/calendar';

/**
 * The counters of the flowchart (seed 001), per unit and for the county. A count that belongs to a
 * moment not yet reached (a phone campaign still ahead) is null: not zero, and not a guess.
 */
export interface FlowCounters {
  /** Youth transferred with an OS code: every case of the cohort. */
  osBefore: number;
  /** Still with an OS code after washing and the cross-check: those the standard letter is for. */
  osAfterWashing: number;
  /** Letters in confirmed mailings: to the youth, and the guardians' copies. */
  lettersToYouth: number;
  lettersToGuardians: number;
  /** Still OTUK when their SMS fell due, two weeks after the letters. */
  otukAfterLetters: number;
  /** Registered as sent an SMS. */
  smsSent: number;
  /** OTUK now and taken off the SMS list for want of a mobile. */
  noMobile: number;
  /** OTUK when the autumn phone campaign started. */
  otukAfterSms: number | null;
  /** OTUK on the count's due date (31 Oct), as recorded then. */
  otukCounted: number | null;
  /** OTUK when each phone campaign ended. */
  otukAfterAutumnCampaign: number | null;
  otukAfterWinterCampaign: number | null;
  otukNow: number;
}

export const COUNTER_LABELS: Record<keyof FlowCounters, string> = {
  osBefore: 'youth with OS codes (transferred)',
  osAfterWashing: 'youth with OS codes after washing',
  lettersToYouth: 'letters sent to youth',
  lettersToGuardians: 'letter copies sent to guardians',
  otukAfterLetters: 'OTUK after the letters',
  smsSent: 'SMS sent',
  noMobile: 'OTUK without a mobile',
  otukAfterSms: 'OTUK after the SMS',
  otukCounted: 'OTUK on the count date',
  otukAfterAutumnCampaign: 'OTUK after the autumn phone campaign',
  otukAfterWinterCampaign: 'OTUK after the winter phone campaign',
  otukNow: 'OTUK now',
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

/** OTUK at a moment: a point of the chart of how OTUK fell over the year. */
export interface OtukPoint {
  /** ISO instant. */
  at: string;
  otuk: number;
}

/** A calendar moment drawn on the chart (letters, SMS, phone campaigns, reports). */
export interface ChartMark {
  label: string;
  at: string;
}

export interface UnitEvaluation {
  /** The unit code, or 'county' for all units together. */
  unit: string;
  unitName: string;
  counters: FlowCounters;
  series: OtukPoint[];
}

/** The summary for an evaluation meeting (weeks 50 and 22): each unit's counters beside the chart of its OTUK. */
export interface Evaluation {
  schoolYear: number;
  /** Which meeting, when the summary is for one. */
  meeting?: 'autumn' | 'spring';
  /** The moment the figures are for (ISO instant). */
  asOf: string;
  county: UnitEvaluation;
  units: UnitEvaluation[];
  marks: ChartMark[];
}
