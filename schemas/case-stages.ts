/**
 * The case machine's names that the API's answers carry (workflows/youth-case/machine.ts and view.ts use them): kept here, where
 * the API's answer schemas (schemas/api/) and the console may import them; the machine's unit test checks that every stage is one
 * of its states.
 */

/** The case machine's stages, in the machine's order. */
export const CASE_STAGES = [
  'feil',
  'notInTargetGroup',
  'caseworkerFollowUp',
  'needsAddress',
  'awaitingLetter',
  'letterDue',
  'letterSent',
  'smsDue',
  'noMobile',
  'smsSent',
  'phoneCampaign',
  'contactEstablished',
  'underFollowUp',
  'resolved',
  'agedOut',
  'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** What may be worth knowing about a case at a glance: the list can be filtered by each. */
export const CASE_FLAGS = [
  'fictitiousId',
  'needsAddress',
  'noMobile',
  'wrongNumber',
  'under18',
  'letterReturned',
  'agesOut',
  'inOtLastYear',
  'unreachedLastYear',
] as const;
export type CaseFlag = (typeof CASE_FLAGS)[number];

/** Where the case's SMS stands: not yet due, due, due but no mobile is known, sent. */
export const SMS_STATES = ['notYet', 'due', 'noMobile', 'sent'] as const;
export type SmsState = (typeof SMS_STATES)[number];

/**
 * Where a case stands with reaching its youth: nobody has reached them; reached (a reply came) but no outcome set yet;
 * or settled (an outcome, a caseworker's code, out of the target group). The machine says which stage is which (reachOf).
 */
export const REACH = ['neverReached', 'reachedNoOutcome', 'settled'] as const;
export type Reach = (typeof REACH)[number];
