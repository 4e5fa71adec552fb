import { z } from 'zod';

/**
 * The access export (innsyn, GDPR Art. 15): everything the system holds about one person, as `ot person export`
 * writes it to a JSON file and POST /persons/export answers it. Versioned: a reader checks `format` and
 * `schemaVersion`; a change that renames or removes a field, or changes its meaning, takes a new version
 * (adding a field does not). Instants are ISO strings; fields the system stores as JSON (addresses, guardians,
 * a journal entry's detail, a case's first input) are given as stored.
 */
export const PERSON_EXPORT_FORMAT = 'ot-innsyn';
export const PERSON_EXPORT_VERSION = 1;

/** A value PostgreSQL keeps as JSON, given as it is stored. */
const stored = z.unknown();
const instant = z.string();

/** The persons row of one school year, as stored (each cohort keeps its own). */
export const exportedPersonSchema = z.object({
  nationalId: z.string(),
  idKind: z.string(),
  birthDate: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  address: stored.nullable(),
  partialAddress: stored.nullable(),
  address2: stored.nullable(),
  mobile: z.string().nullable(),
  mobileWrong: z.boolean(),
  otherPhones: z.array(z.string()),
  email: z.string().nullable(),
  guardians: stored,
  storedAt: instant,
});

/** The case as the read model holds it now. */
export const exportedCaseStateSchema = z.object({
  unit: z.string(),
  osCode: z.string(),
  otStatus: z.string(),
  stage: z.string(),
  caseworker: z.string().nullable(),
  flags: z.array(z.string()),
  sms: z.string(),
  letterReturns: z.number(),
  phoneCampaign: z.string().nullable(),
  updatedAt: instant,
});

export const exportedJournalEntrySchema = z.object({
  seq: z.number(),
  at: instant,
  event: z.string(),
  by: z.string().nullable(),
  byUserId: z.string().nullable(),
  channel: z.string().nullable(),
  note: z.string().nullable(),
  detail: stored.nullable(),
  from: z.object({ stage: z.string(), status: z.string() }),
  to: z.object({ stage: z.string(), status: z.string() }),
});

/** One change of the case's code, read from the journal. */
export const exportedCodeChangeSchema = z.object({ at: instant, event: z.string(), from: z.string(), to: z.string() });

export const exportedImportSchema = z.object({
  importId: z.string(),
  fileName: z.string().nullable(),
  importedAt: instant.nullable(),
  line: z.number(),
  newPerson: z.boolean(),
  caseInput: stored,
});

export const exportedLetterSchema = z.object({
  round: z.number(),
  recipient: z.string(),
  addressee: z.string(),
  address: stored,
  batch: z.number(),
  unit: z.string(),
  osCode: z.string(),
  letterDate: z.string(),
  printedBy: z.string(),
  printedAt: instant,
  sentOn: z.string().nullable(),
});

export const exportedHeldLetterSchema = z.object({
  recipient: z.string(),
  reason: z.string(),
  batch: z.number(),
  unit: z.string(),
  osCode: z.string(),
  letterDate: z.string(),
  heldAt: instant,
});

export const exportedReturnedLetterSchema = z.object({
  round: z.number(),
  registeredBy: z.string().nullable(),
  registeredAt: instant.nullable(),
});

export const exportedMailingSchema = z.object({
  kind: z.string(),
  unit: z.string(),
  osCode: z.string(),
  sentOn: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: instant,
  told: z.boolean(),
});

export const exportedSmsSentSchema = z.object({
  messageKey: z.string(),
  step: z.string(),
  mobile: z.string(),
  body: z.string(),
  provider: z.string(),
  status: z.string(),
  attempts: z.number(),
  createdAt: instant,
  sentAt: instant.nullable(),
  statusAt: instant,
});

export const exportedSmsReceivedSchema = z.object({
  inboundId: z.string(),
  receivedAt: instant,
  mobile: z.string(),
  body: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  handledBy: z.string().nullable(),
  handledAt: instant.nullable(),
});

export const exportedCallListEntrySchema = z.object({
  campaign: z.string(),
  unit: z.string(),
  staff: z.string().nullable(),
  assignedAt: instant,
  leftAt: instant.nullable(),
  leftAs: z.string().nullable(),
});

export const exportedReportSchema = z.object({ report: z.string(), asOf: instant, unit: z.string(), status: z.string() });

/** A follow-up plan as agreed, each change its own (the journal's PLAN entries name them by id). */
export const exportedPlanSchema = z.object({
  planId: z.string(),
  goal: z.string(),
  measures: z.array(z.object({ what: z.string(), responsible: z.string(), from: z.string(), to: z.string() })),
  reviewDates: z.array(z.string()),
  writtenBy: z.string().nullable(),
  madeAt: instant,
});

export const exportedCaseSchema = z.object({
  caseId: z.string(),
  schoolYear: z.number(),
  person: exportedPersonSchema,
  /** Null for a case whose workflow has not projected it yet. */
  state: exportedCaseStateSchema.nullable(),
  codeHistory: z.array(exportedCodeChangeSchema),
  journal: z.array(exportedJournalEntrySchema),
  imports: z.array(exportedImportSchema),
  letters: z.object({
    printed: z.array(exportedLetterSchema),
    held: z.array(exportedHeldLetterSchema),
    returned: z.array(exportedReturnedLetterSchema),
    mailings: z.array(exportedMailingSchema),
  }),
  sms: z.object({ sent: z.array(exportedSmsSentSchema), received: z.array(exportedSmsReceivedSchema) }),
  callList: z.array(exportedCallListEntrySchema),
  reports: z.array(exportedReportSchema),
  plans: z.array(exportedPlanSchema),
});

/** Who read or changed the person's data: only the person's own case ids of each audit row. */
export const exportedAuditSchema = z.object({
  at: instant,
  /** Null when the account is unknown (the first operator, made before any account existed). */
  user: z.object({ displayName: z.string(), role: z.string() }).nullable(),
  kind: z.string(),
  action: z.string(),
  endpoint: z.string(),
  list: z.string().nullable(),
  caseIds: z.array(z.string()),
});

export const personExportSchema = z.object({
  format: z.literal(PERSON_EXPORT_FORMAT),
  schemaVersion: z.literal(PERSON_EXPORT_VERSION),
  /** A random id, in the file names and the export's audit row. */
  exportId: z.string(),
  exportedAt: instant,
  exportedBy: z.object({ displayName: z.string(), role: z.string() }),
  /** Who the export is about, from their latest school year. */
  subject: z.object({ nationalId: z.string(), firstName: z.string(), lastName: z.string(), birthDate: z.string().nullable() }),
  /** Oldest school year first. */
  cases: z.array(exportedCaseSchema),
  /** Oldest first. */
  audit: z.array(exportedAuditSchema),
});
export type PersonExport = z.infer<typeof personExportSchema>;
export type ExportedCase = z.infer<typeof exportedCaseSchema>;
export type ExportedAudit = z.infer<typeof exportedAuditSchema>;
