import { hasValidControlDigits } from '../../schemas/national-id';

/** A case id (24 hex characters, either case): random hex has runs of digits that are no one's national id. */
const CASE_ID = /\b[0-9a-f]{24}\b/gi;

/**
 * The national id numbers in a text: eleven digits that are not part of a longer number or of a decimal
 * fraction (an SVG's coordinates), nor of a case id, and whose control digits are right. A bare /\d{11}/ also
 * matched a case id that happened to hold eleven digits in a row, now and then (CI saw it).
 */
export function nationalIdsIn(text: string): string[] {
  const bare = text.replace(CASE_ID, '<case>');
  return [...bare.matchAll(/(?<![\d.])\d{11}(?!\d)/g)].map((m) => m[0]).filter(hasValidControlDigits);
}
