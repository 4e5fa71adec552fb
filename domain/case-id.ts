import { createHmac } from 'node:crypto';

/**
 * A case id is a keyed hash of the national id and the school year: stable across re-imports,
 * so workflow starts are idempotent, and it reveals nothing without the key.
 */
export function caseIdOf(nationalId: string, schoolYear: number, key: string): string {
  return createHmac('sha256', key).update(`${schoolYear}:${nationalId}`).digest('hex').slice(0, 24);
}
