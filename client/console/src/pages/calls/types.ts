/** What GET /units and GET /calls answer (client/api/routes/campaign-routes.ts, db/call-list.ts). */

export interface UnitInfo {
  code: string;
  name: string;
  /** Those who share the unit's call lists. */
  staff: string[];
}

export type Campaign = 'autumn' | 'winter';

export interface CallListRow {
  caseId: string;
  campaign: Campaign;
  staff?: string;
  name: string;
  mobile?: string;
  mobileWrong: boolean;
  otherNumbers: string[];
  otStatus: string;
  stage: string;
  lastAttempt?: { at: string; result: string; by?: string };
  attempts: number;
  notes: string[];
  left?: { at: string; as: string };
}

export interface CallList {
  campaign?: Campaign;
  rows: CallListRow[];
}

export const unitsKey = ['units'] as const;
export const callsKey = (schoolYear: number, unit: string, staff?: string) => ['calls', schoolYear, unit, staff ?? ''] as const;

/** How often the list asks again: calls others register show up within this. */
export const POLL_MS = 4000;
