import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { openCasesWithMobile } from '../../db/cases';
import { assignUnmatched, inboxEntry, keepInbound, NOT_YET_MATCHED, recordMatch, type InboxEntry } from '../../db/sms-inbox';
import { personOfCase } from '../../db/persons';
import { inTransaction } from '../../db/pool';
import { INBOUND_SMS_USER, replyNoteOf, smsReplyUpdateId, whyUnmatched } from '../../domain/sms-replies';
import { parseInboundSms } from '../../schemas/sms-gateway';
import { CaseActionError, registerAction } from './case-actions';

export { listInbox, type InboxEntry, type InboxStatus } from '../../db/sms-inbox';
export { INBOUND_SMS_USER };

export class InboxError extends Error {
  constructor(
    message: string,
    readonly kind: 'notFound' | 'conflict' | 'refused',
  ) {
    super(message);
  }
}

type Deps = { pool: Pool; client: () => Promise<Client> };

async function registerReply(deps: Deps, caseId: string, entry: { inboundId: string; text: string }, by: string): Promise<void> {
  await registerAction(
    deps.pool,
    await deps.client(),
    caseId,
    { type: 'REPLY', channel: 'sms', by, note: replyNoteOf(entry.text, entry.inboundId) },
    {
      updateId: smsReplyUpdateId(entry.inboundId),
    },
  );
}

/**
 * An SMS from a youth: kept in the inbox, and registered as a reply (channel sms) on the one open case
 * with that mobile. Anything else (no case, several, a case that refuses) waits for office staff.
 */
export async function receiveInboundSms(deps: Deps, body: unknown): Promise<InboxEntry> {
  const sms = parseInboundSms(body);
  const stored = await keepInbound(deps.pool, {
    inboundId: sms.inboundId,
    receivedAt: sms.receivedAt ?? new Date().toISOString(),
    from: sms.from,
    text: sms.text,
  });
  // Delivered again: the first delivery's outcome stands, unless it was cut off before matching.
  if (stored.status !== 'unmatched' || stored.reason !== NOT_YET_MATCHED) return stored;

  const matches = await openCasesWithMobile(deps.pool, sms.from);
  let reason = whyUnmatched(matches.length);
  if (!reason) {
    try {
      await registerReply(deps, matches[0], stored, INBOUND_SMS_USER);
    } catch (err) {
      if (!(err instanceof CaseActionError)) throw err;
      reason = `the case did not take the reply: ${err.message}`;
    }
  }
  return recordMatch(deps.pool, sms.inboundId, reason ? { reason } : { caseId: matches[0] });
}

/**
 * Office staff give an unmatched reply to its case: registered there as a reply by SMS, in their name. The reply is taken from the
 * inbox and registered in one transaction: two staff assigning it at once, one registers it and the other is told it is taken
 * (conflict); a case that refuses it leaves it unmatched.
 */
export async function assignInboundSms(deps: Deps, inboundId: string, caseId: string, by: string): Promise<InboxEntry> {
  return inTransaction(deps.pool, async (db) => {
    // Asked first: the inbox row may only name a case that exists.
    if (!(await personOfCase(db, caseId))) throw new InboxError(`no case ${caseId}`, 'notFound');
    const assigned = await assignUnmatched(db, inboundId, caseId, by);
    if (!assigned) {
      const entry = await inboxEntry(db, inboundId);
      if (!entry) throw new InboxError(`no SMS ${inboundId} in the inbox`, 'notFound');
      throw new InboxError(`SMS ${inboundId} is already ${entry.status} to case ${entry.caseId}`, 'conflict');
    }
    try {
      await registerReply(deps, caseId, assigned, by);
    } catch (err) {
      if (err instanceof CaseActionError) throw new InboxError(err.message, err.kind === 'notFound' ? 'notFound' : 'refused');
      throw err;
    }
    return assigned;
  });
}
