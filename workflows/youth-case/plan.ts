import { isCampaignMoment, DEFAULT_REVIEW_OVERDUE_AFTER, type CampaignCalendar } from '../../schemas/calendar';
import type { CaseStage } from '../../schemas/case-stages';
import { instantAfter, instantOf } from '../calendar';

/**
 * A follow-up plan (oppfølgingsplan) as the case workflow holds it: the id of the plan stored in PostgreSQL
 * (follow_up_plans: the goal and the measures, which are the youth's and never travel in a payload) and its review
 * dates. Each review date is the case's own timer: on the day it falls due (REVIEW_DUE) the case is on its
 * caseworker's "due for review" list; a review not registered `reviewOverdueAfter` (the calendar's, 14 days by
 * default) after its date is overdue (REVIEW_OVERDUE), on the unit leader's list. Registering a review (REVIEW)
 * settles the one due, and names the next date or an outcome.
 *
 * Pure and workflow-safe, like the machine it serves (machine.ts, deadlines.ts, refusals.ts and view.ts call it).
 */
export interface PlanState {
  /** The plan in force (follow_up_plans.id); a changed plan is a new row and a new id. */
  planId: string;
  /** The review dates still ahead, earliest first: days (2085-03-01) or, on a compressed calendar, moments. */
  reviews: string[];
  /** The review that has fallen due and is not registered yet. */
  due?: string;
  /** The review due has waited longer than the calendar allows. */
  overdue?: boolean;
}

/** The stages in which a case is followed up by its caseworker and may have a plan whose reviews fall due. */
export const PLAN_STAGES: readonly CaseStage[] = ['underFollowUp', 'caseworkerFollowUp'];

/** At most this many review dates at once: a plan for a school year, not a diary. */
export const REVIEW_DATES_MAX = 12;

/** The review dates in time order, each once. */
export function sortedReviews(dates: readonly string[]): string[] {
  const byMoment = new Map<number, string>();
  for (const d of dates) if (!byMoment.has(instantOf(d))) byMoment.set(instantOf(d), d);
  return [...byMoment.entries()].sort(([a], [b]) => a - b).map(([, d]) => d);
}

/** A plan made or changed: its review dates from now on. A review already due stays due until it is registered. */
export function planMade(before: PlanState | undefined, planId: string, reviewDates: readonly string[]): PlanState {
  return { planId, reviews: sortedReviews(reviewDates), ...(before?.due ? { due: before.due, overdue: before.overdue } : {}) };
}

/**
 * A review registered: it settles the review due, or, registered early, the next one planned (it was held in
 * its place); the next review date it names joins those ahead.
 */
export function reviewRegistered(plan: PlanState, nextReview?: string): PlanState {
  const reviews = plan.due ? [...plan.reviews] : plan.reviews.slice(1);
  return { planId: plan.planId, reviews: sortedReviews(nextReview ? [...reviews, nextReview] : reviews) };
}

/** The earliest planned review has fallen due. */
export function reviewFellDue(plan: PlanState): PlanState {
  if (plan.due || plan.reviews.length === 0) return plan;
  return { planId: plan.planId, reviews: plan.reviews.slice(1), due: plan.reviews[0] };
}

export function reviewWentOverdue(plan: PlanState): PlanState {
  return plan.due ? { ...plan, overdue: true } : plan;
}

export type PlanDeadlineEvent = { type: 'REVIEW_DUE'; review: string } | { type: 'REVIEW_OVERDUE'; review: string };

/** What the plan makes due next where the case stands, if anything: the next review date, or the due review going overdue. */
export function planDeadline(
  stage: CaseStage,
  plan: PlanState | undefined,
  calendar: CampaignCalendar,
): { event: PlanDeadlineEvent; at: number } | undefined {
  if (!plan || !PLAN_STAGES.includes(stage)) return undefined;
  if (plan.due) {
    if (plan.overdue) return undefined;
    return {
      event: { type: 'REVIEW_OVERDUE', review: plan.due },
      at: instantAfter(plan.due, calendar.reviewOverdueAfter ?? DEFAULT_REVIEW_OVERDUE_AFTER),
    };
  }
  const next = plan.reviews[0];
  return next === undefined ? undefined : { event: { type: 'REVIEW_DUE', review: next }, at: instantOf(next) };
}

/** Where the plan's review stands, for the case view and its read model row (absent without a plan, or once the follow-up ended). */
export interface ReviewView {
  /** The review due, or the next one planned. */
  on: string;
  /** Its moment (ISO instant): a day's is its start in Europe/Oslo. */
  at: string;
  state: 'planned' | 'due' | 'overdue';
}

export function reviewViewOf(stage: CaseStage, plan: PlanState | undefined): ReviewView | undefined {
  if (!plan || !PLAN_STAGES.includes(stage)) return undefined;
  const on = plan.due ?? plan.reviews[0];
  if (on === undefined) return undefined;
  return { on, at: new Date(instantOf(on)).toISOString(), state: plan.due ? (plan.overdue ? 'overdue' : 'due') : 'planned' };
}

/** A plan's id (follow_up_plans.id): a UUID, so that nothing but an id can travel in its place. */
const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Why a review date cannot be planned at `now`, or undefined. `field` names it in the refusal. */
export function reviewDateRefusal(date: unknown, now: number, field: string): string | undefined {
  if (typeof date !== 'string' || !isCampaignMoment(date)) return `${field}: must be a date (2085-03-01) or a date and time (2085-03-01T10:00)`;
  if (instantOf(date) <= now) return `${field}: ${date} has passed; a review date must be ahead`;
  return undefined;
}

export interface PlanRequest {
  type: 'PLAN';
  planId: string;
  reviewDates: string[];
}
export interface ReviewRequest {
  type: 'REVIEW';
  nextReview?: string;
  outcome?: string;
  note?: string;
  noteId?: string;
}

/** Why a plan or a review makes no sense for the case as it stands (its stage, status and plan), or undefined. */
export function planRefusal(
  case_: { stage: CaseStage; otStatus: string; plan?: PlanState },
  request: PlanRequest | ReviewRequest,
  now: number,
): string | undefined {
  const followedUp = PLAN_STAGES.includes(case_.stage);
  if (request.type === 'PLAN') {
    if (!followedUp || case_.otStatus !== 'OTOV')
      return `a follow-up plan is for a youth under follow-up (OTOV); the case is ${case_.otStatus} (${case_.stage}): set the outcome OTOV first`;
    if (typeof request.planId !== 'string' || !PLAN_ID.test(request.planId)) return 'planId must be the id of a stored plan';
    if (!Array.isArray(request.reviewDates) || request.reviewDates.length === 0) return 'a plan needs at least one review date';
    if (request.reviewDates.length > REVIEW_DATES_MAX) return `a plan has at most ${REVIEW_DATES_MAX} review dates`;
    for (const [i, d] of request.reviewDates.entries()) {
      const refusal = reviewDateRefusal(d, now, `review date ${i + 1}`);
      if (refusal) return refusal;
    }
    return undefined;
  }
  if (!case_.plan) return 'the case has no follow-up plan: make one first';
  if (!followedUp) return `the follow-up has ended (${case_.otStatus}): a review can no longer be registered`;
  if (!request.note && !request.noteId) return 'say what happened at the review (--note)';
  if (request.nextReview !== undefined) {
    const refusal = reviewDateRefusal(request.nextReview, now, 'the next review');
    if (refusal) return refusal;
  }
  const ends = request.outcome !== undefined && request.outcome !== 'OTOV';
  if (!ends && reviewRegistered(case_.plan, request.nextReview).reviews.length === 0)
    return 'no review date is left in the plan: give the next review date (--next) or an outcome (--outcome)';
  return undefined;
}
