import { and, assign, setup } from 'xstate';
import { CASE_STAGES, REACH, type CaseStage, type Reach, type SmsState } from '../../schemas/case-stages';
import { AGED_OUT_STATUS, OT_STATUS_GROUPS, otGroupOf, type CaseStatusCode, type OsCode, type OtStatusCode } from '../../schemas/ot-codes';
import type { CrosscheckList } from '../../schemas/crosscheck';
import type { PhoneCampaign } from '../../schemas/calendar';
import { planMade, reviewFellDue, reviewRegistered, reviewWentOverdue, type PlanState } from './plan';

/** Non-personal facts of a case: the workflow carries these, PostgreSQL holds the person. */
export interface CaseFacts {
  fictitiousId: boolean;
  hasAddress: boolean;
  /** A second known address (adresse2): a returned letter goes there at once. Absent in cases imported before it was known. */
  hasSecondAddress?: boolean;
  hasMobile: boolean;
  /** A phone call found the mobile wrong: it waits for a new one from NAV, the admissions office or the youth. Absent: never. */
  wrongNumber?: boolean;
  /** Under 18 on the letter date of the case's OS code: the letter also goes to the guardians. */
  under18: boolean;
  /**
   * The day the youth leaves the target group within the school year ((Y+1)-01-01: born in the year the cohort's age
   * limit names, under the policy of the end of the calendar year; ageOutDateOf in schemas/cohort-policy.ts). Never the
   * birth date. Absent: in the group until the year ends (and in cases imported before the rule).
   */
  agesOutOn?: string;
  /** In OT's cohort the school year before too (found by the person key at import: "in OT two years running"). Absent: no. */
  inOtLastYear?: boolean;
  /** Of them, one nobody reached that year (db/carry-over.ts): the case starts as last year's unreached. Absent: no. */
  unreachedLastYear?: boolean;
}

export interface CaseInput {
  caseId: string;
  schoolYear: number;
  unit: string;
  osCode: OsCode;
  /** The status a caseworker set while washing the lists, if any. */
  washedStatus?: OtStatusCode;
  caseworker?: string;
  facts: CaseFacts;
}

/** Where the standard letter stands once the mass recode has happened. */
export interface LetterState {
  /** The day (or moment) the office reported the unit's letters sent. */
  sentOn: string;
  batchId: string;
  /** Times it came back for a wrong address. */
  returns: number;
  /** Sent again to the second address after a return. */
  resentToSecondAddress: boolean;
  /** Came back and no other address is known: waits for one from the admissions office, NAV or the youth. */
  awaitingAddress: boolean;
  /** Went after the case had left letterDue (a claim or a reply came first): recorded, and the case kept its code. Absent: no. */
  late?: true;
}

export type { SmsState };

export interface CaseContext extends CaseInput {
  otStatus: CaseStatusCode;
  letter?: LetterState;
  sms: SmsState;
  smsSentOn?: string;
  /** When the second SMS round reached the case (the cohort's calendar may have none). */
  secondSmsSentOn?: string;
  /** The phone campaign the case is in now, and those it has been through. */
  phoneCampaign?: PhoneCampaign;
  phoneCampaignsDone: PhoneCampaign[];
  /** The office has sent the case back to VIGO (out of the target group): marked once. Absent: not yet. */
  returnedToVigo?: boolean;
  /** The follow-up plan in force and its review dates (plan.ts); absent: none was made. */
  plan?: PlanState;
}

/** Who registered a change, how the news came and what they noted: every caseworker action carries it. */
export interface Actor {
  by: string;
  /** The signed-in user's id behind `by` (absent in histories recorded before sign-in existed). */
  byUserId?: string;
  /**
   * The note's text, as requests carried it before notes moved to PostgreSQL: recorded histories and cases
   * running since then hold it, and a direct Temporal client may still send it (refusals.ts checks it).
   */
  note?: string;
  /** The id of the note stored in PostgreSQL (case_notes) before the request was sent: what the case carries instead of the text. */
  noteId?: string;
  /** The case version the request was based on (see versions.ts); absent: whatever the case is now. */
  ifVersion?: number;
}

export const CHANNELS = ['reply-sheet', 'phone', 'email', 'sms', 'drop-in', 'nav', 'admissions-office'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a call that did not reach the youth found; a call that did is registered as a reply or an outcome. */
export const CALL_RESULTS = ['notReached', 'wrongNumber'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const CONTACT_SOURCES = ['nav', 'admissions-office', 'youth'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

/** Changes a caseworker or office staff make: Temporal Updates, validated before they are accepted. */
export type CaseAction =
  | ({ type: 'CLAIM'; status: OtStatusCode; caseworker: string } & Actor)
  | ({ type: 'REPLY'; channel: Channel; forwardTo?: string } & Actor)
  | ({ type: 'OUTCOME'; status: OtStatusCode; channel: Channel } & Actor)
  | ({ type: 'CONTACT'; kind: 'address' | 'mobile'; source: ContactSource } & Actor)
  | ({ type: 'CALL'; result: CallResult } & Actor)
  /** A follow-up plan made or changed: its goal and measures are stored in PostgreSQL first (planId); the case holds its review dates. */
  | ({ type: 'PLAN'; planId: string; reviewDates: string[] } & Actor)
  /** A review of the plan: what happened is its note; then the next review date, or an outcome (`outcome`: OTOV goes on, another code ends the follow-up). */
  | ({ type: 'REVIEW'; nextReview?: string; outcome?: OtStatusCode } & Actor);

/** Why a call moved: the one who held it left the unit's staff, or someone moved it (db/call-list.ts). */
export type CallMoveReason = 'staff-removed' | 'reassigned';

/** The operator behind a mass operation; absent in histories recorded before it was carried. */
export interface Operator {
  operator?: string;
  /** The operator's user id, when they were signed in (absent in histories recorded before). */
  operatorUserId?: string;
}

/** What the system tells a case: signals from mass operations, and deadlines from the calendar. */
export type SystemEvent =
  | { type: 'LETTER_DUE' }
  /**
   * The office confirmed the mailing of the unit's letters. `late`: the case had left letterDue when the signal came (the
   * mailing chooses its cases from the read model, which may not yet show a claim or a reply): its letter went all the
   * same, so it is recorded and journalled, and nothing else changes. The workflow sets it behind its patch.
   */
  | ({ type: 'LETTERS_SENT'; sentOn: string; batchId: string; late?: boolean } & Operator)
  | { type: 'SMS_DUE' }
  | ({ type: 'SMS_SENT'; sentOn: string } & Operator)
  | ({ type: 'SECOND_SMS_SENT'; sentOn: string } & Operator)
  | { type: 'PHONE_CAMPAIGN_STARTED'; campaign: PhoneCampaign }
  | { type: 'PHONE_CAMPAIGN_ENDED' }
  | ({ type: 'LETTER_RETURNED' } & Actor)
  | ({ type: 'CROSSCHECK_MATCHED'; list: CrosscheckList; status: OtStatusCode } & Operator)
  /** The office sent the case back to VIGO (`ot vigo return`): journalled once, with who ran it. */
  | ({ type: 'RETURNED_TO_VIGO' } & Operator)
  /**
   * The case's call moved to another of its unit's staff (`ot calls reassign`, or its caller left the unit: the call list
   * in PostgreSQL holds the call). No stage takes it: it is journalled as a person's request, and changes nothing else.
   */
  | ({ type: 'CALL_MOVED'; campaign: PhoneCampaign; from?: string; to?: string; reason: CallMoveReason } & Actor)
  /** The calendar's 1 January has come for a youth whose case ages out (CaseFacts.agesOutOn): they leave the target group. */
  | { type: 'AGED_OUT' }
  | { type: 'SCHOOL_YEAR_ENDED' }
  /** A review date of the plan has come (plan.ts), and one due has waited too long. */
  | { type: 'REVIEW_DUE'; review: string }
  | { type: 'REVIEW_OVERDUE'; review: string };

export type CaseEvent = CaseAction | SystemEvent;

/** UDIR group 5, registered but not in the target group (the *_IM codes and Feil): such a case goes back to VIGO. */
const NOT_IN_TARGET_GROUP = new Set<string>(OT_STATUS_GROUPS[5]);

/** OTOV or a code of UDIR groups 3–5: what a caseworker may set once they know what the youth does. */
export function isOutcomeCode(code: string): code is OtStatusCode {
  const group = (() => {
    try {
      return otGroupOf(code as OtStatusCode);
    } catch {
      return undefined;
    }
  })();
  return group !== undefined && group >= 2;
}

/**
 * Still in the target group: not coded out of it (UDIR group 5) and not past the age limit. Only such a case ages out;
 * the workflow sets the age-out timer only for it (deadlines.ts).
 */
export function inTargetGroup(context: Pick<CaseContext, 'otStatus'>): boolean {
  return !NOT_IN_TARGET_GROUP.has(context.otStatus) && context.otStatus !== AGED_OUT_STATUS;
}

type Ev<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;

/**
 * What marks a stage as one of a kind: the stage lists below are read from these tags. Tags never change the
 * state value, so recorded histories, search attributes and the read model keep their stage strings.
 */
export type StageTag =
  /** A caseworker holds the case: counted as their load when a call list is shared. */
  | 'caseworker'
  /** Still OTUK after the letter, waiting for the SMS or a call. */
  | 'unreachedAfterLetter'
  /** Still waiting for the standard letter. */
  | 'beforeLetter'
  /** Out of the target group: returned to VIGO. */
  | 'outOfTargetGroup'
  /** Reached (a reply came) and no outcome set yet: apart from those nobody has reached. */
  | 'reachedNoOutcome';

// The params of the actions below, read from the event that triggers them.
const statusOf = ({ event }: { event: { status: OtStatusCode } }) => ({ status: event.status });
const contactOf = ({ event }: { event: Ev<'CONTACT'> }) => ({ kind: event.kind });
const replyOf = ({ event }: { event: Ev<'REPLY'> }) => ({ forwardTo: event.forwardTo });
const claimOf = ({ event }: { event: Ev<'CLAIM'> }) => ({ status: event.status, caseworker: event.caseworker });
const mailingOf = ({ event }: { event: Ev<'LETTERS_SENT'> }) => ({ sentOn: event.sentOn, batchId: event.batchId });
type Mailing = ReturnType<typeof mailingOf>;
const letterSentIn = ({ sentOn, batchId }: Mailing): LetterState => ({
  sentOn,
  batchId,
  returns: 0,
  resentToSecondAddress: false,
  awaitingAddress: false,
});
const smsSentOf = ({ event }: { event: Ev<'SMS_SENT'> }) => ({ sentOn: event.sentOn });
const secondSmsOf = ({ event }: { event: Ev<'SECOND_SMS_SENT'> }) => ({ sentOn: event.sentOn });
const campaignOf = ({ event }: { event: Ev<'PHONE_CAMPAIGN_STARTED'> }) => ({ campaign: event.campaign });
const planOf = ({ event }: { event: Ev<'PLAN'> }) => ({ planId: event.planId, reviewDates: event.reviewDates });
const reviewOf = ({ event }: { event: Ev<'REVIEW'> }) => ({ nextReview: event.nextReview });
const reviewStatusOf = ({ event }: { event: Ev<'REVIEW'> }) => ({ status: event.outcome! });

/** Followed up by a caseworker (caseworkerFollowUp, underFollowUp): a plan is made or changed, its reviews fall due and are registered. */
const FOLLOW_UP_PLAN = {
  PLAN: { actions: { type: 'makePlan', params: planOf } },
  REVIEW: [
    {
      guard: and(['hasPlan', 'reviewEndsFollowUp']),
      target: 'resolved',
      actions: [
        { type: 'registerReview', params: reviewOf },
        { type: 'setStatus', params: reviewStatusOf },
      ],
    },
    { guard: 'hasPlan', actions: { type: 'registerReview', params: reviewOf } },
  ],
  REVIEW_DUE: { guard: 'hasPlan', actions: 'reviewDue' },
  REVIEW_OVERDUE: { guard: 'reviewIsDue', actions: 'reviewOverdue' },
} as const;

/*
 * The transitions the stages of one phase share, in the order the flowchart goes: before the letter, still
 * unknown after it, on a call list. Each stage's own `on` spreads the group of its phase after its own
 * transitions; the root `on` of the machine comes after both (see each stage's description).
 */

/** A youth not yet reached, in every phase below: a reply establishes contact, a cross-check match takes them out of the target group (and off any call list). */
const NOT_YET_REACHED = {
  REPLY: { target: 'contactEstablished', actions: [{ type: 'forwardReply', params: replyOf }, 'leavePhoneCampaign'] },
  CROSSCHECK_MATCHED: {
    guard: 'outOfTargetGroupCode',
    target: 'notInTargetGroup',
    actions: [{ type: 'setStatus', params: statusOf }, 'leavePhoneCampaign'],
  },
} as const;

/** A letter that came back after the mass recode: sent again to the second address once, else it waits for a new address. The stage stays. */
const LETTER_CAME_BACK = [{ guard: 'secondAddressUnused', actions: 'resendToSecondAddress' }, { actions: 'awaitAddress' }] as const;

/** Before the letter goes (needsAddress, awaitingLetter, letterDue): a caseworker may claim the case, a reply or cross-check may settle it. */
const BEFORE_THE_LETTER = {
  CLAIM: { guard: 'claimCode', target: 'caseworkerFollowUp', actions: { type: 'claim', params: claimOf } },
  ...NOT_YET_REACHED,
} as const;

/** Out of the target group (UDIR group 5: Feil or an *_IM code) and not yet sent back: the office's return to VIGO marks it, once. */
const BACK_TO_VIGO = { RETURNED_TO_VIGO: { guard: 'dueBackToVigo', actions: 'markReturnedToVigo' } } as const;

/** OTUK after the letter and on no call list (letterSent, smsDue, noMobile, smsSent): a phone campaign not yet done puts the case on its list; a returned letter, a reply or cross-check. */
const STILL_UNKNOWN = {
  PHONE_CAMPAIGN_STARTED: { guard: 'campaignNotDone', target: 'phoneCampaign', actions: { type: 'enterPhoneCampaign', params: campaignOf } },
  LETTER_RETURNED: LETTER_CAME_BACK,
  ...NOT_YET_REACHED,
} as const;

/** The second SMS went to a youth still OTUK after the first: journalled once; the stage stays. */
const SECOND_SMS = { SECOND_SMS_SENT: { guard: 'secondSmsNotYet', actions: { type: 'secondSmsSent', params: secondSmsOf } } } as const;

/** OTUK on a phone campaign's call list (phoneCampaign): a returned letter, a reply or cross-check; another campaign starting does not move the case. */
const ON_A_CALL_LIST = {
  LETTER_RETURNED: LETTER_CAME_BACK,
  ...NOT_YET_REACHED,
} as const;

/**
 * The life of one youth's case in a school year. Pure data, guards and assigns: the workflow feeds it
 * events (deadlines from the calendar, signals, validated updates) through XState's transition() and
 * performs the effects itself.
 *
 * Every stage but the final one also takes the events of the root `on` that its own transitions do not
 * take: its description ends with "Root events: …", the ones it takes from there (a unit test checks it).
 */
export const youthCaseMachine = setup({
  types: {
    input: {} as CaseInput,
    context: {} as CaseContext,
    events: {} as CaseEvent,
    tags: {} as StageTag,
  },
  guards: {
    fictitiousWithoutAddress: ({ context }) => context.facts.fictitiousId && !context.facts.hasAddress,
    washedOutOfTargetGroup: ({ context }) => context.washedStatus !== undefined && NOT_IN_TARGET_GROUP.has(context.washedStatus),
    keptByCaseworker: ({ context }) => context.washedStatus !== undefined && context.washedStatus !== 'OTUK',
    withoutAddress: ({ context }) => !context.facts.hasAddress,
    hasMobile: ({ context }) => context.facts.hasMobile,
    mobileRegistered: ({ event }) => event.type === 'CONTACT' && event.kind === 'mobile',
    addressRegistered: ({ event }) => event.type === 'CONTACT' && event.kind === 'address',
    underFollowUpCode: ({ event }) => 'status' in event && event.status === 'OTOV',
    outcomeCode: ({ event }) => 'status' in event && isOutcomeCode(event.status),
    claimCode: ({ event }) => event.type === 'CLAIM' && isOutcomeCode(event.status) && otGroupOf(event.status) < 5,
    outOfTargetGroupCode: ({ event }) => 'status' in event && NOT_IN_TARGET_GROUP.has(event.status),
    secondAddressUnused: ({ context }) => Boolean(context.facts.hasSecondAddress) && !context.letter?.resentToSecondAddress,
    smsSent: ({ context }) => context.sms === 'sent',
    // Each campaign calls a case once: a late or repeated start does not put it back on the list.
    campaignNotDone: ({ context, event }) => event.type === 'PHONE_CAMPAIGN_STARTED' && !context.phoneCampaignsDone.includes(event.campaign),
    smsDue: ({ context }) => context.sms === 'due',
    secondSmsNotYet: ({ context }) => context.sms === 'sent' && context.secondSmsSentOn === undefined,
    smsNoMobile: ({ context }) => context.sms === 'noMobile',
    noMobileYet: ({ context, event }) => context.sms === 'noMobile' && event.type === 'CONTACT' && event.kind === 'mobile',
    wrongNumber: ({ event }) => event.type === 'CALL' && event.result === 'wrongNumber',
    // A mailing's signal comes again when its activity is retried: the late letter is recorded once.
    lateLetterNotRecorded: ({ context, event }) => event.type === 'LETTERS_SENT' && event.late === true && context.letter === undefined,
    // Only a code of group 5 goes back, and only once: a repeated return changes nothing, so it is journalled once.
    dueBackToVigo: ({ context }) => NOT_IN_TARGET_GROUP.has(context.otStatus) && !context.returnedToVigo,
    inTargetGroup: ({ context }) => inTargetGroup(context),
    reviewEndsFollowUp: ({ event }) =>
      event.type === 'REVIEW' && event.outcome !== undefined && event.outcome !== 'OTOV' && isOutcomeCode(event.outcome),
    hasPlan: ({ context }) => context.plan !== undefined,
    reviewIsDue: ({ context }) => context.plan?.due !== undefined,
  },
  actions: {
    setStatus: assign({ otStatus: (_, params: { status: OtStatusCode }) => params.status }),
    recordContact: assign({
      facts: ({ context }, params: { kind: Ev<'CONTACT'>['kind'] }) =>
        params.kind === 'address' ? { ...context.facts, hasAddress: true } : { ...context.facts, hasMobile: true, wrongNumber: undefined },
      // A letter that came back goes again to the new address (the letter activity reads it from PostgreSQL).
      letter: ({ context }, params: { kind: Ev<'CONTACT'>['kind'] }) =>
        context.letter && params.kind === 'address' ? { ...context.letter, awaitingAddress: false } : context.letter,
    }),
    forwardReply: assign({ caseworker: ({ context }, params: { forwardTo?: string }) => params.forwardTo ?? context.caseworker }),
    claim: assign({
      otStatus: (_, params: { status: OtStatusCode; caseworker: string }) => params.status,
      caseworker: (_, params: { status: OtStatusCode; caseworker: string }) => params.caseworker,
    }),
    recodeToOtuk: assign({ otStatus: 'OTUK', letter: (_, params: Mailing) => letterSentIn(params) }),
    recordLetter: assign({ letter: (_, params: Mailing) => ({ ...letterSentIn(params), late: true as const }) }),
    // The SMS must not go to a number a call found wrong: the case waits for a new mobile as if it had none.
    markWrongNumber: assign({
      facts: ({ context }) => ({ ...context.facts, hasMobile: false, wrongNumber: true }),
      sms: ({ context }) => (context.sms === 'due' ? 'noMobile' : context.sms),
    }),
    markReturnedToVigo: assign({ returnedToVigo: true }),
    smsDue: assign({ sms: 'due' }),
    smsNoMobile: assign({ sms: 'noMobile' }),
    smsSent: assign({ sms: 'sent', smsSentOn: (_, params: { sentOn: string }) => params.sentOn }),
    secondSmsSent: assign({ secondSmsSentOn: (_, params: { sentOn: string }) => params.sentOn }),
    enterPhoneCampaign: assign({ phoneCampaign: (_, params: { campaign: PhoneCampaign }) => params.campaign }),
    resendToSecondAddress: assign({
      letter: ({ context }) => ({ ...context.letter!, returns: context.letter!.returns + 1, resentToSecondAddress: true }),
    }),
    awaitAddress: assign({
      letter: ({ context }) => ({ ...context.letter!, returns: context.letter!.returns + 1, awaitingAddress: true }),
      facts: ({ context }) => ({ ...context.facts, hasAddress: false }),
    }),
    makePlan: assign({
      plan: ({ context }, params: { planId: string; reviewDates: string[] }) => planMade(context.plan, params.planId, params.reviewDates),
    }),
    registerReview: assign({ plan: ({ context }, params: { nextReview?: string }) => reviewRegistered(context.plan!, params.nextReview) }),
    reviewDue: assign({ plan: ({ context }) => reviewFellDue(context.plan!) }),
    reviewOverdue: assign({ plan: ({ context }) => reviewWentOverdue(context.plan!) }),
    leavePhoneCampaign: assign({
      phoneCampaignsDone: ({ context }) =>
        context.phoneCampaign ? [...context.phoneCampaignsDone, context.phoneCampaign] : context.phoneCampaignsDone,
      phoneCampaign: undefined,
    }),
  },
}).createMachine({
  id: 'youthCase',
  context: ({ input }) => ({
    ...input,
    // Caseworkers keep only the cases they follow up themselves; the rest lose them and get the letter (seed 000).
    caseworker: input.washedStatus && input.washedStatus !== 'OTUK' ? input.caseworker : undefined,
    otStatus: input.osCode,
    sms: 'notYet',
    phoneCampaignsDone: [],
  }),
  initial: 'classifying',
  // Taken in every stage whose own transitions do not take the event (each stage's description lists them).
  on: {
    SCHOOL_YEAR_ENDED: '.closed',
    // Past the age limit (Opplæringslova § 9-4): out of the target group, off every list, whatever stage the case was in;
    // one already coded out of it (group 5) stays as it is.
    AGED_OUT: { guard: 'inTargetGroup', target: '.agedOut', actions: [assign({ otStatus: AGED_OUT_STATUS }), 'leavePhoneCampaign'] },
    // Phoning goes on all year: whoever reaches the youth sets the code that says what they do.
    OUTCOME: [
      { guard: 'underFollowUpCode', target: '.underFollowUp', actions: [{ type: 'setStatus', params: statusOf }, 'leavePhoneCampaign'] },
      { guard: 'outcomeCode', target: '.resolved', actions: [{ type: 'setStatus', params: statusOf }, 'leavePhoneCampaign'] },
    ],
    // Once the youth is reached a reply is noted and passed on; the stage stays.
    REPLY: { actions: { type: 'forwardReply', params: replyOf } },
    CONTACT: { actions: { type: 'recordContact', params: contactOf } },
    // A call that did not reach the youth is journaled; a wrong number also takes the mobile out of use.
    CALL: [{ guard: 'wrongNumber', actions: 'markWrongNumber' }, {}],
    // A letter that went after the case had left letterDue: recorded once, the stage and code stay (see LETTERS_SENT).
    LETTERS_SENT: { guard: 'lateLetterNotRecorded', actions: { type: 'recordLetter', params: mailingOf } },
  },
  states: {
    classifying: {
      description: 'Transient: sorts the imported case into its first stage at once.',
      always: [
        // Neither is followed up by a caseworker, whatever status was washed in: they lose the caseworker too.
        { guard: 'fictitiousWithoutAddress', target: 'feil', actions: assign({ otStatus: 'Feil', caseworker: undefined }) },
        {
          guard: 'washedOutOfTargetGroup',
          target: 'notInTargetGroup',
          actions: assign({ otStatus: ({ context }) => context.washedStatus!, caseworker: undefined }),
        },
        { guard: 'keptByCaseworker', target: 'caseworkerFollowUp', actions: assign({ otStatus: ({ context }) => context.washedStatus! }) },
        { guard: 'withoutAddress', target: 'needsAddress' },
        { target: 'awaitingLetter' },
      ],
    },
    feil: {
      tags: 'outOfTargetGroup',
      description:
        'Fictitious id and no address: coded Feil, returned to VIGO, the admissions office told. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
      on: BACK_TO_VIGO,
    },
    notInTargetGroup: {
      tags: 'outOfTargetGroup',
      description:
        'Washed or cross-checked out of the target group (an *_IM code): returned to VIGO, no letter. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
      on: BACK_TO_VIGO,
    },
    caseworkerFollowUp: {
      tags: 'caseworker',
      description:
        'A caseworker follows the case up, from washing or a claim: no standard letter (one already on its way is recorded as late), SMS or phone-campaign call. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
      on: {
        CROSSCHECK_MATCHED: { guard: 'outOfTargetGroupCode', target: 'notInTargetGroup', actions: { type: 'setStatus', params: statusOf } },
        ...FOLLOW_UP_PLAN,
      },
    },
    needsAddress: {
      tags: 'beforeLetter',
      description:
        'A real youth without a known address: the admissions office finds one, then the letter goes. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL, LETTERS_SENT.',
      on: {
        CONTACT: { guard: 'addressRegistered', target: 'awaitingLetter', actions: { type: 'recordContact', params: contactOf } },
        ...BEFORE_THE_LETTER,
      },
    },
    awaitingLetter: {
      tags: 'beforeLetter',
      description:
        'Gets the standard letter for the OS code on that code’s letter date. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL, LETTERS_SENT.',
      on: { LETTER_DUE: 'letterDue', ...BEFORE_THE_LETTER },
    },
    letterDue: {
      tags: 'beforeLetter',
      description:
        'In the unit’s letter batch for the OS code: printed and posted, then the office confirms the mailing. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL.',
      on: {
        LETTERS_SENT: { target: 'letterSent', actions: { type: 'recodeToOtuk', params: mailingOf } },
        ...BEFORE_THE_LETTER,
      },
    },
    letterSent: {
      tags: 'unreachedAfterLetter',
      description:
        'OTUK after the mass recode; the SMS is due a while after the letters. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL, LETTERS_SENT.',
      on: {
        SMS_DUE: [
          { guard: 'hasMobile', target: 'smsDue', actions: 'smsDue' },
          { target: 'noMobile', actions: 'smsNoMobile' },
        ],
        ...STILL_UNKNOWN,
      },
    },
    smsDue: {
      tags: 'unreachedAfterLetter',
      description: 'OTUK with a mobile: on the unit’s SMS list. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL, LETTERS_SENT.',
      on: {
        SMS_SENT: { target: 'smsSent', actions: { type: 'smsSent', params: smsSentOf } },
        CALL: { guard: 'wrongNumber', target: 'noMobile', actions: 'markWrongNumber' },
        ...STILL_UNKNOWN,
      },
    },
    noMobile: {
      tags: 'unreachedAfterLetter',
      description:
        'OTUK and no mobile: taken off the SMS list, name noted, until a mobile is registered. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL, LETTERS_SENT.',
      on: {
        CONTACT: { guard: 'mobileRegistered', target: 'smsDue', actions: [{ type: 'recordContact', params: contactOf }, 'smsDue'] },
        ...STILL_UNKNOWN,
      },
    },
    smsSent: {
      tags: 'unreachedAfterLetter',
      description:
        'OTUK after the SMS: left for the phone campaign (and the second SMS). Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CONTACT, CALL, LETTERS_SENT.',
      on: { ...SECOND_SMS, ...STILL_UNKNOWN },
    },
    phoneCampaign: {
      tags: 'unreachedAfterLetter',
      description: 'OTUK and on a phone campaign’s call list until it ends. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, CALL, LETTERS_SENT.',
      on: {
        // The letter and SMS track goes on while the case waits to be called.
        SMS_DUE: [{ guard: 'hasMobile', actions: 'smsDue' }, { actions: 'smsNoMobile' }],
        SMS_SENT: { guard: 'smsDue', actions: { type: 'smsSent', params: smsSentOf } },
        ...SECOND_SMS,
        CONTACT: [
          { guard: 'noMobileYet', actions: [{ type: 'recordContact', params: contactOf }, 'smsDue'] },
          { actions: { type: 'recordContact', params: contactOf } },
        ],
        PHONE_CAMPAIGN_ENDED: [
          { guard: 'smsSent', target: 'smsSent', actions: 'leavePhoneCampaign' },
          { guard: 'smsDue', target: 'smsDue', actions: 'leavePhoneCampaign' },
          { guard: 'smsNoMobile', target: 'noMobile', actions: 'leavePhoneCampaign' },
          { target: 'letterSent', actions: 'leavePhoneCampaign' },
        ],
        ...ON_A_CALL_LIST,
      },
    },
    contactEstablished: {
      tags: ['caseworker', 'reachedNoOutcome'],
      description:
        'A reply came: passed to the caseworker, who sets the outcome. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
      on: { CROSSCHECK_MATCHED: { guard: 'outOfTargetGroupCode', target: 'notInTargetGroup', actions: { type: 'setStatus', params: statusOf } } },
    },
    underFollowUp: {
      tags: 'caseworker',
      description:
        'OTOV: the caseworker follows the youth up, by a follow-up plan with review dates. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
      on: FOLLOW_UP_PLAN,
    },
    resolved: {
      description:
        'A code of UDIR groups 3–5: the county knows what the youth does. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
      // A youth found to have moved abroad (OTFU_IM) or another county goes back to VIGO as well.
      on: BACK_TO_VIGO,
    },
    agedOut: {
      description:
        'Past the age limit: left the target group at the first moment of 1 January (ALDER_IM, counted in group 5 from then on); on no call or SMS list, and it takes no request. Root events: SCHOOL_YEAR_ENDED, AGED_OUT, OUTCOME, REPLY, CONTACT, CALL, LETTERS_SENT.',
    },
    closed: {
      type: 'final',
      description: 'The school year is over; those still OTUK are carried to the next year’s list. Final: takes no event.',
    },
  },
});

/** The stages, in this order (schemas/case-stages.ts, where the API's answers and the console read them too). */
export { CASE_STAGES, type CaseStage };

/** The stages tagged so in the definition, in the order of CASE_STAGES: lists built on it never drift from the machine. */
export function stagesTagged(tag: StageTag): CaseStage[] {
  return CASE_STAGES.filter((stage) => youthCaseMachine.root.states[stage].tags.includes(tag));
}

/** The stages in which a caseworker holds the case: counted as their load when a call list is shared. */
export const CASEWORKER_STAGES: readonly CaseStage[] = stagesTagged('caseworker');

/** The stages in which a case is still OTUK after the letter, waiting for SMS or phone. */
export const UNREACHED_AFTER_LETTER_STAGES: readonly CaseStage[] = stagesTagged('unreachedAfterLetter');

/** The stages in which a case still waits for the standard letter. */
export const BEFORE_LETTER_STAGES: readonly CaseStage[] = stagesTagged('beforeLetter');

/** The stages in which a case is out of the target group: returned to VIGO. */
export const OUT_OF_TARGET_GROUP_STAGES: readonly CaseStage[] = stagesTagged('outOfTargetGroup');

/** The stages of a youth nobody has reached yet: waiting for the letter, or still OTUK after it. */
export const NEVER_REACHED_STAGES: readonly CaseStage[] = CASE_STAGES.filter(
  (stage) => BEFORE_LETTER_STAGES.includes(stage) || UNREACHED_AFTER_LETTER_STAGES.includes(stage),
);

/** The stages of a youth who was reached (a reply came) but whose outcome nobody has set yet. */
export const REACHED_NO_OUTCOME_STAGES: readonly CaseStage[] = stagesTagged('reachedNoOutcome');

/** Where a case stands with reaching its youth (schemas/case-stages.ts): the list for next year keeps the first two apart. */
export { REACH, type Reach };

/**
 * The reach of a case from the stage it held in its school year. The year end moves every case to `closed`, which
 * says nothing of it: give a closed case the stage the year end found it in (db/case-reach.ts reads it from the journal).
 */
export function reachOf(yearStage: Exclude<CaseStage, 'closed'>): Reach {
  if (NEVER_REACHED_STAGES.includes(yearStage)) return 'neverReached';
  if (REACHED_NO_OUTCOME_STAGES.includes(yearStage)) return 'reachedNoOutcome';
  return 'settled';
}

/** The stages whose own transitions take an event: read from the definition, so lists built on it never drift from it. */
export function stagesTaking(eventType: CaseEvent['type']): CaseStage[] {
  return CASE_STAGES.filter((stage) => youthCaseMachine.root.states[stage].ownEvents.includes(eventType));
}
