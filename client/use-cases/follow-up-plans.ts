import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { deleteUnrecordedPlan, planInForce, storePlan, type StoredPlan } from '../../db/follow-up-plans';
import { personOfCase } from '../../db/persons';
import { repliesOverdue, reviewsIn, type DeadlineFilter, type ReplyRow, type ReviewRow } from '../../db/staff-deadlines';
import { planProblem } from '../../domain/follow-up-plan';
import { replyOverdueCutoff, replyOverdueSetting } from '../../domain/staff-deadlines';
import type { PlanContent } from '../../schemas/follow-up-plan';
import type { OtStatusCode } from '../../schemas/ot-codes';
import { endInstantOf } from '../../workflows/calendar';
import type { CaseState } from '../../workflows/youth-case/view';
import { CaseActionError, registerAction } from './case-actions';

export type { ReplyRow, ReviewRow, StoredPlan };

/** Who makes a change: the signed-in user, and the case version they saw (absent: whatever it is now). */
interface Who {
  by: string;
  byUserId?: string;
  ifVersion?: number;
}

/**
 * Makes or changes a case's follow-up plan: checked (domain/follow-up-plan.ts), stored in PostgreSQL, and the case
 * told its id and review dates by the PLAN Update, never its text. A plan the case refuses is deleted again.
 */
export async function registerPlan(pool: Pool, client: Client, caseId: string, plan: PlanContent, who: Who): Promise<CaseState> {
  const person = await personOfCase(pool, caseId);
  if (!person) throw new CaseActionError(`no case ${caseId}`, 'notFound');
  const { calendar } = await readCohortCalendar(pool, person.schoolYear);
  const problem = planProblem(plan, Date.now(), endInstantOf(calendar.schoolYearEnd));
  if (problem) throw new CaseActionError(problem, 'refused');
  const planId = randomUUID();
  await storePlan(pool, { id: planId, caseId, goal: plan.goal, measures: plan.measures, reviewDates: plan.reviewDates, writtenBy: who.byUserId });
  try {
    return await registerAction(pool, client, caseId, { type: 'PLAN', planId, reviewDates: plan.reviewDates, ...who });
  } catch (err) {
    if (err instanceof CaseActionError) await deleteUnrecordedPlan(pool, planId);
    throw err;
  }
}

/** A review of the plan: what happened (the note, stored like every note), and the next review date or an outcome. */
export async function registerReview(
  pool: Pool,
  client: Client,
  caseId: string,
  review: { note?: string; nextReview?: string; outcome?: OtStatusCode },
  who: Who,
): Promise<CaseState> {
  if (!review.note?.trim()) throw new CaseActionError('say what happened at the review (--note)', 'refused');
  return registerAction(pool, client, caseId, { type: 'REVIEW', nextReview: review.nextReview, outcome: review.outcome, ...who, note: review.note });
}

/** The plan in force on a case, as stored: its goal, measures and review dates. */
export async function showPlan(pool: Pool, caseId: string): Promise<StoredPlan | undefined> {
  return planInForce(pool, caseId);
}

export interface Worklist {
  /** The plans' reviews that have fallen due (overdue ones too), the longest waiting first. */
  reviewsDue: ReviewRow[];
  /** Replies forwarded to the caseworker that wait for an outcome past the calendar's deadline. */
  repliesOverdue: ReplyRow[];
  /** The deadline of a reply (the cohort calendar's replyOverdueAfter). */
  replyDeadline: string;
}

async function replyCutoff(pool: Pool, schoolYear: number, now: number): Promise<{ cutoff: number; setting: string }> {
  const setting = replyOverdueSetting((await readCohortCalendar(pool, schoolYear)).calendar);
  return { cutoff: replyOverdueCutoff(now, setting), setting };
}

/** A caseworker's list (their own with `caseworker`, or a unit's): what is due for review and which replies are overdue, by name. */
export async function caseworkerWorklist(pool: Pool, filter: Omit<DeadlineFilter, 'names'>, now = Date.now()): Promise<Worklist> {
  const { cutoff, setting } = await replyCutoff(pool, filter.schoolYear, now);
  const f = { ...filter, names: true };
  return { reviewsDue: await reviewsIn(pool, f, ['due', 'overdue']), repliesOverdue: await repliesOverdue(pool, f, cutoff), replyDeadline: setting };
}

/**
 * The unit leader's list: reviews overdue and replies overdue, per caseworker, without the youth's names (a leader
 * steers the work and reads no case; the case id leads a caseworker to it).
 */
export async function leaderOverdueList(pool: Pool, filter: Omit<DeadlineFilter, 'names'>, now = Date.now()): Promise<Worklist> {
  const { cutoff, setting } = await replyCutoff(pool, filter.schoolYear, now);
  const f = { ...filter, names: false };
  return { reviewsDue: await reviewsIn(pool, f, ['overdue']), repliesOverdue: await repliesOverdue(pool, f, cutoff), replyDeadline: setting };
}
