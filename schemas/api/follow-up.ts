import { z } from 'zod';

/**
 * The answers of the follow-up routes (client/api/routes/follow-up-routes.ts): a case's follow-up plan, the caseworker's
 * list of deadlines and the unit leader's list of what is past them. Instants are ISO strings.
 */

export const measureSchema = z.object({ what: z.string(), responsible: z.string(), from: z.string(), to: z.string() });

/** GET /cases/:caseId/plan: the plan in force, as stored. */
export const storedPlanSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  goal: z.string(),
  measures: z.array(measureSchema),
  reviewDates: z.array(z.string()),
  writtenBy: z.string().optional(),
  createdAt: z.string(),
});

const reviewRowSchema = z.object({
  caseId: z.string(),
  /** The youth's name: on the caseworker's list only. */
  name: z.string().optional(),
  unit: z.string(),
  caseworker: z.string().optional(),
  reviewOn: z.string(),
  reviewAt: z.string(),
  state: z.enum(['due', 'overdue']),
});

const replyRowSchema = z.object({
  caseId: z.string(),
  name: z.string().optional(),
  unit: z.string(),
  caseworker: z.string().optional(),
  /** When the reply was passed to the caseworker. */
  forwardedAt: z.string(),
});

/** GET /worklist/:schoolYear and GET /overdue/:schoolYear. */
export const worklistSchema = z.object({
  reviewsDue: z.array(reviewRowSchema),
  repliesOverdue: z.array(replyRowSchema),
  /** The cohort calendar's replyOverdueAfter: `10 working days`, or a duration on a compressed calendar. */
  replyDeadline: z.string(),
});
