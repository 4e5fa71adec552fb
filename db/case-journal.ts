import type { Pool, PoolClient } from 'pg';
import type { JournalEntry } from '../workflows/youth-case/journal';
import { noteTextOf } from './case-notes';

/**
 * A case's journal as the read model holds it, oldest first, each entry with its note's text from
 * case_notes (or, for entries from before notes moved there, from the journal row itself): what `ot case
 * show`, the API's case view and the console show. The case workflow answers without it.
 */
export async function journalOf(db: Pool | PoolClient, caseId: string): Promise<JournalEntry[]> {
  const r = await db.query(
    `SELECT e.at, e.event, e.by_user, e.by_user_id, e.channel, ${noteTextOf('e', 'n')} AS note, e.detail,
            e.from_stage, e.from_status, e.to_stage, e.to_status
     FROM case_events e LEFT JOIN case_notes n ON n.id = e.note_id
     WHERE e.case_id = $1 ORDER BY e.seq`,
    [caseId],
  );
  return r.rows.map((row) => ({
    at: (row.at as Date).toISOString(),
    event: row.event,
    ...(row.by_user ? { by: row.by_user } : {}),
    ...(row.by_user_id ? { byUserId: row.by_user_id } : {}),
    ...(row.channel ? { channel: row.channel } : {}),
    ...(row.note ? { note: row.note } : {}),
    ...(row.detail ? { detail: row.detail } : {}),
    from: { stage: row.from_stage, status: row.from_status },
    to: { stage: row.to_stage, status: row.to_status },
  }));
}
