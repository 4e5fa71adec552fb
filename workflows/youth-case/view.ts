import type { SearchAttributePair } from '@temporalio/common';
import { CASE_FLAGS, type CaseFlag } from '../../schemas/case-stages';
import type { CaseStatusCode, OsCode } from '../../schemas/ot-codes';
import type { PhoneCampaign } from '../../schemas/calendar';
import { Caseworker, OtStage, OtStatus, OtUnit, SchoolYear } from '../search-attributes';
import type { JournalEntry } from './journal';
import type { CaseContext, CaseStage, LetterState, SmsState } from './machine';
import { reviewViewOf, type ReviewView } from './plan';

/** What may be worth knowing about a case at a glance (schemas/case-stages.ts): the list can be filtered by each. */
export { CASE_FLAGS, type CaseFlag };

/** What anyone may see of a case without its person: the query result, the projection row, the CLI's case view. */
export interface CaseView {
  caseId: string;
  schoolYear: number;
  unit: string;
  osCode: OsCode;
  otStatus: CaseStatusCode;
  stage: CaseStage;
  caseworker?: string;
  flags: CaseFlag[];
  /** Where the SMS stands: the SMS list is every case with it due, on a phone campaign's call list or not. */
  sms: SmsState;
  /** Times the letter came back: the next print batch sends it again (absent: never). */
  letterReturns?: number;
  /** The phone campaign whose call list the case is on now (absent: none). */
  phoneCampaign?: PhoneCampaign;
  /** The follow-up plan in force (follow_up_plans.id; absent: none was made). */
  planId?: string;
  /** Where the plan's next review stands while the youth is followed up (absent: no review ahead). */
  review?: ReviewView;
}

/**
 * The case as its workflow answers it (every Update's result, the case-view query, the workflow's result):
 * the view, where the letter and SMS stand, what is due next and the version. No journal: the journal, with
 * its notes, is the read model's (db/case-journal.ts), so these payloads carry nothing a person wrote.
 */
export interface CaseState extends CaseView {
  letter?: LetterState;
  smsSentOn?: string;
  /** The next deadline the calendar sets for the case (ISO instant), absent once closed. */
  next?: { event: string; at: string };
  /** The case's version: the length of its journal (versions.ts). */
  version: number;
}

/**
 * What the case-view query adds when asked `{ journal: true }`: the entries the workflow holds, which are
 * those since its last continue-as-new (a run continued before notes moved to PostgreSQL also holds the
 * older ones), with note ids, not texts. `journalFrom` is the version before the first of them.
 */
export interface HeldJournal {
  journal: JournalEntry[];
  journalFrom: number;
}

/** The whole case: its state as the workflow answers it and its journal as the read model holds it, notes and all. */
export interface CaseDetail extends CaseState {
  journal: JournalEntry[];
}

export function caseViewOf(stage: CaseStage, context: CaseContext): CaseView {
  const flags: CaseFlag[] = [];
  if (context.facts.fictitiousId) flags.push('fictitiousId');
  if (!context.facts.hasAddress) flags.push('needsAddress');
  if (!context.facts.hasMobile) flags.push('noMobile');
  if (context.facts.wrongNumber) flags.push('wrongNumber');
  if (context.facts.under18) flags.push('under18');
  if (context.letter && context.letter.returns > 0) flags.push('letterReturned');
  if (context.facts.agesOutOn) flags.push('agesOut');
  if (context.facts.inOtLastYear) flags.push('inOtLastYear');
  if (context.facts.unreachedLastYear) flags.push('unreachedLastYear');
  return {
    caseId: context.caseId,
    schoolYear: context.schoolYear,
    unit: context.unit,
    osCode: context.osCode,
    otStatus: context.otStatus,
    stage,
    caseworker: context.caseworker,
    flags,
    sms: context.sms,
    ...(context.letter?.returns ? { letterReturns: context.letter.returns } : {}),
    ...(context.phoneCampaign ? { phoneCampaign: context.phoneCampaign } : {}),
    // Only a case with a plan has these keys: the view of every other case, and so what it projects, is as before.
    ...(context.plan ? { planId: context.plan.planId } : {}),
    ...(reviewViewOf(stage, context.plan) ? { review: reviewViewOf(stage, context.plan) } : {}),
  };
}

export function searchAttributesOf(view: CaseView): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: OtUnit, value: view.unit },
    { key: OtStatus, value: view.otStatus },
    { key: OtStage, value: view.stage },
    { key: SchoolYear, value: view.schoolYear },
  ];
  if (view.caseworker) pairs.push({ key: Caseworker, value: view.caseworker });
  return pairs;
}

/**
 * The case's non-personal facts as the Temporal UI shows them in its memo: enough to see where a case
 * stands without opening PostgreSQL. Every key is given each time; one that no longer applies is null,
 * which removes it from the memo.
 */
export function caseMemoOf(view: CaseView, context: CaseContext): Record<string, unknown> {
  return {
    caseId: view.caseId,
    schoolYear: view.schoolYear,
    unit: view.unit,
    osCode: view.osCode,
    otStatus: view.otStatus,
    stage: view.stage,
    caseworker: view.caseworker ?? null,
    flags: view.flags,
    sms: view.sms,
    letterSentOn: context.letter?.sentOn ?? null,
    letterReturns: context.letter?.returns ?? 0,
    phoneCampaign: context.phoneCampaign ?? null,
    phoneCampaignsDone: context.phoneCampaignsDone,
    // Written only for a case that ages out, so the memo of every other case stays as it was.
    ...(context.facts.agesOutOn ? { agesOutOn: context.facts.agesOutOn } : {}),
  };
}
