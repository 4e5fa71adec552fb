import { z } from 'zod';
import { PHONE_CAMPAIGNS } from '../calendar';

/**
 * The answers of the phone campaigns' and the SMS inbox's routes (client/api/routes/campaign-routes.ts): the units
 * with their staff, a unit's call list, the SMS replies that matched no case. Instants are ISO strings.
 */

/** A unit this user sees, with the staff who share its call lists. */
export const unitInfoSchema = z.object({ code: z.string(), name: z.string(), staff: z.array(z.string()) });
export type UnitInfo = z.infer<typeof unitInfoSchema>;

/** GET /units. */
export const unitsAnswerSchema = z.object({ units: z.array(unitInfoSchema) });
export type UnitsAnswer = z.infer<typeof unitsAnswerSchema>;

export const campaignSchema = z.enum(PHONE_CAMPAIGNS);
export type Campaign = z.infer<typeof campaignSchema>;

/** One youth on a call list (db/call-list.ts). */
export const callListRowSchema = z.object({
  caseId: z.string(),
  campaign: campaignSchema,
  staff: z.string().optional(),
  name: z.string(),
  mobile: z.string().optional(),
  /** A call found the mobile wrong: it waits for a new one. */
  mobileWrong: z.boolean(),
  otherNumbers: z.array(z.string()),
  otStatus: z.string(),
  stage: z.string(),
  /** The last call to the youth (ISO instant) and what came of it: notReached, wrongNumber, reached. */
  lastAttempt: z.object({ at: z.string(), result: z.string(), by: z.string().optional() }).optional(),
  attempts: z.number(),
  /** The case's notes, newest first, each with its day and who wrote it. */
  notes: z.array(z.string()),
  /** Off the list: when, and the status and stage it left with. */
  left: z.object({ at: z.string(), as: z.string() }).optional(),
  /** The last time the call moved to its caller: from whom, when, by whom, and why (their caller left the unit, or reassigned). */
  moved: z.object({ from: z.string().optional(), at: z.string(), by: z.string(), reason: z.enum(['staff-removed', 'reassigned']) }).optional(),
});
export type CallListRow = z.infer<typeof callListRowSchema>;

/** GET /calls: the campaign whose list the unit works now (absent: none yet), and its rows. */
export const callListSchema = z.object({ campaign: campaignSchema.optional(), rows: z.array(callListRowSchema) });
export type CallList = z.infer<typeof callListSchema>;

/** A call moved to another staff member (POST /calls/reassign, a staff member removed from a unit). */
export const callMoveSchema = z.object({
  schoolYear: z.number(),
  campaign: campaignSchema,
  caseId: z.string(),
  from: z.string().optional(),
  /** Absent: nobody is left to share the unit's calls, so the call is unshared. */
  to: z.string().optional(),
});
export type CallMove = z.infer<typeof callMoveSchema>;

/** POST /calls/reassign: the calls moved. */
export const callMovesSchema = z.object({ moved: z.array(callMoveSchema) });

/** POST /units/:unit/staff and /units/:unit/staff/remove: who shares the unit's calls now, and the calls re-shared. */
export const staffChangeAnswerSchema = z.object({ unit: z.string(), staff: z.array(z.string()), moved: z.array(callMoveSchema) });
export type StaffChangeAnswer = z.infer<typeof staffChangeAnswerSchema>;

export const INBOX_STATUSES = ['registered', 'unmatched', 'assigned'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/** An inbound SMS as the inbox keeps it (db/sms-inbox.ts): what POST /sms/inbox/:inboundId/assign answers. */
export const inboxEntrySchema = z.object({
  inboundId: z.string(),
  receivedAt: z.string(),
  mobile: z.string(),
  text: z.string(),
  caseId: z.string().optional(),
  status: z.enum(INBOX_STATUSES),
  /** Why it matched no case. */
  reason: z.string().optional(),
  /** Who gave it to its case. */
  handledBy: z.string().optional(),
});
export type InboxEntry = z.infer<typeof inboxEntrySchema>;

/** GET /sms/inbox. */
export const inboxSchema = z.object({ entries: z.array(inboxEntrySchema) });
export type Inbox = z.infer<typeof inboxSchema>;
