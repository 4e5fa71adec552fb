import type { SnapshotFrom } from 'xstate';
import type { CaseStatusCode } from '../../schemas/ot-codes';
import type { CaseEvent, CaseStage, youthCaseMachine } from './machine';

type Snapshot = SnapshotFrom<typeof youthCaseMachine>;

/** One recorded change of a case: who (or which system step), when, how the news came, and what it did. */
export interface JournalEntry {
  at: string;
  event: CaseEvent['type'];
  /** The person who registered it, or who ran the mass operation; absent for the calendar's deadlines. */
  by?: string;
  /** The user id of whoever `by` names, when they were signed in. */
  byUserId?: string;
  channel?: string;
  /**
   * The note's text in entries recorded before notes moved to PostgreSQL (and in the read model's answers,
   * which read the text from case_notes). The workflow itself records only `noteId` now.
   */
  note?: string;
  /** The note in PostgreSQL (case_notes.id): the projection writes it into the journal row, the text stays there. */
  noteId?: string;
  /** The event's other facts: the code set, the list matched, the date a mailing was sent, where a contact came from. */
  detail?: Record<string, string>;
  from: { stage: CaseStage; status: CaseStatusCode };
  to: { stage: CaseStage; status: CaseStatusCode };
}

const NOT_DETAIL = new Set(['type', 'by', 'byUserId', 'ifVersion', 'operator', 'operatorUserId', 'channel', 'note', 'noteId']);

/** What a case records of an event: every request made by a person, and every system event that changed something. */
export function journalEntryOf(event: CaseEvent, at: string, before: Snapshot, after: Snapshot): JournalEntry | undefined {
  const byPerson = 'by' in event;
  if (!byPerson && before.value === after.value && JSON.stringify(before.context) === JSON.stringify(after.context)) return undefined;
  const by = byPerson ? event.by : 'operator' in event ? event.operator : undefined;
  const byUserId = 'byUserId' in event ? event.byUserId : 'operatorUserId' in event ? event.operatorUserId : undefined;
  const detail: Record<string, string> = {};
  for (const [k, v] of Object.entries(event)) if (!NOT_DETAIL.has(k) && v !== undefined) detail[k] = String(v);
  return {
    at,
    event: event.type,
    ...(by ? { by } : {}),
    ...(byUserId ? { byUserId } : {}),
    ...('channel' in event ? { channel: event.channel } : {}),
    ...('note' in event && event.note ? { note: event.note } : {}),
    ...('noteId' in event && event.noteId ? { noteId: event.noteId } : {}),
    ...(Object.keys(detail).length ? { detail } : {}),
    from: { stage: before.value as CaseStage, status: before.context.otStatus },
    to: { stage: after.value as CaseStage, status: after.context.otStatus },
  };
}
