/**
 * Who gets the next youth on a unit's call list: the staff member who holds the fewest cases now (open
 * calls and cases they follow up), the first named in the unit's staff list on a tie. Given one case
 * at a time in the order they come onto the list, the calls stay shared within one of each other.
 */
export function pickStaff(staff: readonly string[], holdings: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  for (const name of staff) {
    if (best === undefined || (holdings.get(name) ?? 0) < (holdings.get(best) ?? 0)) best = name;
  }
  return best;
}

/** A change of who shares a unit's call lists, as recorded (db/unit-staff.ts), oldest first. */
export interface StaffChange {
  staff: string;
  change: 'add' | 'remove';
}

/** Who shares a unit's call lists now: the units file's staff, then each change after it in turn (the latest of a name wins). */
export function staffAfterChanges(fileStaff: readonly string[], changes: readonly StaffChange[]): string[] {
  let staff = [...fileStaff];
  for (const c of changes) {
    staff = staff.filter((name) => name !== c.staff);
    if (c.change === 'add') staff.push(c.staff);
  }
  return staff;
}

/**
 * Who takes each of a departing caller's open calls, in the order given: the remaining staff member holding the fewest
 * at each step (pickStaff), so the calls are shared as new ones are; undefined for every call when nobody remains.
 */
export function shareCalls(calls: number, staff: readonly string[], holdings: ReadonlyMap<string, number>): (string | undefined)[] {
  const held = new Map(holdings);
  return Array.from({ length: calls }, () => {
    const to = pickStaff(staff, held);
    if (to !== undefined) held.set(to, (held.get(to) ?? 0) + 1);
    return to;
  });
}
