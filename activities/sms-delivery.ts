import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db/pool';
import { normaliseMobile } from '../schemas/mobile';
import { parseDeliveryReport } from '../schemas/sms-gateway';
import { SmsGatewayError, safeDescription, type GatewayAnswer, type OutgoingSms, type SmsGateway } from './sms-gateway';

export interface SmsToDeliver extends OutgoingSms {
  caseId: string;
  schoolYear: number;
  unit: string;
  step: string;
  /** The campaign run that hands it over; recorded by the first call only, so a re-run can tell it did not send it. */
  campaignId?: string;
}

export interface Delivery {
  status: 'sent' | 'queued' | 'exported' | 'delivered' | 'failed';
  providerRef?: string;
  alreadyDone: boolean;
}

interface MessageRow {
  status: Delivery['status'] | 'sending';
  provider: string;
  provider_ref: string | null;
  mobile: string;
  body: string;
  attempts: number;
}

/**
 * Two deliveries of one key (a Temporal retry racing a slow first attempt, a re-run batch, a second worker)
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

/** Idempotent: the first call for a key records and sends; later calls (retries, crashes, re-runs) return what is recorded and send nothing once the gateway's answer is known. */
export async function deliverSms(pool: Pool, gateway: SmsGateway, sms: SmsToDeliver): Promise<Delivery> {
  const mobile = normaliseMobile(sms.to);
  if (!mobile) throw new SmsGatewayError('the mobile number is not a Norwegian mobile number', false);
  const db = await pool.connect();
  let locked = false;
  let sessionSafe = true;
  try {
    // The first call's number and text are what is sent, ever: a later call with other ones changes nothing.
    await db.query(
      `INSERT INTO sms_messages (message_key, case_id, school_year, unit, step, campaign_id, mobile, body, provider, status, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'sending', 0) ON CONFLICT (message_key) DO NOTHING`,
      [sms.key, sms.caseId, sms.schoolYear, sms.unit, sms.step, sms.campaignId ?? null, mobile, sms.body, gateway.provider],
    );
    await db.query('SELECT pg_advisory_lock($1, $2)', [LOCK_CLASS, lockId(sms.key)]);
    locked = true;
    return await deliverLocked(db, gateway, sms.key);
  } catch (err) {
    // After a failed query the session's state is unknown; only our own refusals leave it clean.
    if (!(err instanceof SmsGatewayError)) sessionSafe = false;
    throw err;
  } finally {
    if (locked) {
      try {
        await db.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, lockId(sms.key)]);
        sessionSafe = true;
      } catch {
        sessionSafe = false;
      }
    }
    // A session that may still hold the lock must not go back to the pool: destroying it releases the lock.
    db.release(sessionSafe ? undefined : new Error('SMS delivery session discarded'));
  }
}

async function deliverLocked(db: PoolClient, gateway: SmsGateway, key: string): Promise<Delivery> {
  const { rows } = await db.query<MessageRow>(
    'SELECT status, provider, provider_ref, mobile, body, attempts FROM sms_messages WHERE message_key = $1',
    [key],
  );
  const row = rows[0];
  if (!row) throw new Error(`SMS ${key} is not recorded`);
  if (row.status !== 'sending') return { status: row.status, providerRef: row.provider_ref ?? undefined, alreadyDone: true };
  // An HTTP send with an unknown answer may have reached the handset; put in the outbox it could go out twice.
  if (row.provider === 'http' && gateway.provider !== 'http' && row.attempts > 0) {
    throw new SmsGatewayError('this SMS went to the HTTP gateway with an unknown answer; finish it with the HTTP gateway, not the outbox', false);
  }

  await db.query('UPDATE sms_messages SET attempts = attempts + 1, provider = $2 WHERE message_key = $1', [key, gateway.provider]);
  let answer: GatewayAnswer;
  try {
    answer = await gateway.send({ key, to: row.mobile, body: row.body });
  } catch (err) {
    // Anything but the gateway's own error is an answer we do not know; its message is not ours to repeat.
    const thrown =
      err instanceof SmsGatewayError
        ? err
        : new SmsGatewayError(`the SMS gateway call ended without a known answer (${(err as Error)?.name ?? 'error'})`, true);
    const message = safeDescription(thrown.message, row.body) ?? 'the SMS gateway call failed';
    const failure = message === thrown.message ? thrown : new SmsGatewayError(message, thrown.retryable, thrown.httpStatus);
    if (failure.retryable) {
      // Still 'sending': the next try goes out with the same key, and the gateway answers a repeat with the first id.
      await db.query('UPDATE sms_messages SET last_error = $2 WHERE message_key = $1', [key, failure.message]);
    } else {
      await db.query(`UPDATE sms_messages SET status = 'failed', last_error = $2, status_at = now() WHERE message_key = $1 AND status = 'sending'`, [
        key,
        failure.message,
      ]);
    }
    throw failure;
  }

  // A delivery report may have settled the row while we waited for the answer; it knows more than the answer.
  const { rows: done } = await db.query<Pick<MessageRow, 'status' | 'provider_ref'>>(
    `UPDATE sms_messages SET
       status = CASE WHEN status = 'sending' THEN $2::text ELSE status END,
       status_at = CASE WHEN status = 'sending' THEN now() ELSE status_at END,
       provider_ref = COALESCE(provider_ref, $3),
       sent_at = CASE WHEN $2::text = 'sent' THEN COALESCE(sent_at, now()) ELSE sent_at END
     WHERE message_key = $1 RETURNING status, provider_ref`,
    [key, answer.status, answer.status === 'sent' ? answer.providerRef : null],
  );
  return { status: done[0].status as Delivery['status'], providerRef: done[0].provider_ref ?? undefined, alreadyDone: false };
}

/** PSWin's Excel/CSV import: semicolons, a header row, the number without +47. */
const CSV_HEADER = ['mobil', 'melding'];
const BOM = '\uFEFF';

// RFC 4180 quoting with ';' as the separator. No library: csv-stringify is not installed, and fast-csv is
// only exceljs's dependency, not ours to rely on.
function csvField(value: string): string {
  return /[";\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(';')}\r\n`;
}

/** The outbox as the CSV a bulk SMS tool (PSWin) reads: queued messages of a unit, marked exported in the same transaction. */
export async function exportOutbox(pool: Pool, opts: { schoolYear: number; unit: string }): Promise<{ csv: string; messageKeys: string[] }> {
  return inTransaction(pool, async (db) => {
    // One statement takes and marks the rows, so two exports at once never put one message in both files.
    // A message whose number is no longer the youth's usable mobile (a call found it wrong) stays behind.
    const { rows } = await db.query<{ message_key: string; mobile: string; body: string; created_at: Date }>(
      `UPDATE sms_messages m SET status = 'exported', status_at = now()
       WHERE m.school_year = $1 AND m.unit = $2 AND m.status = 'queued'
         AND EXISTS (SELECT 1 FROM persons p WHERE p.case_id = m.case_id AND p.mobile = m.mobile AND NOT p.mobile_wrong)
       RETURNING m.message_key, m.mobile, m.body, m.created_at`,
      [opts.schoolYear, opts.unit],
    );
    rows.sort(
      (a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.message_key < b.message_key ? -1 : a.message_key > b.message_key ? 1 : 0),
    );
    const csv = BOM + csvLine(CSV_HEADER) + rows.map((r) => csvLine([r.mobile.replace(/^\+47/, ''), r.body])).join('');
    return { csv, messageKeys: rows.map((r) => r.message_key) };
  });
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

/** A delivery report (LINK style: { id or messageId, refId, resultCode, ... }) updates the status: delivered or failed. Unknown refs are ignored and reported as such. */
export async function recordDeliveryReport(pool: Pool, report: unknown): Promise<{ matched: boolean }> {
  const r = parseDeliveryReport(report);
  type Found = { message_key: string; body: string };
  let found: Found | undefined;
  if (r.refId) {
    found = (await pool.query<Found>('SELECT message_key, body FROM sms_messages WHERE message_key = $1', [r.refId])).rows[0];
  }
  if (!found && r.messageId) {
    found = (await pool.query<Found>('SELECT message_key, body FROM sms_messages WHERE provider_ref = $1 LIMIT 1', [r.messageId])).rows[0];
  }
  if (!found) return { matched: false };
  const said = safeDescription(r.description, found.body);
  const lastError = r.outcome === 'failed' ? `delivery report: result code ${r.resultCode}${said ? ` (${said})` : ''}` : null;
  await pool.query(
    `UPDATE sms_messages SET
       status_at = CASE WHEN ${NEXT_STATUS} <> status THEN now() ELSE status_at END,
       sent_at = CASE WHEN status = 'sending' THEN COALESCE(sent_at, now()) ELSE sent_at END,
       provider_ref = CASE WHEN status = 'queued' THEN provider_ref ELSE COALESCE(provider_ref, $3) END,
       last_error = CASE WHEN status = 'queued' THEN last_error ELSE COALESCE($4, last_error) END,
       status = ${NEXT_STATUS}
     WHERE message_key = $1`,
    [found.message_key, r.outcome, r.messageId ?? null, lastError],
  );
  return { matched: true };
}
