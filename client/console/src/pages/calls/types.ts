/** The call list's query keys and polling; the answers' types are in schemas/api/calls.ts. */

export const unitsKey = ['units'] as const;
export const callsKey = (schoolYear: number, unit: string, staff?: string) => ['calls', schoolYear, unit, staff ?? ''] as const;

/** How often the list asks again: calls others register show up within this. */
export const POLL_MS = 4000;
