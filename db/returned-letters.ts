import type { PoolClient } from 'pg';

/** The youth's letter a return is registered for: the last one printed for the case. */
export interface LetterReturned {
  round: number;
  batchNumber: number;
  letterDate: string;
}

export type ReturnRegistration =
  | { outcome: 'registered'; letter: LetterReturned }
  | { outcome: 'alreadyRegistered'; letter: LetterReturned; by?: string; at?: Date }
  | { outcome: 'noLetter' };

/**
 * Registers the case's last printed letter as returned, once per letter. A second registration of it, at the same time or later, finds
 * it registered and changes nothing: inside the caller's transaction the new row stays locked until commit, so a registration
 * racing it waits for that commit (or rollback) before it knows. Only the youth's own letter counts: a guardian's copy coming back says
 * nothing of the youth's address.
 */
export async function registerLetterReturn(db: PoolClient, caseId: string, by: string): Promise<ReturnRegistration> {
  const last = await db.query<{ round: number; number: number; letter_date: string }>(
    `SELECT l.round, b.number, b.letter_date FROM letters l JOIN letter_batches b USING (batch_id)
     WHERE l.case_id = $1 AND l.recipient = 'youth' ORDER BY l.round DESC LIMIT 1`,
    [caseId],
  );
  if (!last.rows[0]) return { outcome: 'noLetter' };
  const letter = { round: last.rows[0].round, batchNumber: last.rows[0].number, letterDate: last.rows[0].letter_date };
  const inserted = await db.query(
    `INSERT INTO returned_letters (case_id, round, registered_by, registered_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (case_id, round) DO NOTHING`,
    [caseId, letter.round, by],
  );
  if (inserted.rowCount === 1) return { outcome: 'registered', letter };
  const first = await db.query<{ registered_by: string | null; registered_at: Date | null }>(
    'SELECT registered_by, registered_at FROM returned_letters WHERE case_id = $1 AND round = $2',
    [caseId, letter.round],
  );
  return { outcome: 'alreadyRegistered', letter, by: first.rows[0]?.registered_by ?? undefined, at: first.rows[0]?.registered_at ?? undefined };
}
