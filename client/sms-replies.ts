import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { parseInboundSms } from '../schemas/sms-gateway';
import { NATIONAL_ID_LIKE } from '../workflows/youth-case/refusals';
import { CaseActionError, registerAction } from './case-actions';

/** Who the journal names for a reply that came in by SMS and matched its case by itself. */
export const INBOUND_SMS_USER = 'sms-inbound';
const NOTE_LENGTH = 500;

export type InboxStatus = 'registered' | 'unmatched' | 'assigned';

export interface InboxEntry {
  inboundId: string;
  receivedAt: string;
  mobile: string;
  text: string;
  caseId?: string;
  status: InboxStatus;
  reason?: string;
  handledBy?: string;
}

export class InboxError extends Error {
  constructor(message: string, readonly kind: 'notFound' | 'conflict' | 'refused') {
    super(message);
  }
}

type Deps = { pool: Pool; client: () => Promise<Client> };

/** The journal keeps the text the youth wrote, unless it holds something like a national id: then it stays in the inbox only. */
function noteOf(text: string, inboundId: string): string {
  if (NATIONAL_ID_LIKE.test(text)) return `SMS reply ${inboundId}: the text is kept in the SMS inbox (it holds a number like a national id)`;
  return text.length > NOTE_LENGTH ? `${text.slice(0, NOTE_LENGTH)}…` : text;
}

function entryOf(row: Record<string, unknown>): InboxEntry {
  return {
    inboundId: row.inbound_id as string, receivedAt: (row.received_at as Date).toISOString(), mobile: row.mobile as string, text: row.body as string,
    caseId: (row.case_id as string | null) ?? undefined, status: row.status as InboxStatus, reason: (row.reason as string | null) ?? undefined,
    handledBy: (row.handled_by as string | null) ?? undefined,
  };
}

async function registerReply(deps: Deps, caseId: string, entry: { inboundId: string; text: string }, by: string): Promise<void> {
  // The update id is the inbound message's: the provider sending it again, or a retry here, registers one reply.
  await registerAction(deps.pool, await deps.client(), caseId, { type: 'REPLY', channel: 'sms', by, note: noteOf(entry.text, entry.inboundId) }, {
    updateId: `sms-reply-${entry.inboundId}`,
  });
}

/**
 * An SMS from a youth: kept in the inbox, and registered as a reply (channel sms) on the one open case
 * with that mobile. Anything else (no case, several, a case that refuses) waits for office staff.
 */
export async function receiveInboundSms(deps: Deps, body: unknown): Promise<InboxEntry> {
  const sms = parseInboundSms(body);
  await deps.pool.query(
    `INSERT INTO sms_inbox (inbound_id, received_at, mobile, body, status, reason) VALUES ($1, $2, $3, $4, 'unmatched', 'not yet matched')
     ON CONFLICT (inbound_id) DO NOTHING`,
    [sms.inboundId, sms.receivedAt ?? new Date().toISOString(), sms.from, sms.text],
  );
  const stored = entryOf((await deps.pool.query('SELECT * FROM sms_inbox WHERE inbound_id = $1', [sms.inboundId])).rows[0]);
  // Delivered again: the first delivery's outcome stands, unless it was cut off before matching.
  if (stored.status !== 'unmatched' || stored.reason !== 'not yet matched') return stored;

  const matches = await deps.pool.query<{ case_id: string }>(
    `SELECT c.case_id FROM persons p JOIN cases c USING (case_id) WHERE p.mobile = $1 AND c.stage <> 'closed' ORDER BY c.school_year DESC`,
    [sms.from],
  );
  let reason: string | undefined;
  if (matches.rowCount === 0) reason = 'no open case has this mobile number';
  else if (matches.rowCount! > 1) reason = `${matches.rowCount} open cases have this mobile number`;
  else {
    try {
      await registerReply(deps, matches.rows[0].case_id, stored, INBOUND_SMS_USER);
    } catch (err) {
      if (!(err instanceof CaseActionError)) throw err;
      reason = `the case did not take the reply: ${err.message}`;
    }
  }
  const row = await deps.pool.query(
    `UPDATE sms_inbox SET status = $2, reason = $3, case_id = $4 WHERE inbound_id = $1 RETURNING *`,
    [sms.inboundId, reason ? 'unmatched' : 'registered', reason ?? null, reason ? null : matches.rows[0].case_id],
  );
  return entryOf(row.rows[0]);
}

/** The replies waiting for office staff: oldest first. */
export async function listInbox(pool: Pool, opts: { all?: boolean } = {}): Promise<InboxEntry[]> {
  const r = await pool.query(`SELECT * FROM sms_inbox ${opts.all ? '' : `WHERE status = 'unmatched'`} ORDER BY received_at, inbound_id`);
  return r.rows.map(entryOf);
}

/** Office staff give an unmatched reply to its case: registered there as a reply by SMS, in their name. */
export async function assignInboundSms(deps: Deps, inboundId: string, caseId: string, by: string): Promise<InboxEntry> {
  const r = await deps.pool.query('SELECT * FROM sms_inbox WHERE inbound_id = $1', [inboundId]);
  if (r.rowCount === 0) throw new InboxError(`no SMS ${inboundId} in the inbox`, 'notFound');
  const entry = entryOf(r.rows[0]);
  if (entry.status !== 'unmatched') throw new InboxError(`SMS ${inboundId} is already ${entry.status} to case ${entry.caseId}`, 'conflict');
  try {
    await registerReply(deps, caseId, entry, by);
  } catch (err) {
    if (err instanceof CaseActionError) throw new InboxError(err.message, err.kind === 'notFound' ? 'notFound' : 'refused');
    throw err;
  }
  const updated = await deps.pool.query(
    `UPDATE sms_inbox SET status = 'assigned', case_id = $2, handled_by = $3, handled_at = now(), reason = NULL WHERE inbound_id = $1 RETURNING *`,
    [inboundId, caseId, by],
  );
  return entryOf(updated.rows[0]);
}
