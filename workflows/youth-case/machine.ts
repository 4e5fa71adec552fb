import { assign, setup } from 'xstate';
import type { CaseStatusCode, OsCode, OtStatusCode } from '../../schemas/ot-codes';

/** Non-personal facts of a case: the workflow carries these, PostgreSQL holds the person. */
export interface CaseFacts {
  fictitiousId: boolean;
  hasAddress: boolean;
  hasMobile: boolean;
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

export interface CaseContext extends CaseInput {
  otStatus: CaseStatusCode;
}

export type CaseEvent = { type: 'ADDRESS_REGISTERED' } | { type: 'SCHOOL_YEAR_ENDED' };

const NOT_IN_TARGET_GROUP = new Set<string>(['ELGS_IM', 'ELVG_IM', 'OTFA_IM', 'OTFU_IM', 'Feil', 'OTAR_IM', 'OTEV_IM', 'OTVF_IM', 'OTLL_IM']);

/**
 * The life of one youth's case in a school year. Pure data, guards and assigns: the workflow feeds
 * it events through XState's transition() and performs the effects itself.
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
  },
}).createMachine({
  id: 'youthCase',
  context: ({ input }) => ({
    ...input,
    // Caseworkers keep only the cases they follow up themselves; the rest lose them and get the letter (seed 000).
    caseworker: input.washedStatus && input.washedStatus !== 'OTUK' ? input.caseworker : undefined,
    otStatus: input.osCode,
  }),
  initial: 'classifying',
  on: { SCHOOL_YEAR_ENDED: '.closed' },
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
    /** Washed out of the target group (an *_IM code): returned to VIGO, no letter. */
    notInTargetGroup: {},
    /** A caseworker follows the case up: no standard letter, SMS or phone-campaign call. */
    caseworkerFollowUp: {},
    /** A real youth without a known address: the admissions office finds one, then the letter goes. */
    needsAddress: {
      on: {
        ADDRESS_REGISTERED: { target: 'awaitingLetter', actions: assign({ facts: ({ context }) => ({ ...context.facts, hasAddress: true }) }) },
      },
    },
    /** Gets the standard letter for the OS code on that code's letter date. */
    awaitingLetter: {},
    closed: { type: 'final' },
  },
});

export const CASE_STAGES = ['feil', 'notInTargetGroup', 'caseworkerFollowUp', 'needsAddress', 'awaitingLetter', 'closed'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];
