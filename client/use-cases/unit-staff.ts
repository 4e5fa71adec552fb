import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { openCallOf, reassignCalls, reshareCallsOf } from '../../db/call-list';
import { inTransaction } from '../../db/pool';
import { lockUnitStaff, recordStaffChange, staffChanges, unitStaffNow } from '../../db/unit-staff';
import { NAME_MAX } from '../../schemas/limits';
import type { CallMove, StaffChangeAnswer } from '../../schemas/api/calls';
import { findUnit, type OtUnit } from '../../schemas/units';
import { forEachConcurrently } from '../../domain/concurrently';
import { callMovedSignal, youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import type { CallMoveReason } from '../../workflows/youth-case/machine';

/** A staff change or a reassignment that makes no sense: the reason, and nothing changed. */
export class StaffError extends Error {
  constructor(
    message: string,
    /** notFound: no such unit; invalid: a name that is none; refused: a request against how things stand (not on the staff, no open call). */
    readonly kind: 'notFound' | 'invalid' | 'refused' = 'refused',
  ) {
    super(message);
  }
}

type Who = { by: string; byUserId?: string };

function unitOf(units: readonly OtUnit[], code: string): OtUnit {
  const unit = findUnit(units, code);
  if (!unit) throw new StaffError(`unit ${code} is not one of the configured units`, 'notFound');
  return unit;
}

function checkedName(name: string): string {
  const n = name.trim();
  if (!n) throw new StaffError('the staff name is empty', 'invalid');
  if (n.length > NAME_MAX) throw new StaffError(`the staff name is longer than ${NAME_MAX} characters`, 'invalid');
  return n;
}

/**
 * Each moved call into its case's journal (CALL_MOVED: from whom, to whom, why, by whom), once the move is committed: the
 * call list is PostgreSQL's, the journal the case's. A case that has closed since has no journal to add to.
 */
async function journalMoves(client: Client, moved: readonly CallMove[], reason: CallMoveReason, who: Who): Promise<void> {
  try {
    await forEachConcurrently(moved.length, 16, async (i) => {
      const m = moved[i];
      try {
        await client.workflow.getHandle(youthCaseWorkflowId(m.schoolYear, m.caseId)).signal(callMovedSignal, {
          campaign: m.campaign,
          ...(m.from ? { from: m.from } : {}),
          ...(m.to ? { to: m.to } : {}),
          reason,
          by: who.by,
          ...(who.byUserId ? { byUserId: who.byUserId } : {}),
        });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    });
  } catch (err) {
    throw new Error(`the calls moved, but not every case could journal it (${(err as Error).message.split('\n')[0]}); the call list shows the moves`);
  }
}

/** Who shares the unit's call lists now (the units file's staff with the changes since), and each change: who made it, when. */
export async function unitStaff(
  pool: Pool,
  units: readonly OtUnit[],
  code: string,
): Promise<{ unit: string; staff: string[]; changes: Awaited<ReturnType<typeof staffChanges>> }> {
  const unit = unitOf(units, code);
  const changes = await staffChanges(pool, code);
  return { unit: code, staff: await unitStaffNow(pool, code, unit.staff ?? []), changes };
}

/** A new staff member shares the unit's calls from now on: new calls go to whoever holds the fewest; nobody's calls move. */
export async function addStaff(pool: Pool, units: readonly OtUnit[], req: { unit: string; name: string } & Who): Promise<StaffChangeAnswer> {
  const unit = unitOf(units, req.unit);
  const name = checkedName(req.name);
  return inTransaction(pool, async (db) => {
    await lockUnitStaff(db, req.unit);
    const staff = await unitStaffNow(db, req.unit, unit.staff ?? []);
    if (staff.includes(name)) throw new StaffError(`${name} already shares the calls of unit ${req.unit}`);
    await recordStaffChange(db, { unit: req.unit, staff: name, change: 'add', by: req.by, byUserId: req.byUserId });
    return { unit: req.unit, staff: [...staff, name], moved: [] };
  });
}

/**
 * A staff member leaves the unit: recorded, and their open calls (only theirs) shared among those who remain, one at a
 * time to whoever holds the fewest, in one transaction. With nobody left, the calls stay on the list unshared.
 */
export async function removeStaff(
  pool: Pool,
  client: Client,
  units: readonly OtUnit[],
  req: { unit: string; name: string } & Who,
): Promise<StaffChangeAnswer> {
  const unit = unitOf(units, req.unit);
  const name = checkedName(req.name);
  const done = await inTransaction(pool, async (db) => {
    await lockUnitStaff(db, req.unit);
    const staff = await unitStaffNow(db, req.unit, unit.staff ?? []);
    if (!staff.includes(name))
      throw new StaffError(`${name} does not share the calls of unit ${req.unit}; they are: ${staff.join(', ') || 'nobody'}`);
    await recordStaffChange(db, { unit: req.unit, staff: name, change: 'remove', by: req.by, byUserId: req.byUserId });
    const remaining = staff.filter((s) => s !== name);
    const moved = await reshareCallsOf(db, { unit: req.unit, departed: name, staff: remaining, by: req.by, byUserId: req.byUserId });
    return { unit: req.unit, staff: remaining, moved };
  });
  await journalMoves(client, done.moved, 'staff-removed', req);
  return done;
}

/**
 * Moves a call to another of the unit's staff: one case's (`caseId`), or every open call of one staff member (`from`) in the
 * school year. The one who takes them must share the unit's calls; each move is recorded on the call with who and when.
 */
export async function reassignCallsTo(
  pool: Pool,
  client: Client,
  units: readonly OtUnit[],
  req: { schoolYear: number; unit?: string; to: string } & ({ caseId: string } | { from: string }) & Who,
): Promise<CallMove[]> {
  const to = checkedName(req.to);
  let code = req.unit;
  if ('caseId' in req) {
    const call = await openCallOf(pool, req.schoolYear, req.caseId);
    if (!call || (code && call.unit !== code)) throw new StaffError(`case ${req.caseId} is on no open call list of school year ${req.schoolYear}`);
    if (call.staff === to) throw new StaffError(`the call of case ${req.caseId} is ${to}'s already`);
    code = call.unit;
  }
  if (!code) throw new StaffError('name the unit (--unit) whose calls move');
  const unit = unitOf(units, code);
  const unitCode = code;
  const moved = await inTransaction(pool, async (db) => {
    await lockUnitStaff(db, unitCode);
    const staff = await unitStaffNow(db, unitCode, unit.staff ?? []);
    if (!staff.includes(to)) throw new StaffError(`${to} does not share the calls of unit ${unitCode}; they are: ${staff.join(', ') || 'nobody'}`);
    const who = { by: req.by, byUserId: req.byUserId };
    const moved =
      'caseId' in req
        ? await reassignCalls(db, { schoolYear: req.schoolYear, unit: unitCode, to, caseId: req.caseId, ...who })
        : await reassignCalls(db, { schoolYear: req.schoolYear, unit: unitCode, to, from: checkedName(req.from), ...who });
    if (moved.length === 0)
      throw new StaffError(
        'caseId' in req
          ? `case ${req.caseId} left the call list meanwhile: nothing moved`
          : `${req.from} holds no open call of unit ${unitCode} in school year ${req.schoolYear}: nothing moved`,
      );
    return moved;
  });
  await journalMoves(client, moved, 'reassigned', req);
  return moved;
}
