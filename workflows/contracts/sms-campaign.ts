/** The contract of the `smsCampaign` workflow. */

import { defineSignal } from '@temporalio/workflow';

/** The campaign step of the SMS after the letters: with the case id, the idempotency key of its message. */
export const SMS_STEP = 'sms1';
/** The second round (the calendar's secondSmsAfterFirst), to those still OTUK: a key of its own, so each case gets it once too. */
export const SECOND_SMS_STEP = 'sms2';
export const SMS_STEPS = [SMS_STEP, SECOND_SMS_STEP] as const;
export type SmsStep = (typeof SMS_STEPS)[number];

/** Each message's idempotency key: the case and the step, so no case is ever sent one step's message twice. */
export const smsMessageKey = (caseId: string, step: string = SMS_STEP): string => `${caseId}:${step}`;
export const caseOfMessageKey = (key: string): string => key.split(':')[0];

export interface SmsCampaignArgs {
  schoolYear: number;
  unit: string;
  /** Runs by itself after a letters mailing sent on this day; absent when run by hand, at once. */
  lettersSentOn?: string;
  by?: string;
  /** A run by hand of the second round (absent: the first, and after the letters the second follows by the calendar). */
  step?: SmsStep;
}

export interface SmsCampaignCounts {
  /** Accepted by the HTTP gateway; the case is told "SMS sent". */
  sent: number;
  /** Kept in the outbox for export; the case is told once the office confirms the export went. */
  queued: number;
  /** Refused by the gateway for good (such as an invalid number); kept with the reason. */
  failed: number;
}

export interface SmsCampaignResult extends SmsCampaignCounts {
  /** Cases handed over by an earlier run: nothing sent again. */
  already: number;
  /** Still unknown and no mobile: listed by name for the office (ot sms no-mobile). */
  noMobile: number;
  /** Cases whose own "SMS due" had not come through when the campaign gave up waiting for them. */
  lagging: number;
  /** The second round, when the cohort's calendar has one and it has run (absent in a by-hand run of one round). */
  second?: SmsCampaignCounts & { already: number };
}

/**
 * Tells a campaign asleep until its SMS is due that the cohort's calendar changed: it reads the calendar again, so an SMS
 * moved earlier goes then, not at the time it was waiting for.
 */
export const smsCalendarChangedSignal = defineSignal('calendarChanged');

export type SmsCampaignWorkflow = (args: SmsCampaignArgs) => Promise<SmsCampaignResult>;

/** The unit's SMS campaign for letters sent that day; letters of two OS codes sent the same day share it. */
export function smsCampaignAfterLettersWorkflowId(schoolYear: number, unit: string, lettersSentOn: string): string {
  return `sms-campaign-${schoolYear}-${unit}-${lettersSentOn}`;
}

/**
 * A campaign run by hand is named by what it has to send (`dueDigest`: a digest of the case ids whose
 * SMS is due and not yet handed over): asking again while it runs joins it.
 */
export function smsCampaignByHandWorkflowId(schoolYear: number, unit: string, dueDigest: string): string {
  return `sms-campaign-${schoolYear}-${unit}-by-hand-${dueDigest}`;
}

export interface SmsPageRequest {
  /** The campaign's workflow id: what it sent itself is told apart from what an earlier run sent. */
  campaignId: string;
  schoolYear: number;
  unit: string;
  /** Case ids after this one, in order. */
  after: string;
  pageSize: number;
  /** Who ran the campaign by hand; absent when it ran by itself. */
  by?: string;
  /** Absent: the first SMS (SMS_STEP). */
  step?: SmsStep;
}

export interface SmsPage {
  /** Handed over by an earlier run: nothing sent again. */
  already: number;
  last?: string;
}

export interface SmsCampaignActivities {
  /** The moment the SMS of a letters mailing sent on that day is due (epoch ms), by the cohort's calendar now. */
  smsCampaignDue(schoolYear: number, lettersSentOn: string): Promise<number>;
  /** When the second SMS of that mailing is due (epoch ms), by the calendar now; null when the cohort has no second SMS. */
  secondSmsDue(schoolYear: number, lettersSentOn: string): Promise<number | null>;
  /** Waits (a bounded while) until the unit's cases whose SMS is due by now have turned so; returns how many lag. */
  awaitSmsDue(schoolYear: number, unit: string, maxWaitMs: number): Promise<number>;
  /** Sends the SMS to the next page of the unit's cases that have it due and a mobile; each message once, ever. */
  sendSmsPage(req: SmsPageRequest): Promise<SmsPage>;
  /** What a campaign run handed over, from what is recorded. */
  smsCampaignCounts(campaignId: string, step?: SmsStep): Promise<SmsCampaignCounts>;
  /** The unit's still-unknown youth with no mobile. */
  smsNoMobileCount(schoolYear: number, unit: string): Promise<number>;
}
