import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StateValue } from 'xstate';
import type { JournalEntry } from '../youth-case/journal';
import type { CaseAction, CaseContext, CaseInput, Operator, SystemEvent } from '../youth-case/machine';
import type { CaseRequest } from '../youth-case/refusals';
import type { CaseState, CaseView, HeldJournal } from '../youth-case/view';
import { type CampaignCalendar } from '../../schemas/calendar';

/**
 * The contract of the `youthCase` workflow: what everything outside the workflow (activities, the
 * client's use cases, db/) imports instead of the workflow file.
 */

export interface CalendarVersion {
  version: number;
  calendar: CampaignCalendar;
}

export interface YouthCaseArgs {
  case: CaseInput;
  /** The cohort's calendar when the case started; a newer one arrives by the calendarChanged signal. */
  calendar: CalendarVersion;
  /** Set by continue-as-new: where the case stood, what it has recorded, and the sequence numbers already used. */
  resume?: Resume;
}

/**
 * Where a case stood when it continued as new. `version` is the length of its journal then: the entries
 * themselves are in the read model (each was projected before the case went on). A run continued before
 * that carried `journal`, every entry with its note, instead; such input still starts a case.
 */
export type Resume = { value: StateValue; context: CaseContext; seqBase: number } & ({ version: number } | { journal: JournalEntry[] });

export type YouthCaseWorkflow = (args: YouthCaseArgs) => Promise<CaseState>;

/** One workflow per youth per school year: the case id makes a start idempotent, and holds no id number. */
export function youthCaseWorkflowId(schoolYear: number, caseId: string): string {
  return `youth-case-${schoolYear}-${caseId}`;
}

type Without<T, K extends string> = T extends unknown ? Omit<T, K> : never;
/** What a caseworker action carries, without its type: the argument of its Update. */
export type ActionArgs<T extends CaseAction['type']> = Without<Extract<CaseAction, { type: T }>, 'type'>;

/** What the case-view query is asked: `journal: true` adds the entries the workflow holds (HeldJournal). */
export interface CaseViewOptions {
  journal?: boolean;
}
export const caseViewQuery = defineQuery<CaseState & Partial<HeldJournal>, [CaseViewOptions?]>('caseView');
/** Why a request would be refused now, or null: lets a client refuse a returned letter before signalling it. */
export const refusalQuery = defineQuery<string | null, [CaseRequest]>('refusal');
/** refusalQuery for several requests in one query, answered in their order: what a case view offers costs one round trip. */
export const refusalsQuery = defineQuery<(string | null)[], [CaseRequest[]]>('refusals');

export const claimUpdate = defineUpdate<CaseState, [ActionArgs<'CLAIM'>]>('claim');
export const replyUpdate = defineUpdate<CaseState, [ActionArgs<'REPLY'>]>('reply');
export const outcomeUpdate = defineUpdate<CaseState, [ActionArgs<'OUTCOME'>]>('outcome');
export const contactUpdate = defineUpdate<CaseState, [ActionArgs<'CONTACT'>]>('contact');
export const callUpdate = defineUpdate<CaseState, [ActionArgs<'CALL'>]>('call');
/** A follow-up plan made or changed (its text stored in follow_up_plans first), and a review of it registered. */
export const planUpdate = defineUpdate<CaseState, [ActionArgs<'PLAN'>]>('plan');
export const reviewUpdate = defineUpdate<CaseState, [ActionArgs<'REVIEW'>]>('review');

/** The Update of each caseworker action. */
export const ACTION_UPDATES = {
  CLAIM: claimUpdate,
  REPLY: replyUpdate,
  OUTCOME: outcomeUpdate,
  CONTACT: contactUpdate,
  CALL: callUpdate,
  PLAN: planUpdate,
  REVIEW: reviewUpdate,
} as const;

export const lettersSentSignal = defineSignal<[{ sentOn: string; batchId: string } & Operator]>('lettersSent');
export const smsSentSignal = defineSignal<[{ sentOn: string } & Operator]>('smsSent');
/** The second SMS round reached the case (by the HTTP gateway, or an outbox export confirmed sent). */
export const secondSmsSentSignal = defineSignal<[{ sentOn: string } & Operator]>('secondSmsSent');
/** `note` (the text) only in histories from before notes moved to PostgreSQL; `noteId` now. */
export const letterReturnedSignal = defineSignal<[{ by: string; byUserId?: string; note?: string; noteId?: string }]>('letterReturned');
export const crosscheckMatchedSignal = defineSignal<[Without<Extract<SystemEvent, { type: 'CROSSCHECK_MATCHED' }>, 'type'>]>('crosscheckMatched');
/** The office sent the case back to VIGO: the case journals it once (a repeat, or a case not out of the target group, changes nothing). */
export const returnedToVigoSignal = defineSignal<[Operator]>('returnedToVigo');
/** The case's call moved to another of its unit's staff: journalled with who moved it, from whom, to whom and why. */
export const callMovedSignal = defineSignal<[Without<Extract<SystemEvent, { type: 'CALL_MOVED' }>, 'type'>]>('callMoved');
export const calendarChangedSignal = defineSignal<[CalendarVersion]>('calendarChanged');

/** The activity the case calls: its projection into the read model. */
export interface CaseProjectionActivities {
  /** Writes the case row and its journal entry; a write older than `seq` changes nothing. */
  projectCase(view: CaseView, seq: number, entry?: JournalEntry): Promise<void>;
}
