import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { StateValue } from 'xstate';
import type { JournalEntry } from '../youth-case/journal';
import type { CaseAction, CaseContext, CaseInput, Operator, SystemEvent } from '../youth-case/machine';
import type { CaseRequest } from '../youth-case/refusals';
import type { CaseDetail, CaseView } from '../youth-case/view';
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
  resume?: { value: StateValue; context: CaseContext; journal: JournalEntry[]; seqBase: number };
}

export type YouthCaseWorkflow = (args: YouthCaseArgs) => Promise<CaseDetail>;

/** One workflow per youth per school year: the case id makes a start idempotent, and holds no id number. */
export function youthCaseWorkflowId(schoolYear: number, caseId: string): string {
  return `youth-case-${schoolYear}-${caseId}`;
}

type Without<T, K extends string> = T extends unknown ? Omit<T, K> : never;
/** What a caseworker action carries, without its type: the argument of its Update. */
export type ActionArgs<T extends CaseAction['type']> = Without<Extract<CaseAction, { type: T }>, 'type'>;

export const caseViewQuery = defineQuery<CaseDetail>('caseView');
/** Why a request would be refused now, or null: lets a client refuse a returned letter before signalling it. */
export const refusalQuery = defineQuery<string | null, [CaseRequest]>('refusal');

export const claimUpdate = defineUpdate<CaseDetail, [ActionArgs<'CLAIM'>]>('claim');
export const replyUpdate = defineUpdate<CaseDetail, [ActionArgs<'REPLY'>]>('reply');
export const outcomeUpdate = defineUpdate<CaseDetail, [ActionArgs<'OUTCOME'>]>('outcome');
export const contactUpdate = defineUpdate<CaseDetail, [ActionArgs<'CONTACT'>]>('contact');
export const callUpdate = defineUpdate<CaseDetail, [ActionArgs<'CALL'>]>('call');

/** The Update of each caseworker action. */
export const ACTION_UPDATES = { CLAIM: claimUpdate, REPLY: replyUpdate, OUTCOME: outcomeUpdate, CONTACT: contactUpdate, CALL: callUpdate } as const;

export const lettersSentSignal = defineSignal<[{ sentOn: string; batchId: string } & Operator]>('lettersSent');
export const smsSentSignal = defineSignal<[{ sentOn: string } & Operator]>('smsSent');
export const letterReturnedSignal = defineSignal<[{ by: string; note?: string }]>('letterReturned');
export const crosscheckMatchedSignal = defineSignal<[Without<Extract<SystemEvent, { type: 'CROSSCHECK_MATCHED' }>, 'type'>]>('crosscheckMatched');
export const calendarChangedSignal = defineSignal<[CalendarVersion]>('calendarChanged');

/** The activity the case calls: its projection into the read model. */
export interface CaseProjectionActivities {
  /** Writes the case row and its journal entry; a write older than `seq` changes nothing. */
  projectCase(view: CaseView, seq: number, entry?: JournalEntry): Promise<void>;
}
