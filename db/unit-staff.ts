import type { Pool, PoolClient } from 'pg';
import { staffAfterChanges, type StaffChange } from '../domain/call-sharing';

/** The changes of a unit's staff, oldest first: who was added or removed, by whom and when. */
export async function staffChanges(db: Pool | PoolClient, unit: string): Promise<(StaffChange & { by: string; at: string })[]> {
  const r = await db.query<{ staff: string; change: StaffChange['change']; by_user: string; at: Date }>(
    'SELECT staff, change, by_user, at FROM unit_staff_changes WHERE unit = $1 ORDER BY id',
    [unit],
  );
  return r.rows.map((row) => ({ staff: row.staff, change: row.change, by: row.by_user, at: row.at.toISOString() }));
}

/** Who shares the unit's call lists now: the units file's staff with the changes made since. */
export async function unitStaffNow(db: Pool | PoolClient, unit: string, fileStaff: readonly string[]): Promise<string[]> {
  return staffAfterChanges(fileStaff, await staffChanges(db, unit));
}

export async function recordStaffChange(
  db: PoolClient,
  c: { unit: string; staff: string; change: StaffChange['change']; by: string; byUserId?: string },
): Promise<void> {
  await db.query('INSERT INTO unit_staff_changes (unit, staff, change, by_user, by_user_id) VALUES ($1, $2, $3, $4, $5)', [
    c.unit,
    c.staff,
    c.change,
    c.by,
    c.byUserId ?? null,
  ]);
}

/** One staff change at a time per unit, across every school year's call list: a change and the re-sharing it makes are one step. */
export async function lockUnitStaff(db: PoolClient, unit: string): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`unit-staff:${unit}`]);
}
