import { z } from 'zod';
import { PHONE_CAMPAIGNS } from '../calendar';
import { CASE_FLAGS, CASE_STAGES, REACH, SMS_STATES } from '../case-stages';

/**
 * The answers of the case routes (client/api/routes/case-routes.ts): the case list, the national-id lookup, one case
 * with its journal and the requests it takes now, and the case as it stands after an action. Instants and days are
 * ISO strings. The case itself is the workflow's (workflows/youth-case/view.ts); these schemas describe it as sent.
 */

const stage = z.enum(CASE_STAGES);

/** A status as the case shows it: its OS code until the mass recode, a UDIR code after (schemas/ot-codes.ts). */
const statusCode = z.string();

/** What anyone may see of a case without its person (CaseView of workflows/youth-case/view.ts). */
export const caseViewSchema = z.object({
  caseId: z.string(),
  schoolYear: z.number(),
  unit: z.string(),
  osCode: statusCode,
  otStatus: statusCode,
  stage,
  caseworker: z.string().optional(),
  flags: z.array(z.enum(CASE_FLAGS)),
  sms: z.enum(SMS_STATES),
  /** Times the letter came back (absent: never). */
  letterReturns: z.number().optional(),
  /** The phone campaign whose call list the case is on now (absent: none). */
  phoneCampaign: z.enum(PHONE_CAMPAIGNS).optional(),
  /** The follow-up plan in force (absent: none), and where its next review stands while the youth is followed up. */
  planId: z.string().optional(),
  review: z.object({ on: z.string(), at: z.string(), state: z.enum(['planned', 'due', 'overdue']) }).optional(),
});

/** A case as GET /cases lists it: the view, the person's name, and whether anyone has reached the youth (REACH). */
export const caseRowSchema = caseViewSchema.extend({ name: z.string(), reach: z.enum(REACH).optional() });
export type CaseRow = z.infer<typeof caseRowSchema>;

/** GET /cases: one page of the search. */
export const casePageSchema = z.object({
  page: z.number(),
  pageSize: z.number(),
  /** Another page follows. */
  more: z.boolean(),
  cases: z.array(caseRowSchema),
});
export type CasePage = z.infer<typeof casePageSchema>;

/** POST /cases/lookup: the case of a national id, and its unit. */
export const caseLookupSchema = z.object({ caseId: z.string(), unit: z.string() });
export type CaseLookup = z.infer<typeof caseLookupSchema>;

/** One recorded change of a case (workflows/youth-case/journal.ts), as the read model holds it, its note's text read from case_notes. */
export const journalEntrySchema = z.object({
  at: z.string(),
  /** The event of the case machine. */
  event: z.string(),
  /** Who registered it; absent for the calendar's deadlines. */
  by: z.string().optional(),
  byUserId: z.string().optional(),
  channel: z.string().optional(),
  note: z.string().optional(),
  /** The event's other facts: the code set, the list matched, the date a mailing was sent, where a contact came from. */
  detail: z.record(z.string(), z.string()).optional(),
  from: z.object({ stage, status: statusCode }),
  to: z.object({ stage, status: statusCode }),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/** Where the standard letter stands once the mass recode has happened. */
export const letterStateSchema = z.object({
  sentOn: z.string(),
  batchId: z.string(),
  returns: z.number(),
  resentToSecondAddress: z.boolean(),
  /** Came back and no other address is known. */
  awaitingAddress: z.boolean(),
});

/**
 * The case as its workflow answers it: what each case action answers (200). No journal (GET /cases/:caseId has it):
 * the workflow's answers carry nothing a person wrote.
 */
export const caseStateSchema = caseViewSchema.extend({
  letter: letterStateSchema.optional(),
  smsSentOn: z.string().optional(),
  /** The next deadline the calendar sets for the case (ISO instant), absent once closed. */
  next: z.object({ event: z.string(), at: z.string() }).optional(),
  /** The case's version, sent back as If-Match. */
  version: z.number().optional(),
});
export type CaseState = z.infer<typeof caseStateSchema>;

/** The requests a front end offers on a case, each as the API takes it (plan and review: the follow-up plan's). */
export const CASE_REQUESTS = [
  'outcome',
  'reply',
  'claim',
  'contact',
  'returnedLetter',
  'callNotReached',
  'callWrongNumber',
  'plan',
  'review',
] as const;
export type CaseRequestName = (typeof CASE_REQUESTS)[number];

/** Whether the case would take a request now, and if not, the case's reason (its refusal query's words). */
export const requestAnswerSchema = z.discriminatedUnion('accepted', [
  z.object({ accepted: z.literal(true) }),
  z.object({ accepted: z.literal(false), reason: z.string() }),
]);
export type RequestAnswer = z.infer<typeof requestAnswerSchema>;

export const requestsAcceptedSchema = z.record(z.enum(CASE_REQUESTS), requestAnswerSchema);
export type RequestsAccepted = z.infer<typeof requestsAcceptedSchema>;

/**
 * The case with the person's name and its journal, read from PostgreSQL: what a 409 (someone changed the case
 * meanwhile) carries as `case`, beside the reason.
 */
export const caseWithNameSchema = caseStateSchema.extend({
  name: z.string(),
  journal: z.array(journalEntrySchema),
  /**
   * The same youth's case the school year before, when they were in OT then (found by the person key): its journal is
   * one request away (GET /cases/:caseId of it); `unreached`: nobody reached them that year.
   */
  lastYear: z.object({ caseId: z.string(), schoolYear: z.number(), unreached: z.boolean() }).optional(),
});
export type CaseWithName = z.infer<typeof caseWithNameSchema>;

/** GET /cases/:caseId: the case, the person's name, and what the case would take now from this user. */
export const caseDetailSchema = caseWithNameSchema.extend({ accepts: requestsAcceptedSchema });
export type CaseDetail = z.infer<typeof caseDetailSchema>;
