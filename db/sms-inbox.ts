import type { Pool, PoolClient } from 'pg';
import type { InboxEntry, InboxStatus } from '../schemas/api/calls';

/** An inbound SMS as kept: the API's answer (schemas/api/calls.ts). */
export type { InboxEntry, InboxStatus };

/** What an inbound message waits with until it has been matched: a delivery cut off before matching is matched again. */
export const NOT_YET_MATCHED = 'not yet matched';

function entryOf(row: Record<string, unknown>): InboxEntry {
  return {
    inboundId: row.inbound_id as string,
    receivedAt: (row.received_at as Date).toISOString(),
    mobile: row.mobile as string,
    text: row.body as string,
    caseId: (row.case_id as string | null) ?? undefined,
    status: row.status as InboxStatus,
    reason: (row.reason as string | null) ?? undefined,
    handledBy: (row.handled_by as string | null) ?? undefined,
  };
}

/** Keeps an inbound SMS once, by its id; returns it as stored (the first delivery's, when it came again). */
export async function keepInbound(pool: Pool, sms: { inboundId: string; receivedAt: string; from: string; text: string }): Promise<InboxEntry> {
  await pool.query(
    `INSERT INTO sms_inbox (inbound_id, received_at, mobile, body, status, reason) VALUES ($1, $2, $3, $4, 'unmatched', $5)
     ON CONFLICT (inbound_id) DO NOTHING`,
    [sms.inboundId, sms.receivedAt, sms.from, sms.text, NOT_YET_MATCHED],
  );
  return (await inboxEntry(pool, sms.inboundId))!;
}

export async function inboxEntry(db: Pool | PoolClient, inboundId: string): Promise<InboxEntry | undefined> {
  const r = await db.query('SELECT * FROM sms_inbox WHERE inbound_id = $1', [inboundId]);
  return r.rows[0] ? entryOf(r.rows[0]) : undefined;
}

/** The outcome of matching: registered on its case, or left unmatched with the reason. */
export async function recordMatch(pool: Pool, inboundId: string, outcome: { caseId: string } | { reason: string }): Promise<InboxEntry> {
  const matched = 'caseId' in outcome;
  const r = await pool.query(`UPDATE sms_inbox SET status = $2, reason = $3, case_id = $4 WHERE inbound_id = $1 RETURNING *`, [
    inboundId,
    matched ? 'registered' : 'unmatched',
    matched ? null : outcome.reason,
    matched ? outcome.caseId : null,
  ]);
  return entryOf(r.rows[0]);
}

/**
 * Office staff give a reply still unmatched to its case: one conditional update, so of two staff assigning it at once one gets it and
 * the other finds it taken (undefined). The row stays locked until the transaction ends: it commits once the case has the reply.
 */
export async function assignUnmatched(db: PoolClient, inboundId: string, caseId: string, by: string): Promise<InboxEntry | undefined> {
  const r = await db.query(
    `UPDATE sms_inbox SET status = 'assigned', case_id = $2, handled_by = $3, handled_at = now(), reason = NULL
     WHERE inbound_id = $1 AND status = 'unmatched' RETURNING *`,
    [inboundId, caseId, by],
  );
  return r.rows[0] ? entryOf(r.rows[0]) : undefined;
}

/** The replies waiting for office staff (or all): oldest first. */
export async function listInbox(pool: Pool, opts: { all?: boolean } = {}): Promise<InboxEntry[]> {
  const r = await pool.query(`SELECT * FROM sms_inbox ${opts.all ? '' : `WHERE status = 'unmatched'`} ORDER BY received_at, inbound_id`);
  return r.rows.map(entryOf);
}
