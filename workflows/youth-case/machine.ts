import { assign, setup } from 'xstate';
import { otGroupOf, type CaseStatusCode, type OsCode, type OtStatusCode } from '../../schemas/ot-codes';
import type { CrosscheckList } from '../../schemas/crosscheck';
import type { PhoneCampaign } from '../../schemas/calendar';

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
}

export type SmsState = 'notYet' | 'due' | 'noMobile' | 'sent';

export interface CaseContext extends CaseInput {
  otStatus: CaseStatusCode;
  letter?: LetterState;
  sms: SmsState;
  smsSentOn?: string;
  /** The phone campaign the case is in now, and those it has been through. */
  phoneCampaign?: PhoneCampaign;
  phoneCampaignsDone: PhoneCampaign[];
}

/** Who registered a change, how the news came and what they noted: every caseworker action carries it. */
export interface Actor {
  by: string;
  note?: string;
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
  | ({ type: 'CALL'; result: CallResult } & Actor);

/** The operator behind a mass operation; absent in histories recorded before it was carried. */
export interface Operator {
  operator?: string;
}

/** What the system tells a case: signals from mass operations, and deadlines from the calendar. */
export type SystemEvent =
  | { type: 'LETTER_DUE' }
  | ({ type: 'LETTERS_SENT'; sentOn: string; batchId: string } & Operator)
  | { type: 'SMS_DUE' }
  | ({ type: 'SMS_SENT'; sentOn: string } & Operator)
  | { type: 'PHONE_CAMPAIGN_STARTED'; campaign: PhoneCampaign }
  | { type: 'PHONE_CAMPAIGN_ENDED' }
  | ({ type: 'LETTER_RETURNED' } & Actor)
  | ({ type: 'CROSSCHECK_MATCHED'; list: CrosscheckList; status: OtStatusCode } & Operator)
  | { type: 'SCHOOL_YEAR_ENDED' };

export type CaseEvent = CaseAction | SystemEvent;

const NOT_IN_TARGET_GROUP = new Set<string>(['ELGS_IM', 'ELVG_IM', 'OTFA_IM', 'OTFU_IM', 'Feil', 'OTAR_IM', 'OTEV_IM', 'OTVF_IM', 'OTLL_IM']);

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

type Ev<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;

/**
 * The life of one youth's case in a school year. Pure data, guards and assigns: the workflow feeds it
 * events (deadlines from the calendar, signals, validated updates) through XState's transition() and
 * performs the effects itself.
 */
export const youthCaseMachine = setup({
  types: {
    input: {} as CaseInput,
    context: {} as CaseContext,
    events: {} as CaseEvent,
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
    smsNoMobile: ({ context }) => context.sms === 'noMobile',
    noMobileYet: ({ context, event }) => context.sms === 'noMobile' && event.type === 'CONTACT' && event.kind === 'mobile',
    wrongNumber: ({ event }) => event.type === 'CALL' && event.result === 'wrongNumber',
  },
  actions: {
    setStatus: assign({ otStatus: ({ event }) => (event as Ev<'OUTCOME'>).status }),
    recordContact: assign({
      facts: ({ context, event }) => {
        const e = event as Ev<'CONTACT'>;
        return e.kind === 'address' ? { ...context.facts, hasAddress: true } : { ...context.facts, hasMobile: true, wrongNumber: undefined };
      },
      // A letter that came back goes again to the new address (the letter activity reads it from PostgreSQL).
      letter: ({ context, event }) =>
        context.letter && (event as Ev<'CONTACT'>).kind === 'address' ? { ...context.letter, awaitingAddress: false } : context.letter,
    }),
    forwardReply: assign({ caseworker: ({ context, event }) => (event as Ev<'REPLY'>).forwardTo ?? context.caseworker }),
    claim: assign({
      otStatus: ({ event }) => (event as Ev<'CLAIM'>).status,
      caseworker: ({ event }) => (event as Ev<'CLAIM'>).caseworker,
    }),
    recodeToOtuk: assign({
      otStatus: 'OTUK',
      letter: ({ event }) => {
        const e = event as Ev<'LETTERS_SENT'>;
        return { sentOn: e.sentOn, batchId: e.batchId, returns: 0, resentToSecondAddress: false, awaitingAddress: false };
      },
    }),
    // The SMS must not go to a number a call found wrong: the case waits for a new mobile as if it had none.
    markWrongNumber: assign({
      facts: ({ context }) => ({ ...context.facts, hasMobile: false, wrongNumber: true }),
      sms: ({ context }) => (context.sms === 'due' ? 'noMobile' : context.sms),
    }),
    smsDue: assign({ sms: 'due' }),
    smsNoMobile: assign({ sms: 'noMobile' }),
    smsSent: assign({ sms: 'sent', smsSentOn: ({ event }) => (event as Ev<'SMS_SENT'>).sentOn }),
    enterPhoneCampaign: assign({ phoneCampaign: ({ event }) => (event as Ev<'PHONE_CAMPAIGN_STARTED'>).campaign }),
    resendToSecondAddress: assign({
      letter: ({ context }) => ({ ...context.letter!, returns: context.letter!.returns + 1, resentToSecondAddress: true }),
    }),
    awaitAddress: assign({
      letter: ({ context }) => ({ ...context.letter!, returns: context.letter!.returns + 1, awaitingAddress: true }),
      facts: ({ context }) => ({ ...context.facts, hasAddress: false }),
    }),
    leavePhoneCampaign: assign({
      phoneCampaignsDone: ({ context }) => (context.phoneCampaign ? [...context.phoneCampaignsDone, context.phoneCampaign] : context.phoneCampaignsDone),
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
  on: {
    SCHOOL_YEAR_ENDED: '.closed',
    // Phoning goes on all year: whoever reaches the youth sets the code that says what they do.
    OUTCOME: [
      { guard: 'underFollowUpCode', target: '.underFollowUp', actions: ['setStatus', 'leavePhoneCampaign'] },
      { guard: 'outcomeCode', target: '.resolved', actions: ['setStatus', 'leavePhoneCampaign'] },
    ],
    // Once the youth is reached a reply is noted and passed on; the stage stays.
    REPLY: { actions: 'forwardReply' },
    CONTACT: { actions: 'recordContact' },
    // A call that did not reach the youth is journaled; a wrong number also takes the mobile out of use.
    CALL: [{ guard: 'wrongNumber', actions: 'markWrongNumber' }, {}],
  },
  states: {
    classifying: {
      always: [
        // Neither is followed up by a caseworker, whatever status was washed in: they lose the caseworker too.
        { guard: 'fictitiousWithoutAddress', target: 'feil', actions: assign({ otStatus: 'Feil', caseworker: undefined }) },
        { guard: 'washedOutOfTargetGroup', target: 'notInTargetGroup', actions: assign({ otStatus: ({ context }) => context.washedStatus!, caseworker: undefined }) },
        { guard: 'keptByCaseworker', target: 'caseworkerFollowUp', actions: assign({ otStatus: ({ context }) => context.washedStatus! }) },
        { guard: 'withoutAddress', target: 'needsAddress' },
        { target: 'awaitingLetter' },
      ],
    },
    /** Fictitious id and no address: coded Feil, returned to VIGO, the admissions office told. */
    feil: {},
    /** Washed or cross-checked out of the target group (an *_IM code): returned to VIGO, no letter. */
    notInTargetGroup: {},
    /** A caseworker follows the case up, from washing or a claim: no standard letter, SMS or phone-campaign call. */
    caseworkerFollowUp: {
      on: { CROSSCHECK_MATCHED: { guard: 'outOfTargetGroupCode', target: 'notInTargetGroup', actions: 'setStatus' } },
    },
    /** A real youth without a known address: the admissions office finds one, then the letter goes. */
    needsAddress: {
      on: {
        CONTACT: { guard: 'addressRegistered', target: 'awaitingLetter', actions: 'recordContact' },
        ...beforeTheLetter(),
      },
    },
    /** Gets the standard letter for the OS code on that code's letter date. */
    awaitingLetter: {
      on: { LETTER_DUE: 'letterDue', ...beforeTheLetter() },
    },
    /** In the unit's letter batch for the OS code: printed and posted, then the office confirms the mailing. */
    letterDue: {
      on: {
        LETTERS_SENT: { target: 'letterSent', actions: 'recodeToOtuk' },
        ...beforeTheLetter(),
      },
    },
    /** OTUK after the mass recode; the SMS is due a while after the letters. */
    letterSent: {
      on: {
        SMS_DUE: [
          { guard: 'hasMobile', target: 'smsDue', actions: 'smsDue' },
          { target: 'noMobile', actions: 'smsNoMobile' },
        ],
        ...stillUnknown(),
      },
    },
    /** OTUK with a mobile: on the unit's SMS list. */
    smsDue: {
      on: {
        SMS_SENT: { target: 'smsSent', actions: 'smsSent' },
        CALL: { guard: 'wrongNumber', target: 'noMobile', actions: 'markWrongNumber' },
        ...stillUnknown(),
      },
    },
    /** OTUK and no mobile: taken off the SMS list, name noted, until a mobile is registered. */
    noMobile: {
      on: {
        CONTACT: { guard: 'mobileRegistered', target: 'smsDue', actions: ['recordContact', 'smsDue'] },
        ...stillUnknown(),
      },
    },
    /** OTUK after the SMS: left for the phone campaign. */
    smsSent: { on: stillUnknown() },
    /** OTUK and on a phone campaign's call list until it ends. */
    phoneCampaign: {
      on: {
        // The letter and SMS track goes on while the case waits to be called.
        SMS_DUE: [{ guard: 'hasMobile', actions: 'smsDue' }, { actions: 'smsNoMobile' }],
        SMS_SENT: { guard: 'smsDue', actions: 'smsSent' },
        CONTACT: [{ guard: 'noMobileYet', actions: ['recordContact', 'smsDue'] }, { actions: 'recordContact' }],
        PHONE_CAMPAIGN_ENDED: [
          { guard: 'smsSent', target: 'smsSent', actions: 'leavePhoneCampaign' },
          { guard: 'smsDue', target: 'smsDue', actions: 'leavePhoneCampaign' },
          { guard: 'smsNoMobile', target: 'noMobile', actions: 'leavePhoneCampaign' },
          { target: 'letterSent', actions: 'leavePhoneCampaign' },
        ],
        // Another campaign starting meanwhile does not move the case from the list it is on.
        ...afterTheLetter(),
      },
    },
    /** A reply came: passed to the caseworker, who sets the outcome. */
    contactEstablished: {
      on: { CROSSCHECK_MATCHED: { guard: 'outOfTargetGroupCode', target: 'notInTargetGroup', actions: 'setStatus' } },
    },
    /** OTOV: the caseworker follows the youth up. */
    underFollowUp: {},
    /** A code of UDIR groups 3–5: the county knows what the youth does. */
    resolved: {},
    /** The school year is over; those still OTUK are carried to the next year's list. */
    closed: { type: 'final' },
  },
});

/** Before the letter goes: a caseworker may claim the case, a reply or cross-check may settle it. */
function beforeTheLetter() {
  return { CLAIM: { guard: 'claimCode', target: 'caseworkerFollowUp', actions: 'claim' }, ...reached() } as const;
}

/** While the case is OTUK after the letter: the phone campaign, a returned letter, a reply or cross-check. */
function stillUnknown() {
  return { PHONE_CAMPAIGN_STARTED: { guard: 'campaignNotDone', target: 'phoneCampaign', actions: 'enterPhoneCampaign' }, ...afterTheLetter() } as const;
}

/** Also on a call list: a returned letter goes again or waits for an address, and a reply or cross-check settles the case. */
function afterTheLetter() {
  return {
    LETTER_RETURNED: [{ guard: 'secondAddressUnused', actions: 'resendToSecondAddress' }, { actions: 'awaitAddress' }],
    ...reached(),
  } as const;
}

/** A youth not yet reached: a reply establishes contact, a cross-check match takes them out of the target group. */
function reached() {
  return {
    REPLY: { target: 'contactEstablished', actions: ['forwardReply', 'leavePhoneCampaign'] },
    CROSSCHECK_MATCHED: { guard: 'outOfTargetGroupCode', target: 'notInTargetGroup', actions: ['setStatus', 'leavePhoneCampaign'] },
  } as const;
}

export const CASE_STAGES = [
  'feil', 'notInTargetGroup', 'caseworkerFollowUp', 'needsAddress', 'awaitingLetter', 'letterDue', 'letterSent', 'smsDue',
  'noMobile', 'smsSent', 'phoneCampaign', 'contactEstablished', 'underFollowUp', 'resolved', 'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

/** The stages in which a caseworker holds the case: counted as their load when a call list is shared. */
export const CASEWORKER_STAGES: readonly CaseStage[] = ['caseworkerFollowUp', 'contactEstablished', 'underFollowUp'];

/** The stages in which a case is still OTUK after the letter, waiting for SMS or phone. */
export const UNKNOWN_STAGES: readonly CaseStage[] = ['letterSent', 'smsDue', 'noMobile', 'smsSent', 'phoneCampaign'];

/** The stages whose own transitions take an event: read from the definition, so lists built on it never drift from it. */
export function stagesTaking(eventType: CaseEvent['type']): CaseStage[] {
  return CASE_STAGES.filter((stage) => youthCaseMachine.root.states[stage].ownEvents.includes(eventType));
}
