import { z } from 'zod';
import { NOTE_MAX } from './limits';

/** Who carries out a measure of a follow-up plan: OT itself, NAV, a school, a training office (opplæringskontor). */
export const MEASURE_RESPONSIBLE = ['OT', 'NAV', 'school', 'trainingOffice'] as const;
export type MeasureResponsible = (typeof MEASURE_RESPONSIBLE)[number];

/** The longest goal and the longest measure text: a line or a paragraph each, like a note. */
export const PLAN_GOAL_MAX = NOTE_MAX;
export const MEASURE_TEXT_MAX = 500;
/** At most this many measures in one plan. */
export const MEASURES_MAX = 20;

/** One agreed measure: what is done, who is responsible, from and to (ISO dates, both included). */
export interface PlanMeasure {
  what: string;
  responsible: MeasureResponsible;
  from: string;
  to: string;
}

/** A follow-up plan as a caseworker writes it (the CLI's options, the API's body): domain/follow-up-plan.ts checks it. */
export interface PlanContent {
  goal: string;
  measures: PlanMeasure[];
  /** Days (2085-03-01), or moments (2085-03-01T10:00) on a compressed calendar. */
  reviewDates: string[];
}

/** The API's body of a plan (POST /cases/:caseId/plan): the shape only; the rules are domain/follow-up-plan.ts's. */
export const planBodySchema = z.strictObject({
  goal: z.string(),
  measures: z.array(z.strictObject({ what: z.string(), responsible: z.string(), from: z.string(), to: z.string() })),
  reviewDates: z.array(z.string()),
  ifVersion: z.number().int().optional(),
});

/** The API's body of a review (POST /cases/:caseId/review): what happened (note), and the next review date or an outcome. */
export const reviewBodySchema = z.strictObject({
  note: z.string(),
  nextReview: z.string().optional(),
  outcome: z.string().optional(),
  ifVersion: z.number().int().optional(),
});
