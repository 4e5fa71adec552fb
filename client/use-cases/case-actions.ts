import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { personOfCase, storeNewAddress, storeNewMobile } from '../../db/persons';
import { inTransaction } from '../../db/pool';
import { registerLetterReturn, type ReturnRegistration } from '../../db/returned-letters';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';
import type { PostalAddress } from '../../schemas/vigo-row';
import {
  ACTION_UPDATES,
  caseViewQuery,
  contactUpdate,
  letterReturnedSignal,
  refusalQuery,
  youthCaseWorkflowId,
  type ActionArgs,
  type YouthCaseWorkflow,
} from '../../workflows/contracts/youth-case';
import type { CaseAction } from '../../workflows/youth-case/machine';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { CASE_CHANGED } from '../../workflows/youth-case/versions';

/** A request the case refused, or a case that cannot take it: the message is for the person who asked. */
export class CaseActionError extends Error {
  constructor(
    message: string,
    readonly kind: 'refused' | 'notFound' | 'closed' | 'changed',
  ) {
    super(message);
  }
}

type ActionOf<T extends CaseAction['type']> = Extract<CaseAction, { type: T }>;

/** The new contact details themselves: they go to PostgreSQL only; the case learns that they exist. */
export type ContactDetails = { kind: 'address'; address: PostalAddress } | { kind: 'mobile'; mobile: string };

async function caseHandle(pool: Pool, client: Client, caseId: string): Promise<WorkflowHandle<YouthCaseWorkflow>> {
  const person = await personOfCase(pool, caseId);
  if (!person) throw new CaseActionError(`no case ${caseId}`, 'notFound');
  return client.workflow.getHandle(youthCaseWorkflowId(person.schoolYear, caseId));
}

/** Turns Temporal's answer into the caseworker's: the validator's reason, or why the case cannot be reached. */
async function explained<T>(handle: WorkflowHandle, caseId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const stale = err.cause instanceof ApplicationFailure && err.cause.type === CASE_CHANGED;
      throw new CaseActionError(err.cause?.message ?? err.message, stale ? 'changed' : 'refused');
    }
    if (err instanceof WorkflowNotFoundError) {
      const closed = await handle.describe().then(
        (d) => d.status.name !== 'RUNNING',
        () => false,
      );
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
export async function registerAction(
  pool: Pool,
  client: Client,
  caseId: string,
  action: CaseAction,
  opts: { updateId?: string } = {},
): Promise<CaseDetail> {
  const handle = await caseHandle(pool, client, caseId);
  const { type, ...args } = action;
  // Each action type has its own Update; the map gives it, the cast only joins the union back up.
  const update = ACTION_UPDATES[type] as (typeof ACTION_UPDATES)['CLAIM'];
  return explained(handle, caseId, () => handle.executeUpdate(update, { args: [args as ActionArgs<'CLAIM'>], updateId: opts.updateId }));
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
    if (details.kind === 'address') await storeNewAddress(db, caseId, details.address);
    else await storeNewMobile(db, caseId, details.mobile);
    return explained(handle, caseId, () => handle.executeUpdate(contactUpdate, { args: [{ ...action, kind: details.kind }] }));
  });
}

/** Why a return was not counted again: the letter it is about, and who counted it first. */
function alreadyRegistered(r: Extract<ReturnRegistration, { outcome: 'alreadyRegistered' }>): string {
  const which = r.letter.round === 0 ? `the letter of ${r.letter.letterDate}` : `the letter sent again on ${r.letter.letterDate}`;
  const when = r.at ? ` at ${DateTime.fromJSDate(r.at).setZone(CAMPAIGN_ZONE).toFormat('yyyy-MM-dd HH:mm')}` : '';
  return `${which} (batch ${r.letter.batchNumber}) is already registered as returned${r.by ? ` by ${r.by}` : ''}${when}: nothing changed`;
}

/**
 * A letter came back: checked against the case first (a signal cannot be refused), then counted once for the letter last printed
 * for the case and signalled. The return is stored in a transaction that commits only once the signal has gone: two staff
 * registering the same letter at once, or one twice, count one return, and the other is told it is already registered.
 */
export async function registerReturnedLetter(
  pool: Pool,
  client: Client,
  caseId: string,
  actor: { by: string; byUserId?: string; note?: string },
): Promise<CaseDetail> {
  const handle = await caseHandle(pool, client, caseId);
  return explained(handle, caseId, async () => {
    const refusal = await handle.query(refusalQuery, { type: 'LETTER_RETURNED', ...actor });
    if (refusal) throw new CaseActionError(refusal, 'refused');
    return inTransaction(pool, async (db) => {
      const registration = await registerLetterReturn(db, caseId, actor.by);
      if (registration.outcome === 'noLetter') throw new CaseActionError(`no printed letter of case ${caseId} is on record`, 'refused');
      if (registration.outcome === 'alreadyRegistered') throw new CaseActionError(alreadyRegistered(registration), 'refused');
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
  });
}
