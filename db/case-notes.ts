import { createHash, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

type Db = Pool | PoolClient;

/**
 * The id of a new note. A request that may come again (an inbound SMS delivered twice, one Update id) gets
 * the same id each time, made from that key and the case, so it stores one note; others get a random one.
 */
export function noteIdFor(caseId: string, repeatKey?: string): string {
  if (!repeatKey) return randomUUID();
  const h = createHash('sha256').update(`case-note:${caseId}:${repeatKey}`).digest('hex');
  // Laid out as a UUID (version 8, "custom"), so the column and the case's check of a note id take it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stores a note of a case; storing the same id again changes nothing. */
export async function storeNote(db: Db, note: { id: string; caseId: string; text: string; writtenBy?: string }): Promise<void> {
  await db.query(`INSERT INTO case_notes (id, case_id, text, written_by) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`, [
    note.id,
    note.caseId,
    note.text,
    note.writtenBy ?? null,
  ]);
}

/** Deletes a note whose request the case refused; one a journal row names is kept (it was recorded after all). */
export async function deleteUnrecordedNote(db: Db, id: string): Promise<void> {
  await db.query(`DELETE FROM case_notes n WHERE n.id = $1 AND NOT EXISTS (SELECT FROM case_events e WHERE e.note_id = n.id)`, [id]);
}

/**
 * The note of journal row `e` as SQL, for a query that joins `case_notes` as `alias` on `e.note_id`: the
 * stored note's text, or the text an entry from before notes moved here kept in its own row.
 */
export const noteTextOf = (e: string, alias: string) => `coalesce(${alias}.text, ${e}.note)`;
