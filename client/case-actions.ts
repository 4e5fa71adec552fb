import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import { inTransaction } from '../db/pool';
import { caseWorkflowId } from '../domain/case-id';
import type { PostalAddress } from '../schemas/vigo-row';
import type { CaseAction } from '../workflows/youth-case/machine';
import type { CaseDetail } from '../workflows/youth-case/view';
import {
  callUpdate,
  claimUpdate,
  contactUpdate,
  letterReturnedSignal,
  outcomeUpdate,
  refusalQuery,
  replyUpdate,
  caseViewQuery,
  type youthCase,
} from '../workflows/youth-case/workflow';

/** A request the case refused, or a case that cannot take it: the message is for the person who asked. */
export class CaseActionError extends Error {
  constructor(message: string, readonly kind: 'refused' | 'notFound' | 'closed') {
    super(message);
  }
}

type ActionOf<T extends CaseAction['type']> = Extract<CaseAction, { type: T }>;
type WithoutType<T> = T extends unknown ? Omit<T, 'type'> : never;

const UPDATES = { CLAIM: claimUpdate, REPLY: replyUpdate, OUTCOME: outcomeUpdate, CONTACT: contactUpdate, CALL: callUpdate } as const;

/** The new contact details themselves: they go to PostgreSQL only; the case learns that they exist. */
export type ContactDetails = { kind: 'address'; address: PostalAddress } | { kind: 'mobile'; mobile: string };

async function caseHandle(pool: Pool, client: Client, caseId: string): Promise<WorkflowHandle<typeof youthCase>> {
  const r = await pool.query<{ school_year: number }>('SELECT school_year FROM persons WHERE case_id = $1', [caseId]);
  if (r.rowCount === 0) throw new CaseActionError(`no case ${caseId}`, 'notFound');
  return client.workflow.getHandle(caseWorkflowId(r.rows[0].school_year, caseId));
}

/** Turns Temporal's answer into the caseworker's: the validator's reason, or why the case cannot be reached. */
async function explained<T>(handle: WorkflowHandle, caseId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new CaseActionError(err.cause?.message ?? err.message, 'refused');
    }
    if (err instanceof WorkflowNotFoundError) {
      const closed = await handle.describe().then((d) => d.status.name !== 'RUNNING', () => false);
      throw closed
        ? new CaseActionError(`case ${caseId} is closed: its school year has ended, and nothing more can be registered on it`, 'closed')
        : new CaseActionError(`case ${caseId} has no running workflow`, 'notFound');
    }
    throw err;
  }
}

/**
 * Registers a caseworker's action on a case through its Update; returns the case as it stands after it.
 * An update id makes a repeated request (a retried inbound SMS) count once.
 */
export async function registerAction<T extends CaseAction['type']>(
  pool: Pool, client: Client, caseId: string, action: ActionOf<T>, opts: { updateId?: string } = {},
): Promise<CaseDetail> {
  const handle = await caseHandle(pool, client, caseId);
  const { type, ...args } = action;
  const update = UPDATES[type];
  return explained(handle, caseId, () =>
    handle.executeUpdate(update as typeof claimUpdate, { args: [args as WithoutType<ActionOf<'CLAIM'>>], updateId: opts.updateId }),
  );
}

/**
 * A new address or mobile: stored on the person and told to the case as one change. The row is written
 * in a transaction that commits only once the case has accepted the update, so a refusal leaves both as they were.
 */
export async function registerContact(
  pool: Pool,
  client: Client,
  caseId: string,
  details: ContactDetails,
  action: Omit<ActionOf<'CONTACT'>, 'type' | 'kind'>,
): Promise<CaseDetail> {
  const handle = await caseHandle(pool, client, caseId);
  return inTransaction(pool, async (db) => {
    if (details.kind === 'address') {
      // The old address moves to second place: a letter that comes back from the new one can still go there.
      await db.query('UPDATE persons SET address2 = COALESCE(address, address2), address = $2, partial_address = NULL WHERE case_id = $1', [caseId, details.address]);
    } else {
      // The number it replaces stays on the call list as another number, unless a call found it wrong.
      await db.query(
        `UPDATE persons SET other_phones = CASE WHEN mobile IS NULL OR mobile = $2 OR mobile = ANY(other_phones) OR mobile_wrong THEN other_phones
                                               ELSE array_append(other_phones, mobile) END,
                            mobile = $2, mobile_wrong = false
         WHERE case_id = $1`,
        [caseId, details.mobile],
      );
    }
    return explained(handle, caseId, () => handle.executeUpdate(contactUpdate, { args: [{ ...action, kind: details.kind }] }));
  });
}

/** A letter came back: checked against the case first (a signal cannot be refused), then signalled. */
export async function registerReturnedLetter(pool: Pool, client: Client, caseId: string, actor: { by: string; note?: string }): Promise<CaseDetail> {
  const handle = await caseHandle(pool, client, caseId);
  return explained(handle, caseId, async () => {
    const refusal = await handle.query(refusalQuery, { type: 'LETTER_RETURNED', ...actor });
    if (refusal) throw new CaseActionError(refusal, 'refused');
    const before = await handle.query(caseViewQuery);
    await handle.signal(letterReturnedSignal, actor);
    // The signal is applied by the case's next workflow task; wait for it so the caller sees the result.
    for (let i = 0; i < 100; i++) {
      const now = await handle.query(caseViewQuery);
      if (now.journal.length > before.journal.length) return now;
      await new Promise((r) => setTimeout(r, 100));
    }
    return handle.query(caseViewQuery);
  });
}

