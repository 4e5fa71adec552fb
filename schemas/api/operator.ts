import { z } from 'zod';
import { CROSSCHECK_LISTS } from '../crosscheck';

/**
 * The answers of the operators' and office staff's mass steps (client/api/routes/operator-routes.ts): the import,
 * letter batches and the letters' overview, the SMS campaign, mailings confirmed, cross-checks. Instants are ISO strings.
 * The files themselves (a batch's PDF and lists, the SMS export's CSV) are not JSON and have no schema here.
 */

// ---- Imports -------------------------------------------------------------------------------------------------

/** POST /imports (202): the import's id and where its progress is read. */
export const importStartedSchema = z.object({ importId: z.string(), status: z.string() });
export type ImportStarted = z.infer<typeof importStartedSchema>;

export const importProgressSchema = z.object({
  phase: z.enum(['staging', 'starting', 'done']),
  toStart: z.number(),
  started: z.number(),
});

/** What an import reports (workflows/contracts/cohort-import.ts). Line numbers and reasons only, never a name. */
export const importSummarySchema = z.object({
  importId: z.string(),
  schoolYear: z.number(),
  fileName: z.string(),
  rows: z.number(),
  created: z.number(),
  existing: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  /** Lines of youth born before the age limit's year: skipped, not rejected. */
  outsideTargetGroup: z.array(z.number()),
  /** Of the accepted youth, in last year's cohort, and never reached then (absent from imports finished before these existed). */
  carriedOver: z.object({ inOtLastYear: z.number(), unreachedLastYear: z.number() }).optional(),
  /** Of the accepted youth, at the age limit (leave this school year), and already past its end when read (absent likewise). */
  ageLimit: z.object({ agesOut: z.number(), agedOutAtImport: z.number() }).optional(),
  /** Rows of people already imported whose fields differ from what is stored: reported, not applied. */
  changed: z.array(z.object({ line: z.number(), fields: z.array(z.string()) })),
  warnings: z.array(z.string()),
  /** How many accepted rows start in each stage of the case machine. */
  stages: z.partialRecord(z.string(), z.number()),
  /** Lines to send back to VIGO: coded Feil, or washed out of the target group. */
  returnToVigo: z.array(z.number()),
  /** Lines the admissions office must find an address for. */
  forAdmissionsOffice: z.array(z.number()),
  /** Strict and some row was rejected: nothing was imported. */
  refused: z.boolean(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

/** GET /imports/:schoolYear/:importId: still running (with its progress), done (with its summary), or failed (with why). */
export const importStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('running'), progress: importProgressSchema.optional() }),
  z.object({ state: z.literal('completed'), summary: importSummarySchema }),
  z.object({ state: z.literal('failed'), reason: z.string() }),
]);
export type ImportStatus = z.infer<typeof importStatusSchema>;

// ---- Letters ---------------------------------------------------------------------------------------------------

/** POST /letters/batches: the batch printed, and its files as download paths (/letters/:schoolYear/:unit/files/:fileName). */
export const printedBatchSchema = z.object({
  batchId: z.string(),
  number: z.number(),
  letterDate: z.string(),
  letters: z.number(),
  standard: z.number(),
  resent: z.number(),
  guardianCopies: z.number(),
  held: z.number(),
  pages: z.number(),
  files: z.array(z.string()),
});
export type PrintedBatchAnswer = z.infer<typeof printedBatchSchema>;

/** Where one unit's letters of one OS code stand: what the next batch prints, what waits for the office's confirmation. */
export const letterCodeSummarySchema = z.object({
  osCode: z.string(),
  /** Cases due the standard letter that no batch has printed yet (a letter the next batch holds back counts too). */
  due: z.number(),
  /** Letters that came back and wait to go again to an address not yet tried (or to the admissions office). */
  returned: z.number(),
  /** Cases whose printed standard letter is in a batch not yet confirmed as sent. */
  awaitingConfirmation: z.number(),
});
export type LetterCodeSummary = z.infer<typeof letterCodeSummarySchema>;

/** A printed batch of a unit. */
export const letterBatchRowSchema = z.object({
  batchId: z.string(),
  unit: z.string(),
  osCode: z.string(),
  number: z.number(),
  letterDate: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  /** Letters printed: standard letters to the youth, letters sent again after a return, guardians' copies. */
  standard: z.number(),
  resent: z.number(),
  guardianCopies: z.number(),
  held: z.number(),
  mailingId: z.string().optional(),
});
export type LetterBatchRow = z.infer<typeof letterBatchRowSchema>;

/** A printed batch with the files it was printed as (download paths). */
export const letterBatchSchema = letterBatchRowSchema.extend({ files: z.array(z.string()) });
export type LetterBatch = z.infer<typeof letterBatchSchema>;

/** A confirmed mailing and how far telling its cases has come: each case told is recoded to OTUK by its workflow. */
export const letterMailingRowSchema = z.object({
  mailingId: z.string(),
  unit: z.string(),
  osCode: z.string(),
  sentOn: z.string(),
  confirmedBy: z.string(),
  confirmedAt: z.string(),
  cases: z.number(),
  signalled: z.number(),
  /** Cases no longer waiting for the letter: their workflow has taken the mailing. */
  recoded: z.number(),
});
export type LetterMailingRow = z.infer<typeof letterMailingRowSchema>;

export const unitLettersSchema = z.object({
  unit: z.string(),
  unitName: z.string(),
  /** Every OS code, zeros included: the office prints and confirms per code. */
  codes: z.array(letterCodeSummarySchema),
  /** Newest first. */
  batches: z.array(letterBatchSchema),
  mailings: z.array(letterMailingRowSchema),
  /** The admissions office's list as the last batch wrote it (download paths); the live list is its own route. */
  admissionsOfficeFiles: z.array(z.string()),
});
export type UnitLetters = z.infer<typeof unitLettersSchema>;

/** GET /letters/:schoolYear: counts only, no name, no case id. */
export const letterOverviewSchema = z.object({ schoolYear: z.number(), units: z.array(unitLettersSchema) });
export type LetterOverview = z.infer<typeof letterOverviewSchema>;

/** A letter held back (no name or no whole address) that no batch has printed since. */
export const heldLetterSchema = z.object({
  caseId: z.string(),
  name: z.string(),
  /** youth, guardian1, guardian2. */
  recipient: z.string(),
  reason: z.string(),
  osCode: z.string(),
  /** The batch that last held it back. */
  batchNumber: z.number(),
});
export type HeldLetter = z.infer<typeof heldLetterSchema>;

/** GET /letters/:schoolYear/:unit/held. */
export const heldLettersSchema = z.object({ held: z.array(heldLetterSchema) });
export type HeldLetters = z.infer<typeof heldLettersSchema>;

/** A postal address as a letter was sent to it. */
export const letterAddressSchema = z.object({ street: z.string(), postcode: z.string(), city: z.string() });

/** A youth the admissions office must find an address for, by name and birth date (never the national id). */
export const admissionsEntrySchema = z.object({
  caseId: z.string(),
  name: z.string(),
  birthDate: z.string().optional(),
  osCode: z.string(),
  reason: z.string(),
  lastAddress: letterAddressSchema.optional(),
});
export type AdmissionsEntry = z.infer<typeof admissionsEntrySchema>;

/** GET /letters/:schoolYear/:unit/admissions-office. */
export const admissionsOfficeSchema = z.object({ entries: z.array(admissionsEntrySchema) });
export type AdmissionsOfficeList = z.infer<typeof admissionsOfficeSchema>;

// ---- Mailings and the SMS campaign -------------------------------------------------------------------------------

/** POST /letters/confirm and POST /sms/confirm: the mailing, and how many of its cases were told. */
export const mailingResultSchema = z.object({
  mailingId: z.string(),
  cases: z.number(),
  /** Letters sent again after a return that the mailing counts as sent (their cases are OTUK already: no recode). */
  resent: z.number().optional(),
  /** When the mailing was first confirmed; earlier than this answer when it is confirmed again. */
  confirmedAt: z.string(),
  firstConfirmation: z.boolean(),
  signalled: z.number(),
  /** Cases whose workflow has already completed (the school year ended): nothing to tell them. */
  closed: z.number(),
});
export type MailingResultAnswer = z.infer<typeof mailingResultSchema>;

/** POST /sms/campaign: what the run did, and the still-unknown youth with no mobile, by name. */
export const smsCampaignAnswerSchema = z.object({
  /** Accepted by the HTTP gateway. */
  sent: z.number(),
  /** Kept in the outbox for export. */
  queued: z.number(),
  /** Refused by the gateway for good. */
  failed: z.number(),
  /** Handed over by an earlier run: nothing sent again. */
  already: z.number(),
  noMobile: z.number(),
  /** Cases whose own "SMS due" had not come through when the campaign gave up waiting for them. */
  lagging: z.number(),
  noMobileCases: z.array(z.object({ caseId: z.string(), name: z.string() })),
});
export type SmsCampaignAnswer = z.infer<typeof smsCampaignAnswerSchema>;

// ---- Cross-checks ----------------------------------------------------------------------------------------------

/** A case an admissions-office list matched, by the list's line. */
export const crosscheckMatchSchema = z.object({
  line: z.number(),
  caseId: z.string(),
  name: z.string(),
  unit: z.string(),
  stage: z.string(),
  otStatus: z.string(),
});
export type CrosscheckMatchView = z.infer<typeof crosscheckMatchSchema>;

/** POST /crosschecks. */
export const crosscheckReportSchema = z.object({
  list: z.enum(CROSSCHECK_LISTS),
  /** The code the list's matches are recoded to. */
  status: z.string(),
  entries: z.number(),
  /** Matched and recoded to the list's code. */
  recoded: z.array(crosscheckMatchSchema),
  /** Matched, but already settled: left as they are. */
  unchanged: z.array(crosscheckMatchSchema),
  /** Lines whose youth is not in this school year's cohort. */
  notInCohort: z.array(z.number()),
});
export type CrosscheckReportView = z.infer<typeof crosscheckReportSchema>;
