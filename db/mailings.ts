import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { Mailing, MailingKind, MailingRequest } from '../workflows/contracts/mass-operations';
import { lockLetterBatches } from './letter-batches';
import { inTransaction } from './pool';
import { SECOND_SMS_LIST_STAGES, SMS_LIST_STAGES } from './sms-messages';

/**
 * Who a mailing went to. Letters: the unit's cases due a standard letter for the OS code whose letter is
 * in a printed batch not yet confirmed. SMS: the still-unknown cases with the SMS due, on a call list or
 * not, whose message the outbox exported (a youth reached meanwhile gets no SMS, though the case still notes it as due).
 */
const DUE_IN: Record<MailingKind, string> = {
  letters: `c.stage = 'letterDue' AND c.os_code = $4 AND EXISTS (
    SELECT 1 FROM letters l JOIN letter_batches b USING (batch_id)
    WHERE l.case_id = c.case_id AND l.round = 0 AND l.recipient = 'youth' AND b.mailing_id IS NULL)`,
  sms: `c.sms = 'due' AND c.stage = ANY($6) AND $4 = ''
    AND EXISTS (SELECT 1 FROM sms_messages s WHERE s.case_id = c.case_id AND s.step = 'sms1' AND s.status = 'exported')`,
  sms2: `c.stage = ANY($6) AND $4 = ''
    AND EXISTS (SELECT 1 FROM sms_messages s WHERE s.case_id = c.case_id AND s.step = 'sms2' AND s.status = 'exported')`,
};

/** What confirming a mailing settles besides the cases: the printed batches it covers, or the exported messages it sent. */
const SETTLES: Record<MailingKind, string> = {
  letters: `UPDATE letter_batches b SET mailing_id = $1 FROM mailings m
    WHERE m.mailing_id = $1 AND b.school_year = m.school_year AND b.unit = m.unit AND b.os_code = m.os_code AND b.mailing_id IS NULL`,
  sms: `UPDATE sms_messages SET status = 'sent', sent_at = now(), status_at = now()
    WHERE status = 'exported' AND step = 'sms1' AND case_id IN (SELECT case_id FROM mailing_cases WHERE mailing_id = $1)`,
  sms2: `UPDATE sms_messages SET status = 'sent', sent_at = now(), status_at = now()
    WHERE status = 'exported' AND step = 'sms2' AND case_id IN (SELECT case_id FROM mailing_cases WHERE mailing_id = $1)`,
};

/** The stages whose cases a mailing of that kind may hold ($6 of DUE_IN). */
const STAGES_OF: Partial<Record<MailingKind, readonly string[]>> = { sms: SMS_LIST_STAGES, sms2: SECOND_SMS_LIST_STAGES };

/**
 * Fixes which cases a mailing holds: those due in it now, in one transaction. Confirming the same mailing again returns the same cases.
 * A letters mailing first takes the lock of the unit's print batches: read committed, each statement below sees what was committed
 * before it began, so a batch printed between choosing the cases and settling the batches would be marked mailed with its cases
 * left out, never to be recoded. Under the lock a batch is either printed before (in) or after (not in) the confirmation.
 */
export async function closeMailing(pool: Pool, req: MailingRequest): Promise<Mailing> {
  return inTransaction(pool, async (db) => {
    if (req.kind === 'letters') await lockLetterBatches(db, { schoolYear: req.schoolYear, unit: req.unit, osCode: req.osCode ?? '' });
    const inserted = await db.query(
      `INSERT INTO mailings (mailing_id, kind, school_year, unit, os_code, sent_on, confirmed_by, confirmed_by_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (kind, school_year, unit, os_code, sent_on) DO NOTHING RETURNING mailing_id, created_at`,
      [randomUUID(), req.kind, req.schoolYear, req.unit, req.osCode ?? '', req.sentOn, req.by, req.byUserId ?? null],
    );
    const firstConfirmation = inserted.rowCount === 1;
    const { mailing_id: mailingId, created_at: createdAt } = firstConfirmation
      ? inserted.rows[0]
      : (
          await db.query(
            'SELECT mailing_id, created_at FROM mailings WHERE kind = $1 AND school_year = $2 AND unit = $3 AND os_code = $4 AND sent_on = $5',
            [req.kind, req.schoolYear, req.unit, req.osCode ?? '', req.sentOn],
          )
        ).rows[0];
    if (firstConfirmation) {
      await db.query(
        `INSERT INTO mailing_cases (mailing_id, case_id)
         SELECT $1, c.case_id FROM cases c
         WHERE c.school_year = $2 AND c.unit = $3 AND ${DUE_IN[req.kind]}
           AND NOT EXISTS (SELECT 1 FROM mailing_cases mc JOIN mailings m USING (mailing_id) WHERE mc.case_id = c.case_id AND m.kind = $5)`,
        [mailingId, req.schoolYear, req.unit, req.osCode ?? '', req.kind, ...(STAGES_OF[req.kind] ? [STAGES_OF[req.kind]] : [])],
      );
    }
    const n = await db.query<{ n: string }>('SELECT count(*) AS n FROM mailing_cases WHERE mailing_id = $1', [mailingId]);
    // A batch may hold only letters sent again after a return: their cases are OTUK already and need no recode,
    // but the mailing is what counts the letters as sent, so it is kept for them.
    const resentDue = req.kind === 'letters' && firstConfirmation && n.rows[0].n === '0' && (await resentLettersAwaiting(db, req)) > 0;
    if (firstConfirmation && n.rows[0].n === '0' && !resentDue) {
      // Confirmed before anyone was due: keep no empty mailing that would swallow the real confirmation.
      await db.query('DELETE FROM mailings WHERE mailing_id = $1', [mailingId]);
      return { mailingId: '', cases: 0, resent: 0, confirmedAt: new Date().toISOString(), firstConfirmation: true };
    }
    if (firstConfirmation) await db.query(SETTLES[req.kind], [mailingId]);
    const resent = req.kind === 'letters' ? await resentLettersOf(db, mailingId) : 0;
    return { mailingId, cases: Number(n.rows[0].n), resent, confirmedAt: createdAt.toISOString(), firstConfirmation };
  });
}

/** Letters sent again after a return (round > 0) in the unit's printed batches for the code that no mailing has confirmed yet. */
async function resentLettersAwaiting(db: PoolClient, req: MailingRequest): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM letters l JOIN letter_batches b USING (batch_id)
     WHERE b.school_year = $1 AND b.unit = $2 AND b.os_code = $3 AND b.mailing_id IS NULL AND l.round > 0 AND l.recipient = 'youth'`,
    [req.schoolYear, req.unit, req.osCode ?? ''],
  );
  return r.rows[0].n;
}

/** Letters sent again after a return in the batches a mailing confirmed. */
async function resentLettersOf(db: PoolClient, mailingId: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM letters l JOIN letter_batches b USING (batch_id) WHERE b.mailing_id = $1 AND l.round > 0 AND l.recipient = 'youth'`,
    [mailingId],
  );
  return r.rows[0].n;
}

/** What a confirmed mailing tells its cases. */
export async function mailingOf(
  pool: Pool,
  mailingId: string,
): Promise<{ kind: MailingKind; schoolYear: number; sentOn: string; operator: string; operatorUserId?: string }> {
  const m = await pool.query('SELECT kind, school_year, sent_on, confirmed_by, confirmed_by_user_id FROM mailings WHERE mailing_id = $1', [
    mailingId,
  ]);
  const r = m.rows[0];
  return {
    kind: r.kind,
    schoolYear: r.school_year,
    sentOn: r.sent_on,
    operator: r.confirmed_by,
    ...(r.confirmed_by_user_id ? { operatorUserId: r.confirmed_by_user_id } : {}),
  };
}

/** The next cases of a mailing not yet told, in case id order. */
export async function unsignalledCases(pool: Pool, mailingId: string, pageSize: number): Promise<string[]> {
  const page = await pool.query<{ case_id: string }>(
    'SELECT case_id FROM mailing_cases WHERE mailing_id = $1 AND NOT signalled ORDER BY case_id LIMIT $2',
    [mailingId, pageSize],
  );
  return page.rows.map((r) => r.case_id);
}

/** Marks these cases of a mailing told; returns how many are left to tell. */
export async function markSignalled(pool: Pool, mailingId: string, caseIds: string[]): Promise<number> {
  await pool.query('UPDATE mailing_cases SET signalled = true WHERE mailing_id = $1 AND case_id = ANY($2)', [mailingId, caseIds]);
  const left = await pool.query<{ n: string }>('SELECT count(*) AS n FROM mailing_cases WHERE mailing_id = $1 AND NOT signalled', [mailingId]);
  return Number(left.rows[0].n);
}

/** Every unit's letter mailings of a cohort, by the day each went: each has its SMS campaign (a calendar change wakes them). */
export async function letterMailingsOfYear(pool: Pool, schoolYear: number): Promise<{ unit: string; sentOn: string }[]> {
  const r = await pool.query<{ unit: string; sent_on: string }>(
    `SELECT DISTINCT unit, sent_on FROM mailings WHERE kind = 'letters' AND school_year = $1 ORDER BY unit, sent_on`,
    [schoolYear],
  );
  return r.rows.map((row) => ({ unit: row.unit, sentOn: row.sent_on }));
}

/** The unit's letter mailings and the day each went: the SMS falls due a while after each. */
export async function letterMailings(pool: Pool, schoolYear: number, unit: string): Promise<{ mailingId: string; sentOn: string }[]> {
  const r = await pool.query<{ mailing_id: string; sent_on: string }>(
    `SELECT mailing_id, sent_on FROM mailings WHERE kind = 'letters' AND school_year = $1 AND unit = $2`,
    [schoolYear, unit],
  );
  return r.rows.map((row) => ({ mailingId: row.mailing_id, sentOn: row.sent_on }));
}
