/**
 * The longest text a person may send in each kind of field: the one home of these numbers, read by the
 * request schemas (the CLI and the API) and by the case workflow's Update validators (which a direct
 * Temporal client reaches without either).
 *
 * The limits they keep us under are Temporal's defaults, in bytes of the JSON-encoded value: 2 KiB for one
 * search attribute value (frontend.searchAttributesSizeOfValueLimit) and 40 KiB for all of them, a memo
 * warned about above 2 KiB (limit.memoSize.warn), 512 KiB for one payload warned about and 2 MiB refused
 * (limit.blobSize.warn, limit.blobSize.error). Limits count characters (UTF-16 code units, what `length` and
 * zod count), and JSON may take up to 6 bytes for one (a control character written \u0000), so each limit
 * times 6 stays below the Temporal limit its field meets.
 */

/**
 * A person's name: who registers a change (`by`), the caseworker a case is claimed for or a reply passed to
 * (`caseworker`, `forwardTo`), a unit's staff. The caseworker becomes the Caseworker search attribute, a
 * Keyword: 200 × 6 + 2 quotes = 1,202 bytes, below its 2,048, and leaves room in the 2 KiB memo beside the
 * case's other facts. No real name comes near 200 characters.
 */
export const NAME_MAX = 200;

/**
 * A note in a case's journal. Notes live in PostgreSQL and the case carries their ids, but a note may still come
 * as text (a direct Temporal client; cases recorded before), and then travels in the case's payloads: one note
 * must be a small share of the 512 KiB warning: 2,000 × 6 = 12 KB at worst, about 2–4 KB as people write. A
 * note is a line or a paragraph for the caseworker, not a report.
 */
export const NOTE_MAX = 2000;

/** One line of a postal address (street, city), as a person or the VIGO transfer gives it: it goes to PostgreSQL and the letter only. */
export const ADDRESS_LINE_MAX = 200;

/** An e-mail address: 254 is the longest a mail server takes (RFC 5321's path, less its brackets). */
export const EMAIL_MAX = 254;

/** A mobile or phone number as written, spaces and +47 included ("+47 912 34 567" is 14). */
export const PHONE_MAX = 32;

/**
 * An identifier someone else makes that we keep and pass on, such as the SMS gateway's message id: it goes
 * into an Update id (sms-reply-<id>, Temporal allows 1,000 characters) and into a note.
 */
export const IDENTIFIER_MAX = 200;

/** A value of the campaign calendar: an ISO date, date-time or duration ("2026-09-10T08:00:00.000+02:00" is 29). */
export const CALENDAR_VALUE_MAX = 40;

/** What a value over its limit is told, where the field is named before it (a calendar key). */
export function atMost(max: number): string {
  return `at most ${max} characters`;
}

/** The refusal of a value over its limit, naming the field: `note: at most 2000 characters`. */
export function tooLong(field: string, max: number): string {
  return `${field}: ${atMost(max)}`;
}
