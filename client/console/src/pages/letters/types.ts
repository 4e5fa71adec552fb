/** The answers of the letter routes (client/api/routes/operator-routes.ts), as the page reads them. */

export interface LetterCodeSummary {
  osCode: string;
  due: number;
  returned: number;
  awaitingConfirmation: number;
}

export interface LetterBatch {
  batchId: string;
  unit: string;
  osCode: string;
  number: number;
  letterDate: string;
  createdBy: string;
  createdAt: string;
  standard: number;
  resent: number;
  guardianCopies: number;
  held: number;
  mailingId?: string;
  files: string[];
}

export interface LetterMailing {
  mailingId: string;
  unit: string;
  osCode: string;
  sentOn: string;
  confirmedBy: string;
  confirmedAt: string;
  cases: number;
  signalled: number;
  recoded: number;
}

export interface UnitLetters {
  unit: string;
  unitName: string;
  codes: LetterCodeSummary[];
  batches: LetterBatch[];
  mailings: LetterMailing[];
  admissionsOfficeFiles: string[];
}

export interface LettersAnswer {
  schoolYear: number;
  units: UnitLetters[];
}

/** POST /letters/batches. */
export interface PrintedBatch {
  batchId: string;
  number: number;
  letterDate: string;
  letters: number;
  standard: number;
  resent: number;
  guardianCopies: number;
  held: number;
  pages: number;
  files: string[];
}

/** POST /letters/confirm. */
export interface MailingResult {
  mailingId: string;
  cases: number;
  confirmedAt: string;
  firstConfirmation: boolean;
  signalled: number;
  closed: number;
}

export interface HeldLetter {
  caseId: string;
  name: string;
  recipient: string;
  reason: string;
  osCode: string;
  batchNumber: number;
}

export interface PostalAddress {
  street: string;
  postcode: string;
  city: string;
}

export interface AdmissionsEntry {
  caseId: string;
  name: string;
  birthDate?: string;
  osCode: string;
  reason: string;
  lastAddress?: PostalAddress;
}

/** A row of GET /cases. */
export interface CaseRow {
  caseId: string;
  unit: string;
  osCode: string;
  otStatus: string;
  stage: string;
  name: string;
}
