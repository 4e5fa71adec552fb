import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { AGED_OUT_STATUS } from '../schemas/ot-codes';
import { stagesTaking, UNREACHED_AFTER_LETTER_STAGES } from '../workflows/youth-case/machine';
import { displayName } from './person-name';

/** The stages in which a case with its SMS due is on the SMS list: those that take "SMS sent". */
export const SMS_LIST_STAGES = stagesTaking('SMS_SENT');
/** The stages in which a case whose first SMS went is on the second SMS's list: those that take "second SMS sent". */
export const SECOND_SMS_LIST_STAGES = stagesTaking('SECOND_SMS_SENT');

/** Who the second SMS round is for: still OTUK after the first SMS went, with a usable mobile. */
const SECOND_SMS_DUE = `c.sms = 'sent' AND c.ot_status = 'OTUK' AND c.stage = ANY($SECOND) AND p.mobile IS NOT NULL AND NOT p.mobile_wrong`;

/** The unit's messages the gateway refused for good (such as a number no longer in use), with its reason. */
export async function refusedSmsList(
  pool: Pool,
  q: { schoolYear: number; unit: string },
): Promise<{ caseId: string; name: string; reason: string }[]> {
  const r = await pool.query<{ case_id: string; name: string; last_error: string | null }>(
    `SELECT s.case_id, ${displayName()} AS name, s.last_error FROM sms_messages s JOIN persons p USING (case_id)
     WHERE s.school_year = $1 AND s.unit = $2 AND s.status = 'failed' ORDER BY p.last_name, p.first_name, s.case_id`,
    [q.schoolYear, q.unit],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name, reason: row.last_error ?? 'refused' }));
}

/**
 * The unit's cases an SMS campaign would hand a message to now: SMS due, a usable mobile, and no message of
 * this step yet (the same selection the campaign's pages make, less what was handed over already).
 */
export async function casesAwaitingSms(pool: Pool, q: { schoolYear: number; unit: string; step: string }): Promise<string[]> {
  const due =
    q.step === 'sms2'
      ? SECOND_SMS_DUE.replace('$SECOND', '$4')
      : `c.sms = 'due' AND c.stage = ANY($4) AND p.mobile IS NOT NULL AND NOT p.mobile_wrong`;
  const r = await pool.query<{ case_id: string }>(
    `SELECT c.case_id FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND ${due}
       AND NOT EXISTS (SELECT 1 FROM sms_messages s WHERE s.message_key = c.case_id || ':' || $3)
     ORDER BY c.case_id`,
    [q.schoolYear, q.unit, q.step, q.step === 'sms2' ? SECOND_SMS_LIST_STAGES : SMS_LIST_STAGES],
  );
  return r.rows.map((row) => row.case_id);
}

/**
 * The next page of the unit's SMS list: cases with the SMS due and a usable mobile, in case id order after `after`. A mobile a call
 * found wrong is left out, as the outbox export leaves it out: the read model's SMS state follows the call only a moment later.
 */
export async function smsListPage(
  pool: Pool,
  q: { schoolYear: number; unit: string; after: string; pageSize: number },
): Promise<{ case_id: string; mobile: string; first_name: string }[]> {
  const r = await pool.query<{ case_id: string; mobile: string; first_name: string }>(
    `SELECT c.case_id, p.mobile, p.first_name FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND c.sms = 'due' AND c.stage = ANY($5)
       AND p.mobile IS NOT NULL AND NOT p.mobile_wrong AND c.case_id > $3
     ORDER BY c.case_id LIMIT $4`,
    [q.schoolYear, q.unit, q.after, q.pageSize, SMS_LIST_STAGES],
  );
  return r.rows;
}

/**
 * The next page of the unit's second SMS list: still OTUK after the first SMS went, a usable mobile, in case id order after `after`.
 * A case the second SMS reached stays on it (nothing in the read model says so): its message is found recorded and nothing goes twice.
 */
export async function secondSmsListPage(
  pool: Pool,
  q: { schoolYear: number; unit: string; after: string; pageSize: number },
): Promise<{ case_id: string; mobile: string; first_name: string }[]> {
  const r = await pool.query<{ case_id: string; mobile: string; first_name: string }>(
    `SELECT c.case_id, p.mobile, p.first_name FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND ${SECOND_SMS_DUE.replace('$SECOND', '$5')} AND c.case_id > $3
     ORDER BY c.case_id LIMIT $4`,
    [q.schoolYear, q.unit, q.after, q.pageSize, SECOND_SMS_LIST_STAGES],
  );
  return r.rows;
}

/** A message as recorded: its status, the campaign run that handed it over, when the gateway took it. */
export async function messageRecord(
  pool: Pool,
  key: string,
): Promise<{ status: string; campaign_id: string | null; sent_at: Date | null } | undefined> {
  const r = await pool.query<{ status: string; campaign_id: string | null; sent_at: Date | null }>(
    'SELECT status, campaign_id, sent_at FROM sms_messages WHERE message_key = $1',
    [key],
  );
  return r.rows[0];
}

/** How many messages of one step a campaign run handed over, by status. */
export async function campaignMessageCounts(pool: Pool, campaignId: string, step: string): Promise<{ status: string; n: number }[]> {
  const r = await pool.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM sms_messages WHERE campaign_id = $1 AND step = $2 GROUP BY status',
    [campaignId, step],
  );
  return r.rows;
}

/**
 * The lock of one message key. Two deliveries of one key (a Temporal retry racing a slow first attempt, a re-run batch, a second worker)
 * must never both reach the gateway. They are serialised by a session-level advisory lock on the key, held
 * across the gateway call, rather than by a row lock in a transaction held across it:
 * - each step is committed as it happens, so the attempt count and the error of a try survive the worker
 *   dying mid-call (a transaction would take them down with it), and no transaction stays open for the length
 *   of an HTTP call;
 * - the lock lives as long as the database session: if the worker dies, PostgreSQL drops the session and the
 *   lock with it, and the retry finds the row still 'sending' and sends again with the same key, which the
 *   gateway's key dedupe turns into no second SMS (see sms-gateway.ts).
 * The lock key is (class, 32-bit digest of the message key): two keys sharing a digest only wait for each other.
 */
const LOCK_CLASS = 0x4f54534d; // "OTSM"
const lockId = (key: string) => createHash('sha256').update(key).digest().readInt32BE(0);

/** Holds the message's lock for this session (released by unlockMessage, or by the session ending). */
export async function lockMessage(db: PoolClient, key: string): Promise<void> {
  await db.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, lockId(key)]);
}

export async function unlockMessage(db: PoolClient, key: string): Promise<void> {
  await db.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockId(key)]);
}

export interface MessageRow {
  status: 'sent' | 'queued' | 'exported' | 'delivered' | 'failed' | 'sending';
  provider: string;
  provider_ref: string | null;
  mobile: string;
  body: string;
  attempts: number;
}

/** The first call's number and text are what is sent, ever: a later call with other ones changes nothing. */
export async function recordMessageOnce(
  db: PoolClient,
  sms: {
    key: string;
    caseId: string;
    schoolYear: number;
    unit: string;
    step: string;
    campaignId?: string;
    mobile: string;
    body: string;
    provider: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO sms_messages (message_key, case_id, school_year, unit, step, campaign_id, mobile, body, provider, status, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sending', 0) ON CONFLICT (message_key) DO NOTHING`,
    [sms.key, sms.caseId, sms.schoolYear, sms.unit, sms.step, sms.campaignId ?? null, sms.mobile, sms.body, sms.provider],
  );
}

export async function messageToDeliver(db: PoolClient, key: string): Promise<MessageRow | undefined> {
  const { rows } = await db.query<MessageRow>(
    'SELECT status, provider, provider_ref, mobile, body, attempts FROM sms_messages WHERE message_key = $1',
    [key],
  );
  return rows[0];
}

/** Counted before the gateway call: the count survives a worker dying mid-call. */
export async function countAttempt(db: PoolClient, key: string, provider: string): Promise<void> {
  await db.query('UPDATE sms_messages SET attempts = attempts + 1, provider = $2 WHERE message_key = $1', [key, provider]);
}

/** A try whose answer is unknown: the row stays 'sending', so the next try goes out with the same key. */
export async function noteSendError(db: PoolClient, key: string, message: string): Promise<void> {
  await db.query('UPDATE sms_messages SET last_error = $2 WHERE message_key = $1', [key, message]);
}

/** Refused by the gateway for good. */
export async function markSendFailed(db: PoolClient, key: string, message: string): Promise<void> {
  await db.query(`UPDATE sms_messages SET status = 'failed', last_error = $2, status_at = now() WHERE message_key = $1 AND status = 'sending'`, [
    key,
    message,
  ]);
}

/** The gateway's answer, unless a delivery report settled the row first (it knows more than the answer). */
export async function settleAnswer(
  db: PoolClient,
  key: string,
  status: string,
  providerRef: string | null,
): Promise<Pick<MessageRow, 'status' | 'provider_ref'>> {
  const { rows: done } = await db.query<Pick<MessageRow, 'status' | 'provider_ref'>>(
    `UPDATE sms_messages SET
       status = CASE WHEN status = 'sending' THEN $2::text ELSE status END,
       status_at = CASE WHEN status = 'sending' THEN now() ELSE status_at END,
       provider_ref = COALESCE(provider_ref, $3),
       sent_at = CASE WHEN $2::text = 'sent' THEN COALESCE(sent_at, now()) ELSE sent_at END
     WHERE message_key = $1 RETURNING status, provider_ref`,
    [key, status, providerRef],
  );
  return done[0];
}

/**
 * Takes a unit's queued messages for export and marks them exported, in one statement, so two exports at
 * once never put one message in both files. A message whose number is no longer the youth's usable mobile
 * (a call found it wrong) stays behind, and so does one to a youth who has left the target group at the age limit
 * since it was queued.
 */
export async function takeQueuedForExport(
  db: PoolClient,
  opts: { schoolYear: number; unit: string; exportId: string },
): Promise<{ message_key: string; mobile: string; body: string; created_at: Date }[]> {
  const { rows } = await db.query<{ message_key: string; mobile: string; body: string; created_at: Date }>(
    `UPDATE sms_messages m SET status = 'exported', status_at = now(), export_id = $3
     WHERE m.school_year = $1 AND m.unit = $2 AND m.status = 'queued'
       AND EXISTS (SELECT 1 FROM persons p WHERE p.case_id = m.case_id AND p.mobile = m.mobile AND NOT p.mobile_wrong)
       AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = m.case_id AND c.ot_status = $4)
     RETURNING m.message_key, m.mobile, m.body, m.created_at`,
    [opts.schoolYear, opts.unit, opts.exportId, AGED_OUT_STATUS],
  );
  return rows;
}

/** Records an export once its messages are taken (they name it; the reference is checked at commit). */
export async function recordSmsExport(
  db: PoolClient,
  e: { exportId: string; schoolYear: number; unit: string; messages: number; by?: string; byUserId?: string },
): Promise<void> {
  await db.query(`INSERT INTO sms_exports (export_id, school_year, unit, messages, by_user, by_user_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
    e.exportId,
    e.schoolYear,
    e.unit,
    e.messages,
    e.by ?? null,
    e.byUserId ?? null,
  ]);
}

/** An export of the unit's outbox, if there was one by that id. */
export async function smsExportOf(
  db: PoolClient,
  q: { exportId: string; schoolYear: number; unit: string },
): Promise<{ messages: number; at: Date } | undefined> {
  const r = await db.query<{ messages: number; at: Date }>(
    'SELECT messages, at FROM sms_exports WHERE export_id = $1 AND school_year = $2 AND unit = $3 FOR UPDATE',
    [q.exportId, q.schoolYear, q.unit],
  );
  return r.rows[0];
}

/**
 * The messages of an export not yet confirmed sent (still 'exported'), for writing its file again: a message confirmed,
 * delivered or failed since is left out, and so is one whose number a call has found wrong meanwhile, or whose youth is
 * no longer unknown (reached, resolved: the text asks them to get in touch).
 */
export async function unconfirmedOfExport(
  db: PoolClient,
  exportId: string,
): Promise<{ message_key: string; mobile: string; body: string; created_at: Date }[]> {
  const { rows } = await db.query<{ message_key: string; mobile: string; body: string; created_at: Date }>(
    `SELECT m.message_key, m.mobile, m.body, m.created_at FROM sms_messages m
     WHERE m.export_id = $1 AND m.status = 'exported'
       AND EXISTS (SELECT 1 FROM persons p WHERE p.case_id = m.case_id AND p.mobile = m.mobile AND NOT p.mobile_wrong)
       AND EXISTS (SELECT 1 FROM cases c WHERE c.case_id = m.case_id AND c.stage = ANY($2))`,
    [exportId, UNREACHED_AFTER_LETTER_STAGES],
  );
  return rows;
}

/** The export was written again: how often, and the last time by whom. */
export async function noteSmsExportAgain(db: PoolClient, exportId: string, by?: string): Promise<void> {
  await db.query('UPDATE sms_exports SET again = again + 1, again_at = now(), again_by = $2 WHERE export_id = $1', [exportId, by ?? null]);
}

export async function messageByKey(pool: Pool, key: string): Promise<{ message_key: string; body: string } | undefined> {
  return (await pool.query<{ message_key: string; body: string }>('SELECT message_key, body FROM sms_messages WHERE message_key = $1', [key]))
    .rows[0];
}

export async function messageByProviderRef(pool: Pool, ref: string): Promise<{ message_key: string; body: string } | undefined> {
  return (
    await pool.query<{ message_key: string; body: string }>('SELECT message_key, body FROM sms_messages WHERE provider_ref = $1 LIMIT 1', [ref])
  ).rows[0];
}

/**
 * The status a report leaves. A failed part of a multipart message fails the whole (the youth did not get the
 * text), so 'failed' is never undone by a later 'delivered'. A queued row was handed to no one, so a report
 * about it is not believed. A 'sending' row that gets a report was taken by the gateway though we never heard
 * its answer: the report settles it, and the retry then sends nothing.
 */
const NEXT_STATUS = `CASE
  WHEN status = 'queued' THEN status
  WHEN $2::text = 'pending' THEN CASE WHEN status = 'sending' THEN 'sent' ELSE status END
  WHEN $2::text = 'failed' OR status = 'failed' THEN 'failed'
  ELSE 'delivered' END`;

/** A delivery report's outcome on the message it is about. */
export async function applyDeliveryReport(
  pool: Pool,
  key: string,
  report: { outcome: string; messageId?: string; lastError: string | null },
): Promise<void> {
  await pool.query(
    `UPDATE sms_messages SET
       status_at = CASE WHEN ${NEXT_STATUS} <> status THEN now() ELSE status_at END,
       sent_at = CASE WHEN status = 'sending' THEN COALESCE(sent_at, now()) ELSE sent_at END,
       provider_ref = CASE WHEN status = 'queued' THEN provider_ref ELSE COALESCE(provider_ref, $3) END,
       last_error = CASE WHEN status = 'queued' THEN last_error ELSE COALESCE($4, last_error) END,
       status = ${NEXT_STATUS}
     WHERE message_key = $1`,
    [key, report.outcome, report.messageId ?? null, report.lastError],
  );
}
