import type { CrosscheckList } from '../../schemas/crosscheck';
import type { OtStatusCode } from '../../schemas/ot-codes';

/** The contracts of the mass operations: `mailingConfirm`, `calendarBroadcast`, `crosscheck` and `vigoReturn`. */

/** sms2: the second SMS round's exported messages, confirmed sent with the first's (ot sms confirm). */
export type MailingKind = 'letters' | 'sms' | 'sms2';

export interface SignalTally {
  signalled: number;
  /** Cases whose workflow has already completed (the school year ended): nothing to tell them. */
  closed: number;
}

export interface MailingRequest {
  kind: MailingKind;
  schoolYear: number;
  unit: string;
  /** Letters go per OS code; an SMS mailing covers the unit. */
  osCode?: string;
  sentOn: string;
  by: string;
  /** The user id of `by`, when they were signed in (absent in runs recorded before). */
  byUserId?: string;
}

export interface Mailing {
  mailingId: string;
  /** The cases it recodes (letters) or registers as sent (SMS). */
  cases: number;
  /**
   * Letters sent again after a return that the mailing counts as sent: their cases are OTUK already and are not told.
   * A mailing of such letters alone holds no case. Absent in results recorded before it was counted.
   */
  resent?: number;
  /** When the mailing was first confirmed; earlier than this run when it is confirmed again. */
  confirmedAt: string;
  firstConfirmation: boolean;
}

export interface MailingResult extends Mailing, SignalTally {}

export type MailingConfirmWorkflow = (req: MailingRequest) => Promise<MailingResult>;

/** One workflow per mailing: confirming it again while it runs joins that run; afterwards it finds the mailing done. */
export function mailingWorkflowId(req: Pick<MailingRequest, 'kind' | 'schoolYear' | 'unit' | 'osCode' | 'sentOn'>): string {
  return `mailing-${req.kind}-${req.schoolYear}-${req.unit}${req.osCode ? `-${req.osCode}` : ''}-${req.sentOn}`;
}

export interface CalendarBroadcastArgs {
  schoolYear: number;
}

export type CalendarBroadcastWorkflow = (args: CalendarBroadcastArgs) => Promise<SignalTally>;

/** One broadcast per stored calendar version of a cohort. */
export function calendarBroadcastWorkflowId(schoolYear: number, version: number): string {
  return `calendar-${schoolYear}-v${version}`;
}

/** The broadcast an import starts when the calendar changed while its cases were being started. */
export function importCalendarBroadcastWorkflowId(importWorkflowId: string, version: number): string {
  return `${importWorkflowId}-calendar-v${version}`;
}

export interface CrosscheckArgs {
  schoolYear: number;
  list: CrosscheckList;
  status: OtStatusCode;
  caseIds: string[];
  /** Who ran the cross-check; absent in runs recorded before it was carried. */
  by?: string;
  byUserId?: string;
}

export type CrosscheckWorkflow = (args: CrosscheckArgs) => Promise<SignalTally>;

/**
 * A cross-check is named by what it matched (`matchDigest`: a digest of the code and the sorted case ids):
 * the same list matched against the same open cases is the same run, so asking again while it runs joins it.
 */
export function crosscheckWorkflowId(schoolYear: number, list: CrosscheckList, matchDigest: string): string {
  return `crosscheck-${schoolYear}-${list}-${matchDigest}`;
}

export interface VigoReturnArgs {
  schoolYear: number;
  /** The cases the office sent back to VIGO: exactly those in the files it wrote. */
  caseIds: string[];
  by: string;
  byUserId?: string;
}

export type VigoReturnWorkflow = (args: VigoReturnArgs) => Promise<SignalTally>;

/** A return is named by what it marks (a digest of the sorted case ids): asked again while it runs, it joins that run. */
export function vigoReturnWorkflowId(schoolYear: number, markDigest: string): string {
  return `vigo-return-${schoolYear}-${markDigest}`;
}

export interface MassOperationActivities {
  /** Fixes which cases a mailing holds: those due in it now. Confirming the same mailing again returns the same cases. */
  closeMailing(req: MailingRequest): Promise<Mailing>;
  /** Tells the next page of a mailing's cases that it went; returns how many are left. */
  signalMailingPage(mailingId: string, pageSize: number): Promise<SignalTally & { remaining: number }>;
  /** Sends the cohort's current calendar to the next page of its open cases, in case id order after `after`. */
  broadcastCalendarPage(schoolYear: number, after: string, pageSize: number): Promise<SignalTally & { last?: string }>;
  /** Tells matched cases that a cross-check list placed them out of the target group. */
  signalCrosscheck(
    schoolYear: number,
    caseIds: string[],
    match: { list: CrosscheckList; status: OtStatusCode; operator?: string; operatorUserId?: string },
  ): Promise<SignalTally>;
  /** Tells cases that the office sent them back to VIGO. */
  signalVigoReturn(schoolYear: number, caseIds: string[], by: { operator: string; operatorUserId?: string }): Promise<SignalTally>;
  cohortCalendarVersion(schoolYear: number): Promise<number>;
  /** Tells the cohort's SMS campaigns still waiting that the calendar changed; returns how many were told. */
  wakeSmsCampaigns(schoolYear: number): Promise<SignalTally>;
}
