import { DateTime } from 'luxon';
import {
  MEASURE_RESPONSIBLE,
  MEASURE_TEXT_MAX,
  MEASURES_MAX,
  PLAN_GOAL_MAX,
  type MeasureResponsible,
  type PlanContent,
} from '../schemas/follow-up-plan';
import { NATIONAL_ID_LIKE } from '../workflows/youth-case/refusals';
import { instantOf } from '../workflows/calendar';
import { REVIEW_DATES_MAX, reviewDateRefusal, sortedReviews } from '../workflows/youth-case/plan';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: unknown): s is string => typeof s === 'string' && DATE.test(s) && DateTime.fromISO(s).isValid;

function textProblem(field: string, value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return `${field}: must not be empty`;
  if (value.length > max) return `${field}: at most ${max} characters`;
  if (NATIONAL_ID_LIKE.test(value)) return `${field}: looks like it holds a national id number: leave it out`;
  return undefined;
}

/**
 * What is wrong with a follow-up plan, naming the field (`measure 2: to (2085-01-10) is before from`), or undefined:
 * the goal and each measure's text (not empty, within their limits, no national id), who is responsible, the
 * measure's dates, and the review dates (at least one, each ahead of `now` and before the school year ends at
 * `yearEndsAt`, none twice). The case's own validator checks the review dates again (workflows/youth-case/plan.ts).
 */
export function planProblem(plan: PlanContent, now: number, yearEndsAt?: number): string | undefined {
  const goal = textProblem('goal', plan.goal, PLAN_GOAL_MAX);
  if (goal) return goal;
  if (!Array.isArray(plan.measures) || plan.measures.length === 0) return 'measures: a plan needs at least one agreed measure';
  if (plan.measures.length > MEASURES_MAX) return `measures: at most ${MEASURES_MAX}`;
  for (const [i, m] of plan.measures.entries()) {
    const at = `measure ${i + 1}`;
    const what = textProblem(`${at}: what`, m.what, MEASURE_TEXT_MAX);
    if (what) return what;
    if (!(MEASURE_RESPONSIBLE as readonly string[]).includes(m.responsible))
      return `${at}: responsible must be one of ${MEASURE_RESPONSIBLE.join(', ')}`;
    if (!isDate(m.from)) return `${at}: from must be a date (2085-01-10)`;
    if (!isDate(m.to)) return `${at}: to must be a date (2085-01-10)`;
    if (m.to < m.from) return `${at}: to (${m.to}) is before from (${m.from})`;
  }
  if (!Array.isArray(plan.reviewDates) || plan.reviewDates.length === 0) return 'review dates: a plan needs at least one review date';
  if (plan.reviewDates.length > REVIEW_DATES_MAX) return `review dates: at most ${REVIEW_DATES_MAX}`;
  for (const [i, d] of plan.reviewDates.entries()) {
    const refusal = reviewDateRefusal(d, now, `review date ${i + 1}`);
    if (refusal) return refusal;
    if (yearEndsAt !== undefined && instantOf(d) >= yearEndsAt) return `review date ${i + 1}: ${d} is not before the school year ends`;
  }
  if (sortedReviews(plan.reviewDates).length !== plan.reviewDates.length) return 'review dates: the same date is given twice';
  return undefined;
}

/** A measure as the CLI takes it: `what;responsible;from;to` (semicolons, as in the office's CSV files). */
export function parseMeasure(text: string): { what: string; responsible: MeasureResponsible; from: string; to: string } | string {
  const parts = text.split(';').map((p) => p.trim());
  if (parts.length !== 4) return 'write a measure as "what;responsible;from;to", such as "Arbeidstrening;NAV;2085-01-10;2085-03-31"';
  const [what, responsible, from, to] = parts;
  return { what, responsible: responsible as MeasureResponsible, from, to };
}
