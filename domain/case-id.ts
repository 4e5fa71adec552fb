import { createHmac } from 'node:crypto';

/**
 * A case id is a keyed hash of the national id and the school year: stable across re-imports,
 * so workflow starts are idempotent, and it reveals nothing without the key.
 */
export function caseIdOf(nationalId: string, schoolYear: number, key: string): string {
  return createHmac('sha256', key).update(`${schoolYear}:${nationalId}`).digest('hex').slice(0, 24);
}

/**
 * The person across school years: a keyed hash of the national id alone, under the case-id key (the same key, kept
 * and checked the same way: its fingerprint). The label keeps it apart from every case id, which hashes the school
 * year with the id. Stored with the person (persons.person_key), so next year's import finds last year's case; like a
 * case id it reveals nothing without the key.
 */
export function personKeyOf(nationalId: string, key: string): string {
  return createHmac('sha256', key).update(`person:${nationalId}`).digest('hex').slice(0, 24);
}

/**
 * What the database keeps to know the key by (table case_id_key): an HMAC of a fixed label with the key, 16 hex characters.
 * It tells two keys apart and gives nothing to guess the key from (the label is no national id, so it helps no one make a
 * case id either).
 */
export function caseIdKeyFingerprint(key: string): string {
  return createHmac('sha256', key).update('ot-campaign case-id key fingerprint v1').digest('hex').slice(0, 16);
}

/** The one line every process says when its key is not the one the cases were made with. */
export function caseIdKeyMismatch(held: string, stored: string): string {
  return (
    `this case-id key (fingerprint ${held}) is not the one the cases were made with (fingerprint ${stored}): ` +
    'set OT_CASE_ID_KEY (or data/case-id.key) to the key of the first import; see the README, "The case-id key"'
  );
}

/** A process whose key does not fit the database's cases. */
export class CaseIdKeyError extends Error {}
