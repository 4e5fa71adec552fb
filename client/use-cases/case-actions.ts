import {
  ApplicationFailure,
  isGrpcDeadlineError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { deleteUnrecordedNote, noteIdFor, storeNote } from '../../db/case-notes';
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
import { noteRefusal } from '../../workflows/youth-case/refusals';
import type { CaseState } from '../../workflows/youth-case/view';
import { CASE_CHANGED } from '../../workflows/youth-case/versions';

/** A request the case refused, or a case that cannot take it: the message is for the person who asked. */
export class CaseActionError extends Error {
  constructor(
    message: string,
    /** busy: Temporal did not answer in time (a worker far behind, the server unreachable); the message says what was registered. */
    readonly kind: 'refused' | 'notFound' | 'closed' | 'changed' | 'busy',
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
 * A request's note, stored in PostgreSQL before the case hears of the request: the case is sent its id
 * (`noteId`), never the text, so no Temporal payload holds what a person wrote. The text is checked here
 * as the case's validators check a note that comes as text (length, nothing like a national id). A request
 * the case refuses takes its note away again; one that failed otherwise (the server unreachable, a timeout)
 * may have been recorded all the same, so its note stays, shown by nothing unless a journal row names it.
 */
async function withNote<T>(
  pool: Pool,
  caseId: string,
  note: { text?: string; writtenBy?: string; repeatKey?: string },
  send: (noteId: string | undefined) => Promise<T>,
): Promise<T> {
  const refusal = noteRefusal(note.text);
  if (refusal) throw new CaseActionError(refusal, 'refused');
  if (!note.text) return send(undefined);
  const id = noteIdFor(caseId, note.repeatKey);
  await storeNote(pool, { id, caseId, text: note.text, writtenBy: note.writtenBy });
  try {
    return await send(id);
  } catch (err) {
    if (err instanceof CaseActionError) await deleteUnrecordedNote(pool, id);
    throw err;
  }
}

/**
 * Registers a caseworker's action on a case through its Update; returns the case as it stands after it
 * (without its journal: showCase reads that from the read model). The action's note is stored first and
 * sent as its id (withNote). An update id makes a repeated request (a retried inbound SMS) count once, and
 * store one note.
 */
export async function registerAction(
  pool: Pool,
  client: Client,
  caseId: string,
  action: CaseAction,
  opts: { updateId?: string } = {},
): Promise<CaseState> {
  const handle = await caseHandle(pool, client, caseId);
  const { type, note, ...args } = action;
  // Each action type has its own Update; the map gives it, the cast only joins the union back up.
  const update = ACTION_UPDATES[type] as (typeof ACTION_UPDATES)['CLAIM'];
  return withNote(pool, caseId, { text: note, writtenBy: action.byUserId, repeatKey: opts.updateId }, (noteId) =>
    explained(handle, caseId, () =>
      handle.executeUpdate(update, { args: [{ ...args, ...(noteId ? { noteId } : {}) } as ActionArgs<'CLAIM'>], updateId: opts.updateId }),
    ),
  );
}

/**
 * A new address or mobile: stored on the person and told to the case as one change. The row is written
 * in a transaction that commits only once the case has accepted the update, so a refusal leaves both as they were.
 * The note is stored before that transaction: the case's projection must find it when the update is applied.
 */
export async function registerContact(
  pool: Pool,
  client: Client,
  caseId: string,
  details: ContactDetails,
  action: Omit<ActionOf<'CONTACT'>, 'type' | 'kind'>,
): Promise<CaseState> {
  const handle = await caseHandle(pool, client, caseId);
  const { note, ...args } = action;
  return withNote(pool, caseId, { text: note, writtenBy: action.byUserId }, (noteId) =>
    inTransaction(pool, async (db) => {
      if (details.kind === 'address') await storeNewAddress(db, caseId, details.address);
      else await storeNewMobile(db, caseId, details.mobile);
      return explained(handle, caseId, () =>
        handle.executeUpdate(contactUpdate, { args: [{ ...args, kind: details.kind, ...(noteId ? { noteId } : {}) }] }),
      );
    }),
  );
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
 * The note is stored (committed) just before the signal, and the signal carries its id.
 */
export async function registerReturnedLetter(
  pool: Pool,
  client: Client,
  caseId: string,
  actor: { by: string; byUserId?: string; note?: string },
): Promise<CaseState> {
  const handle = await caseHandle(pool, client, caseId);
  const { note, ...who } = actor;
  const refusal = noteRefusal(note);
  if (refusal) throw new CaseActionError(refusal, 'refused');
  const unanswered = `case ${caseId} did not answer in time, and nothing was registered: try again in a moment`;
  return explained(handle, caseId, async () => {
    const refused = await answeredOr(unanswered, () => handle.query(refusalQuery, { type: 'LETTER_RETURNED', ...who }));
    if (refused) throw new CaseActionError(refused, 'refused');
    const before = await answeredOr(unanswered, () => handle.query(caseViewQuery));
    await inTransaction(pool, async (db) => {
      const registration = await registerLetterReturn(db, caseId, actor.by);
      if (registration.outcome === 'noLetter') throw new CaseActionError(`no printed letter of case ${caseId} is on record`, 'refused');
      if (registration.outcome === 'alreadyRegistered') throw new CaseActionError(alreadyRegistered(registration), 'refused');
      // The row and the signal together: a signal that fails rolls the row back.
      await withNote(pool, caseId, { text: note, writtenBy: actor.byUserId }, (noteId) =>
        handle.signal(letterReturnedSignal, { ...who, ...(noteId ? { noteId } : {}) }),
      );
    });
    // Registered. The signal is applied by the case's next workflow task: wait for it so the caller sees the result. Waiting
    // is outside the transaction, so a case slow to answer (a worker far behind) cannot roll back a return the case has.
    const deadline = Date.now() + APPLIED_WITHIN_MS;
    while (Date.now() < deadline) {
      const now = await handle.query(caseViewQuery).catch((err: unknown) => {
        if (temporalBusy(err)) return undefined;
        throw err;
      });
      if (now && now.version > before.version) return now;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new CaseActionError(
      `the returned letter of case ${caseId} is registered, but the case has not shown it yet: look at it again in a moment`,
      'busy',
    );
  });
}

/** How long a registered return waits for its case to show it before the caller is told it is registered all the same. */
const APPLIED_WITHIN_MS = 30_000;

/** Temporal did not answer in time: a query that timed out while the case's worker was far behind. */
const temporalBusy = (err: unknown): boolean => isGrpcDeadlineError(err);

/** A query asked before anything is registered: if Temporal does not answer in time, the caller is told so, in `message`. */
async function answeredOr<T>(message: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    if (temporalBusy(err)) throw new CaseActionError(message, 'busy');
    throw err;
  }
}
