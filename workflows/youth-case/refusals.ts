import type { SnapshotFrom } from 'xstate';
import { CALENDAR_VALUE_MAX, NAME_MAX, NOTE_MAX, tooLong } from '../../schemas/limits';
import { OS_CODES, otGroupOf } from '../../schemas/ot-codes';
import {
  CALL_RESULTS,
  CHANNELS,
  CONTACT_SOURCES,
  isOutcomeCode,
  OUT_OF_TARGET_GROUP_STAGES,
  UNREACHED_AFTER_LETTER_STAGES,
  type CaseAction,
  type CaseStage,
  type youthCaseMachine,
} from './machine';
import { planRefusal, REVIEW_DATES_MAX } from './plan';

type Snapshot = SnapshotFrom<typeof youthCaseMachine>;

/** What the office may ask of a case: the caseworker actions, and a returned letter (a signal, checked by the CLI first). */
export type CaseRequest = CaseAction | { type: 'LETTER_RETURNED'; by: string; note?: string; noteId?: string };

/** Eleven digits as a national id is written (a space after the birth date allowed): kept out of notes. */
export const NATIONAL_ID_LIKE = /(?<!\d)\d{6}\s?\d{5}(?!\d)/;

const NOTE_WITH_NATIONAL_ID = 'the note looks like it holds a national id number: leave it out';

/** A note's id (case_notes.id): a UUID, so that nothing but an id can travel in its place. */
const NOTE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Why a note's text may not be recorded, or undefined: over its limit, or holding something like a national id.
 * The client's use cases ask it before they store a note (the case then gets its id only); the case's own
 * validators ask it of a note that still comes as text (refusalOf, oversizeOf).
 */
export function noteRefusal(note: string | undefined): string | undefined {
  if (!note) return undefined;
  if (note.length > NOTE_MAX) return tooLong('note', NOTE_MAX);
  if (NATIONAL_ID_LIKE.test(note)) return NOTE_WITH_NATIONAL_ID;
  return undefined;
}

/** The person's text a request carries, each held to its limit (schemas/limits.ts). */
const TEXT_MAX = new Map<string, number>([
  ['by', NAME_MAX],
  ['note', NOTE_MAX],
  ['caseworker', NAME_MAX],
  ['forwardTo', NAME_MAX],
]);

/**
 * Why a request is too big to record, or undefined: a text over its limit, or a value that is not text.
 * Every field counts, a code (status, channel ...) or one no action has as well: the event goes into the
 * journal whole, and a direct Temporal client can send anything. A field no action has is held to NAME_MAX.
 *
 * The Update validators (and the refusal query) ask this before refusalOf; the main loop, which asks
 * refusalOf again when an update's turn comes, does not need to: a length depends on nothing the case
 * does. So a history recorded before the limits, with a longer note in it, replays as it ran.
 */
export function oversizeOf(request: object): string | undefined {
  for (const [field, value] of Object.entries(request)) {
    const shown = field.length <= 40 ? field : 'a field';
    if (value === undefined || value === null) continue;
    // A plan's review dates are the one list a request carries (plan.ts).
    if (field === 'reviewDates' && Array.isArray(value)) {
      if (value.length > REVIEW_DATES_MAX) return `a plan has at most ${REVIEW_DATES_MAX} review dates`;
      if (value.some((d) => typeof d !== 'string' || d.length > CALENDAR_VALUE_MAX))
        return `a review date must be text of at most ${CALENDAR_VALUE_MAX} characters`;
      continue;
    }
    if (typeof value !== 'string') {
      if (!TEXT_MAX.has(field) && (typeof value === 'number' || typeof value === 'boolean')) continue;
      return `${shown} must be text`;
    }
    const max = TEXT_MAX.get(field) ?? NAME_MAX;
    if (value.length > max) return tooLong(shown, max);
  }
  return undefined;
}

function codeRefusal(status: string, what: 'an outcome' | 'a claim'): string | undefined {
  if ((OS_CODES as readonly string[]).includes(status)) {
    return `${status} is an OS code: it says why VIGO sent the youth to OT and cannot be ${what}; use OTOV or a code of UDIR groups 3–5`;
  }
  if (status === 'OTUK') return `OTUK means nobody knows what the youth does yet; it cannot be ${what}; use OTOV or a code of UDIR groups 3–5`;
  if (!isOutcomeCode(status)) return `${status} is not a UDIR OT status code`;
  return undefined;
}

/**
 * Why a request makes no sense for the case as it stands, in words a caseworker understands; undefined
 * when it may go ahead. The Update validators refuse with this before anything is recorded.
 */
export function refusalOf(snapshot: Snapshot, request: CaseRequest): string | undefined {
  const stage = snapshot.value as CaseStage;
  const { context } = snapshot;
  if (!request.by?.trim()) return 'say who registers this (--by)';
  if (request.note && NATIONAL_ID_LIKE.test(request.note)) return NOTE_WITH_NATIONAL_ID;
  if (request.noteId !== undefined && !NOTE_ID.test(request.noteId)) return 'noteId must be the id of a stored note';
  if ('channel' in request && !(CHANNELS as readonly string[]).includes(request.channel)) return `the channel must be one of ${CHANNELS.join(', ')}`;
  if (request.type === 'CONTACT' && !(CONTACT_SOURCES as readonly string[]).includes(request.source))
    return `the source must be one of ${CONTACT_SOURCES.join(', ')}`;
  if (snapshot.status === 'done') return 'the case is closed: its school year has ended';
  if (stage === 'agedOut')
    return 'the youth left the target group on 1 January, past the age limit (Opplæringslova § 9-4): the case takes nothing more';

  switch (request.type) {
    case 'OUTCOME':
      return codeRefusal(request.status, 'an outcome');
    case 'CLAIM': {
      const code = codeRefusal(request.status, 'a claim');
      if (code) return code;
      if (otGroupOf(request.status) === 5) return `${request.status} takes the youth out of the target group: register it as an outcome, not a claim`;
      if (stage === 'caseworkerFollowUp') return `the case is already followed up${context.caseworker ? ` by ${context.caseworker}` : ''}`;
      if (context.letter)
        return `the letter went on ${context.letter.sentOn}: a claim must come before the letters; register a reply or an outcome instead`;
      if (OUT_OF_TARGET_GROUP_STAGES.includes(stage)) return `the case is out of the target group (${context.otStatus})`;
      if (!snapshot.can(request)) return `the youth has already been reached (${context.otStatus}); set an outcome instead`;
      return undefined;
    }
    case 'REPLY':
    case 'CONTACT':
      return undefined;
    case 'CALL':
      if (!(CALL_RESULTS as readonly string[]).includes(request.result)) return `the result of a call must be one of ${CALL_RESULTS.join(', ')}`;
      if (request.result === 'wrongNumber' && context.facts.wrongNumber)
        return 'the mobile is already flagged as wrong: register a new one when it comes';
      if (request.result === 'wrongNumber' && !context.facts.hasMobile) return 'no mobile is registered for the youth, so none can be wrong';
      return undefined;
    case 'PLAN':
      return planRefusal({ stage, otStatus: context.otStatus, plan: context.plan }, request, Date.now());
    case 'REVIEW':
      return (
        (request.outcome !== undefined ? codeRefusal(request.outcome, 'an outcome') : undefined) ??
        planRefusal({ stage, otStatus: context.otStatus, plan: context.plan }, request, Date.now())
      );
    case 'LETTER_RETURNED':
      if (!context.letter) return 'no letter has been sent to this case yet';
      if (!UNREACHED_AFTER_LETTER_STAGES.includes(stage))
        return `the youth has already been reached (${context.otStatus}): a returned letter changes nothing`;
      return undefined;
  }
}
