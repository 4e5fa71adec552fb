/** What the case routes of the API answer (client/api/routes/case-routes.ts), as the case pages read it. */
import type { Flag, Stage } from './case-words';

export interface CaseRow {
  caseId: string;
  schoolYear: number;
  unit: string;
  osCode: string;
  otStatus: string;
  stage: Stage;
  caseworker?: string;
  flags: Flag[];
  sms: string;
  letterReturns?: number;
  phoneCampaign?: string;
  name: string;
}

export interface CasePage {
  page: number;
  pageSize: number;
  more: boolean;
  cases: CaseRow[];
}

export interface JournalEntry {
  at: string;
  event: string;
  by?: string;
  channel?: string;
  note?: string;
  detail?: Record<string, string>;
  from: { stage: Stage; status: string };
  to: { stage: Stage; status: string };
}

/** The requests the case pages offer, as GET /cases/:caseId's `accepts` names them. */
export type RequestName = 'outcome' | 'reply' | 'claim' | 'contact' | 'returnedLetter' | 'callNotReached' | 'callWrongNumber';
export type RequestAnswer = { accepted: true } | { accepted: false; reason: string };

export interface CaseDetail extends CaseRow {
  letter?: { sentOn: string; returns: number; resentToSecondAddress: boolean; awaitingAddress: boolean };
  smsSentOn?: string;
  next?: { event: string; at: string };
  journal: JournalEntry[];
  version?: number;
  /** Absent in the case a 409 carries: the page asks again. */
  accepts?: Record<RequestName, RequestAnswer>;
}

/** The school year running today in Norway (named by the year it starts, 1 August). */
export function currentSchoolYear(now = new Date()): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: 'numeric' }).formatToParts(now);
  const part = (type: 'year' | 'month') => Number(parts.find((p) => p.type === type)?.value);
  const [year, month] = [part('year'), part('month')];
  return month >= 8 ? year : year - 1;
}

/** The case's version as the If-Match header sends it. */
export const etagOf = (version: number | undefined): string | undefined => (version === undefined ? undefined : `"${version}"`);
