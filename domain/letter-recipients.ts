import type { LetterLanguage } from '../schemas/units';
import type { Guardian, PostalAddress } from '../schemas/vigo-row';

export type LetterRecipient = 'youth' | 'guardian1' | 'guardian2';
export type LetterKind = 'youth' | 'youthAndGuardians' | 'guardianCopy';

/** What a print batch reads of a person and their case. */
export interface PersonForLetter {
  caseId: string;
  firstName: string;
  lastName: string;
  address?: PostalAddress | null;
  address2?: PostalAddress | null;
  guardians: Guardian[];
  under18: boolean;
}

export interface PlannedLetter {
  caseId: string;
  /** 0 for the standard letter; n for the letter sent again after the n-th return. */
  round: number;
  recipient: LetterRecipient;
  kind: LetterKind;
  addressee: string[];
  address: PostalAddress;
  youth: { firstName: string; lastName: string };
}

export interface HeldLetter {
  caseId: string;
  recipient: LetterRecipient;
  reason: string;
}

const AND_GUARDIANS: Record<LetterLanguage, string> = { nn: 'og føresette', nb: 'og foresatte' };

/** The seed's quality check: a letter carries a name and a whole address, or it is not printed. */
export function addressProblem(address: PostalAddress | null | undefined): string | undefined {
  if (!address) return 'no address';
  if (!address.street?.trim()) return 'the address has no street';
  if (!/^\d{4}$/.test(address.postcode ?? '')) return 'the postnummer is not 4 digits';
  if (!address.city?.trim()) return 'the address has no poststad';
  return undefined;
}

/** Two ways of writing the same address count as one: a guardian there needs no copy, a letter returned from it does not go there again. */
export function sameAddress(a: PostalAddress, b: PostalAddress): boolean {
  const norm = (s: string) =>
    s
      .toLocaleLowerCase('nb')
      .replace(/[\s.,]+/g, ' ')
      .trim();
  return norm(a.street) === norm(b.street) && a.postcode === b.postcode && norm(a.city) === norm(b.city);
}

/**
 * The standard letter of one youth: to the youth, and under 18 also to the guardians, with a copy of
 * its own for each guardian who lives at another address.
 */
export function standardLetters(person: PersonForLetter, language: LetterLanguage): { letters: PlannedLetter[]; held: HeldLetter[] } {
  const youth = { firstName: person.firstName.trim(), lastName: person.lastName.trim() };
  const name = `${youth.firstName} ${youth.lastName}`.trim();
  const problem = !youth.firstName || !youth.lastName ? 'no full name' : addressProblem(person.address);
  if (problem) return { letters: [], held: [{ caseId: person.caseId, recipient: 'youth', reason: problem }] };
  const home = person.address!;
  const letters: PlannedLetter[] = [
    {
      caseId: person.caseId,
      round: 0,
      recipient: 'youth',
      kind: person.under18 ? 'youthAndGuardians' : 'youth',
      addressee: person.under18 ? [name, AND_GUARDIANS[language]] : [name],
      address: home,
      youth,
    },
  ];
  const held: HeldLetter[] = [];
  if (person.under18) {
    person.guardians.slice(0, 2).forEach((guardian, i) => {
      const recipient = `guardian${i + 1}` as LetterRecipient;
      // A guardian without an address of their own is taken to live with the youth: the letter reaches them there.
      if (!guardian.address || sameAddress(guardian.address, home)) return;
      const trouble = !guardian.name.trim() ? 'the guardian has no name' : addressProblem(guardian.address);
      if (trouble) held.push({ caseId: person.caseId, recipient, reason: trouble });
      else
        letters.push({
          caseId: person.caseId,
          round: 0,
          recipient,
          kind: 'guardianCopy',
          addressee: [guardian.name.trim()],
          address: guardian.address,
          youth,
        });
    });
  }
  return { letters, held };
}

/**
 * A letter that came back goes again to an address it has not been to: the second address from VIGO,
 * or one registered since. None left: undefined, and the case goes on the admissions office's list.
 */
export function resentLetter(
  person: PersonForLetter,
  round: number,
  triedAddresses: PostalAddress[],
  language: LetterLanguage,
): PlannedLetter | undefined {
  const next = [person.address2, person.address].find(
    (a): a is PostalAddress => !addressProblem(a) && !triedAddresses.some((tried) => sameAddress(tried, a!)),
  );
  if (!next) return undefined;
  const [standard] = standardLetters({ ...person, address: next, guardians: [] }, language).letters;
  return standard && { ...standard, round };
}

/** Print order: by postnummer, as the post office sorts, then by name so a batch reads the same each time. */
export function printOrder(a: PlannedLetter, b: PlannedLetter): number {
  return (
    a.address.postcode.localeCompare(b.address.postcode) ||
    a.addressee[0].localeCompare(b.addressee[0], 'nb') ||
    a.caseId.localeCompare(b.caseId) ||
    a.recipient.localeCompare(b.recipient)
  );
}
