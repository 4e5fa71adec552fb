import type { Pool, PoolClient } from 'pg';
import type { PlanMeasure } from '../schemas/follow-up-plan';

type Db = Pool | PoolClient;

/** A follow-up plan as stored: what was agreed with the youth (migration 021). */
export interface StoredPlan {
  id: string;
  caseId: string;
  goal: string;
  measures: PlanMeasure[];
  reviewDates: string[];
  writtenBy?: string;
  createdAt: string;
}

/** Stores a plan before the case hears of it (it is sent the id); storing the same id again changes nothing. */
export async function storePlan(db: Db, plan: Omit<StoredPlan, 'createdAt'>): Promise<void> {
  await db.query(
    `INSERT INTO follow_up_plans (id, case_id, goal, measures, review_dates, written_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
    [plan.id, plan.caseId, plan.goal, JSON.stringify(plan.measures), plan.reviewDates, plan.writtenBy ?? null],
  );
}

/** Deletes a plan whose Update the case refused; one a journal entry names is kept (it was recorded after all). */
export async function deleteUnrecordedPlan(db: Db, id: string): Promise<void> {
  await db.query(
    `DELETE FROM follow_up_plans p WHERE p.id = $1
       AND NOT EXISTS (SELECT FROM case_events e WHERE e.case_id = p.case_id AND e.event = 'PLAN' AND e.detail->>'planId' = p.id::text)`,
    [id],
  );
}

const rowOf = (r: Record<string, unknown>): StoredPlan => ({
  id: r.id as string,
  caseId: r.case_id as string,
  goal: r.goal as string,
  measures: r.measures as PlanMeasure[],
  reviewDates: r.review_dates as string[],
  ...(r.written_by ? { writtenBy: r.written_by as string } : {}),
  createdAt: (r.created_at as Date).toISOString(),
});

/** The plan in force on a case (the one its workflow last projected), or undefined when it has none. */
export async function planInForce(db: Db, caseId: string): Promise<StoredPlan | undefined> {
  const r = await db.query(`SELECT p.* FROM follow_up_plans p JOIN cases c ON c.plan_id = p.id AND c.case_id = p.case_id WHERE c.case_id = $1`, [
    caseId,
  ]);
  return r.rows[0] ? rowOf(r.rows[0]) : undefined;
}

/** Every plan of these cases, each change its own row, oldest first: what the access export holds. */
export async function plansOfCases(db: Db, caseIds: string[]): Promise<StoredPlan[]> {
  const r = await db.query(`SELECT * FROM follow_up_plans WHERE case_id = ANY($1) ORDER BY case_id, created_at, id`, [caseIds]);
  return r.rows.map(rowOf);
}
