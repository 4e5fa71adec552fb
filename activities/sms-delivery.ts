import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '../db/pool';
import {
  applyDeliveryReport,
  countAttempt,
  noteSmsExportAgain,
  recordSmsExport,
  smsExportOf,
  unconfirmedOfExport,
  lockMessage,
  markSendFailed,
  messageByKey,
  messageByProviderRef,
  messageToDeliver,
  noteSendError,
  recordMessageOnce,
  settleAnswer,
  takeQueuedForExport,
  unlockMessage,
} from '../db/sms-messages';
import { normaliseMobile } from '../schemas/mobile';
import { csvText } from '../domain/csv-cells';
import { parseDeliveryReport } from '../schemas/sms-gateway';
import { smsGatewaySends } from '../runtime/metrics';
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

/**
 * Two deliveries of one key (a Temporal retry racing a slow first attempt, a re-run batch, a second worker)
 * must never both reach the gateway: they are serialised by a session-level advisory lock on the key, held
 * across the gateway call (see lockMessage in db/sms-messages.ts for why not a row lock).
 */
/** Idempotent: the first call for a key records and sends; later calls (retries, crashes, re-runs) return what is recorded and send nothing once the gateway's answer is known. */
export async function deliverSms(pool: Pool, gateway: SmsGateway, sms: SmsToDeliver): Promise<Delivery> {
  const mobile = normaliseMobile(sms.to);
  if (!mobile) throw new SmsGatewayError('the mobile number is not a Norwegian mobile number', false);
  const db = await pool.connect();
  let locked = false;
  let sessionSafe = true;
  try {
    // The first call's number and text are what is sent, ever: a later call with other ones changes nothing.
    await recordMessageOnce(db, { ...sms, mobile, provider: gateway.provider });
    await lockMessage(db, sms.key);
    locked = true;
    return await deliverLocked(db, gateway, sms.key);
  } catch (err) {
    // After a failed query the session's state is unknown; only our own refusals leave it clean.
    if (!(err instanceof SmsGatewayError)) sessionSafe = false;
    throw err;
  } finally {
    if (locked) {
      try {
        await unlockMessage(db, sms.key);
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
  const row = await messageToDeliver(db, key);
  if (!row) throw new Error(`SMS ${key} is not recorded`);
  if (row.status !== 'sending') return { status: row.status, providerRef: row.provider_ref ?? undefined, alreadyDone: true };
  // An HTTP send with an unknown answer may have reached the handset; put in the outbox it could go out twice.
  if (row.provider === 'http' && gateway.provider !== 'http' && row.attempts > 0) {
    throw new SmsGatewayError('this SMS went to the HTTP gateway with an unknown answer; finish it with the HTTP gateway, not the outbox', false);
  }

  await countAttempt(db, key, gateway.provider);
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
    smsGatewaySends.inc({ provider: gateway.provider, result: failure.retryable ? 'retrying' : 'failed' });
    if (failure.retryable) {
      // Still 'sending': the next try goes out with the same key, and the gateway answers a repeat with the first id.
      await noteSendError(db, key, failure.message);
    } else {
      await markSendFailed(db, key, failure.message);
    }
    throw failure;
  }

  smsGatewaySends.inc({ provider: gateway.provider, result: answer.status });
  // A delivery report may have settled the row while we waited for the answer; it knows more than the answer.
  const done = await settleAnswer(db, key, answer.status, answer.status === 'sent' ? answer.providerRef : null);
  return { status: done.status as Delivery['status'], providerRef: done.provider_ref ?? undefined, alreadyDone: false };
}

/**
 * PSWin's Excel/CSV import: semicolons, a header row, the number without +47 (domain/csv-cells.ts writes it). The mobile is
 * stored validated (`+47` and 8 digits starting with 4 or 9), so the column is 8 digits and never needs the formula escape;
 * a message text that starts with `=`, `+`, `-` or `@` (a template that opens with the first name) gets the quote in front.
 */
const CSV_HEADER = ['mobil', 'melding'];
const PSWIN_MOBILE = /^\+47([49]\d{7})$/;

function pswinMobile(mobile: string): string {
  const digits = PSWIN_MOBILE.exec(mobile)?.[1];
  // Never written otherwise: every way into sms_messages validates the number (schemas/mobile.ts).
  if (!digits) throw new Error('an outbox message has a mobile that is not a Norwegian mobile number: nothing exported');
  return digits;
}

/** An outbox export: the CSV and the messages it holds, and its id (empty when it held none and so was not kept). */
export interface OutboxFile {
  csv: string;
  messageKeys: string[];
  exportId: string;
}

/** Refused: no such export of the unit, or none of its messages left to send. */
export class SmsExportError extends Error {}

type OutboxRow = { message_key: string; mobile: string; body: string; created_at: Date };

function outboxCsv(rows: OutboxRow[]): string {
  rows.sort(
    (a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.message_key < b.message_key ? -1 : a.message_key > b.message_key ? 1 : 0),
  );
  return csvText(
    CSV_HEADER,
    rows.map((r) => [pswinMobile(r.mobile), r.body]),
  );
}

/**
 * The outbox as the CSV a bulk SMS tool (PSWin) reads: queued messages of a unit, marked exported in the same transaction.
 * `write` puts the file where it goes inside that transaction, before the commit: a file that could not be written leaves its
 * messages queued for the next export, never marked exported and lost.
 */
export async function exportOutbox(
  pool: Pool,
  opts: { schoolYear: number; unit: string; by?: string; byUserId?: string },
  write?: (file: OutboxFile) => Promise<void>,
): Promise<OutboxFile> {
  return inTransaction(pool, async (db) => {
    // Each export is kept by its id, so a file that was lost can be written again (exportAgain).
    const exportId = randomBytes(6).toString('hex');
    const rows = await takeQueuedForExport(db, { ...opts, exportId });
    // An export that holds nothing is not kept (the messages' reference to it is checked at commit).
    if (rows.length > 0)
      await recordSmsExport(db, {
        exportId,
        schoolYear: opts.schoolYear,
        unit: opts.unit,
        messages: rows.length,
        by: opts.by,
        byUserId: opts.byUserId,
      });
    const file = { csv: outboxCsv(rows), messageKeys: rows.map((r) => r.message_key), exportId: rows.length ? exportId : '' };
    await write?.(file);
    return file;
  });
}

/**
 * A lost export written again: exactly its messages not yet confirmed sent, as the first file had them, so nothing confirmed
 * goes out twice. `write` runs in the transaction, as for the first export. Refused for an unknown export of the unit, or one
 * whose every message has been confirmed (or settled) since.
 */
export async function exportAgain(
  pool: Pool,
  opts: { schoolYear: number; unit: string; exportId: string; by?: string },
  write?: (file: OutboxFile) => Promise<void>,
): Promise<OutboxFile & { held: number }> {
  return inTransaction(pool, async (db) => {
    const known = await smsExportOf(db, opts);
    if (!known) throw new SmsExportError(`unit ${opts.unit} has no SMS export ${opts.exportId} in school year ${opts.schoolYear}`);
    const rows = await unconfirmedOfExport(db, opts.exportId);
    if (rows.length === 0)
      throw new SmsExportError(
        `export ${opts.exportId}: every one of its ${known.messages} message(s) is confirmed sent (or settled) since; nothing to send again`,
      );
    await noteSmsExportAgain(db, opts.exportId, opts.by);
    const file = { csv: outboxCsv(rows), messageKeys: rows.map((r) => r.message_key), exportId: opts.exportId, held: known.messages };
    await write?.(file);
    return file;
  });
}

/** A delivery report (LINK style: { id or messageId, refId, resultCode, ... }) updates the status: delivered or failed. Unknown refs are ignored and reported as such. */
export async function recordDeliveryReport(pool: Pool, report: unknown): Promise<{ matched: boolean }> {
  const r = parseDeliveryReport(report);
  const found =
    (r.refId ? await messageByKey(pool, r.refId) : undefined) ?? (r.messageId ? await messageByProviderRef(pool, r.messageId) : undefined);
  if (!found) return { matched: false };
  const said = safeDescription(r.description, found.body);
  const lastError = r.outcome === 'failed' ? `delivery report: result code ${r.resultCode}${said ? ` (${said})` : ''}` : null;
  await applyDeliveryReport(pool, found.message_key, { outcome: r.outcome, messageId: r.messageId, lastError });
  return { matched: true };
}
