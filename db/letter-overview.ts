import type { Pool } from 'pg';
import { UNREACHED_AFTER_LETTER_STAGES } from '../workflows/youth-case/machine';
import { displayName } from './person-name';
import type { HeldLetter as HeldLetterRow, LetterBatchRow, LetterMailingRow } from '../schemas/api/operator';

/** Where one unit's letters of one OS code stand: what the next batch prints, what waits for the office's confirmation. */
export interface LetterCodeState {
  unit: string;
  osCode: string;
  /** Cases due the standard letter that no batch has printed yet (a letter the next batch holds back counts too). */
  due: number;
  /** Letters that came back and wait to go again to an address not yet tried (or to the admissions office). */
  returned: number;
  /** Cases whose printed letter (the standard one, or one sent again after a return) is in a batch not yet confirmed as sent. */
  awaitingConfirmation: number;
}

/** A printed batch, and a confirmed mailing with its progress: their shape is the API's (schemas/api/operator.ts). */
export type { LetterBatchRow, LetterMailingRow };

/** Counts only: no name, no case id. */
export async function letterCodeStates(pool: Pool, schoolYear: number, units: readonly string[]): Promise<LetterCodeState[]> {
  const r = await pool.query(
    `SELECT c.unit, c.os_code,
       count(*) FILTER (WHERE c.stage = 'letterDue'
         AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.case_id AND l.round = 0 AND l.recipient = 'youth'))::int AS due,
       count(*) FILTER (WHERE c.letter_returns > 0 AND c.stage = ANY($3)
         AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = c.case_id AND l.round = c.letter_returns AND l.recipient = 'youth'))::int AS returned,
       count(*) FILTER (WHERE EXISTS (
         SELECT 1 FROM letters l JOIN letter_batches b USING (batch_id)
         WHERE l.case_id = c.case_id AND l.recipient = 'youth' AND b.mailing_id IS NULL
           AND ((l.round = 0 AND c.stage = 'letterDue') OR l.round > 0)))::int AS awaiting
     FROM cases c WHERE c.school_year = $1 AND c.unit = ANY($2)
     GROUP BY c.unit, c.os_code ORDER BY c.unit, c.os_code`,
    [schoolYear, units, UNREACHED_AFTER_LETTER_STAGES],
  );
  return r.rows.map((row) => ({ unit: row.unit, osCode: row.os_code, due: row.due, returned: row.returned, awaitingConfirmation: row.awaiting }));
}

/** The units' printed batches, newest first. */
export async function letterBatchRows(pool: Pool, schoolYear: number, units: readonly string[]): Promise<LetterBatchRow[]> {
  const r = await pool.query(
    `SELECT b.batch_id, b.unit, b.os_code, b.number, b.letter_date, b.created_by, b.created_at, b.mailing_id,
       (SELECT count(*) FROM letters l WHERE l.batch_id = b.batch_id AND l.recipient = 'youth' AND l.round = 0)::int AS standard,
       (SELECT count(*) FROM letters l WHERE l.batch_id = b.batch_id AND l.recipient = 'youth' AND l.round > 0)::int AS resent,
       (SELECT count(*) FROM letters l WHERE l.batch_id = b.batch_id AND l.recipient <> 'youth')::int AS guardian_copies,
       (SELECT count(*) FROM held_letters h WHERE h.batch_id = b.batch_id)::int AS held
     FROM letter_batches b WHERE b.school_year = $1 AND b.unit = ANY($2)
     ORDER BY b.created_at DESC, b.number DESC`,
    [schoolYear, units],
  );
  return r.rows.map((row) => ({
    batchId: row.batch_id,
    unit: row.unit,
    osCode: row.os_code,
    number: row.number,
    letterDate: row.letter_date,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    standard: row.standard,
    resent: row.resent,
    guardianCopies: row.guardian_copies,
    held: row.held,
    ...(row.mailing_id ? { mailingId: row.mailing_id } : {}),
  }));
}

/** The units' confirmed letter mailings with their progress, newest first. */
export async function letterMailingRows(pool: Pool, schoolYear: number, units: readonly string[]): Promise<LetterMailingRow[]> {
  const r = await pool.query(
    `SELECT m.mailing_id, m.unit, m.os_code, m.sent_on, m.confirmed_by, m.created_at,
       count(mc.case_id)::int AS cases,
       count(mc.case_id) FILTER (WHERE mc.signalled)::int AS signalled,
       count(mc.case_id) FILTER (WHERE c.stage IS DISTINCT FROM 'letterDue')::int AS recoded
     FROM mailings m
     LEFT JOIN mailing_cases mc ON mc.mailing_id = m.mailing_id
     LEFT JOIN cases c ON c.case_id = mc.case_id
     WHERE m.kind = 'letters' AND m.school_year = $1 AND m.unit = ANY($2)
     GROUP BY m.mailing_id ORDER BY m.created_at DESC`,
    [schoolYear, units],
  );
  return r.rows.map((row) => ({
    mailingId: row.mailing_id,
    unit: row.unit,
    osCode: row.os_code,
    sentOn: row.sent_on,
    confirmedBy: row.confirmed_by ?? '',
    confirmedAt: row.created_at.toISOString(),
    cases: row.cases,
    signalled: row.signalled,
    recoded: row.recoded,
  }));
}

export type { HeldLetterRow };

/**
 * The unit's letters held back (no name or no whole address) that no batch has printed since: the last
 * batch's reason for each. A letter held back is tried again by the next batch, once the address is fixed.
 */
export async function heldLetterRows(pool: Pool, q: { schoolYear: number; unit: string }): Promise<HeldLetterRow[]> {
  const r = await pool.query(
    `SELECT * FROM (
       SELECT DISTINCT ON (h.case_id, h.recipient) h.case_id, h.recipient, h.reason, b.os_code, b.number, ${displayName()} AS name,
              p.last_name, p.first_name
       FROM held_letters h JOIN letter_batches b USING (batch_id) JOIN persons p ON p.case_id = h.case_id
       WHERE b.school_year = $1 AND b.unit = $2
         AND NOT EXISTS (SELECT 1 FROM letters l WHERE l.case_id = h.case_id AND l.recipient = h.recipient)
       ORDER BY h.case_id, h.recipient, b.created_at DESC
     ) x ORDER BY x.last_name, x.first_name, x.case_id, x.recipient`,
    [q.schoolYear, q.unit],
  );
  return r.rows.map((row) => ({
    caseId: row.case_id,
    name: row.name.trim(),
    recipient: row.recipient,
    reason: row.reason,
    osCode: row.os_code,
    batchNumber: row.number,
  }));
}
