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
