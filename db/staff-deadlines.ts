import type { Pool } from 'pg';
import { displayName } from './person-name';

/**
 * The read model's side of the caseworker's deadlines: reviews of follow-up plans that have fallen due (and gone
 * overdue), as each case's own timers projected them (cases.review_state), and replies forwarded to a caseworker
 * that wait for an outcome longer than the calendar allows (domain/staff-deadlines.ts gives the cut-off).
 */

/** When case `c` was passed to its caseworker: the journal entry that brought it into contactEstablished, the last one. */
export const FORWARDED_AT = `(SELECT max(e.at) FROM case_events e
  WHERE e.case_id = c.case_id AND e.to_stage = 'contactEstablished' AND e.from_stage <> 'contactEstablished')`;

/** A case `c` whose reply waits past the cut-off in `$cutoff` (a parameter's number): still contactEstablished, forwarded before it. */
export const replyOverdue = (cutoff: string) => `c.stage = 'contactEstablished' AND ${FORWARDED_AT} < ${cutoff}`;

export interface DeadlineFilter {
  schoolYear: number;
  unit?: string;
  /** Only these units: what a unit-scoped user may see. */
  unitIn?: readonly string[];
  caseworker?: string;
  /** With the youth's name (the caseworker's list); without it, the leader's. */
  names: boolean;
}

export interface ReviewRow {
  caseId: string;
  name?: string;
  unit: string;
  caseworker?: string;
  reviewOn: string;
  reviewAt: string;
  state: 'due' | 'overdue';
}

export interface ReplyRow {
  caseId: string;
  name?: string;
  unit: string;
  caseworker?: string;
  forwardedAt: string;
}

const scope = `c.school_year = $1 AND ($2::text IS NULL OR c.unit = $2) AND ($3::text[] IS NULL OR c.unit = ANY($3)) AND ($4::text IS NULL OR c.caseworker = $4)`;
const params = (f: DeadlineFilter) => [f.schoolYear, f.unit ?? null, f.unitIn ?? null, f.caseworker ?? null];

/** The cases whose plan review is in one of these states, the longest waiting first. */
export async function reviewsIn(pool: Pool, f: DeadlineFilter, states: readonly ('due' | 'overdue')[]): Promise<ReviewRow[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.unit, c.caseworker, c.review_on, c.review_at, c.review_state, ${f.names ? displayName() : 'NULL'} AS name
     FROM cases c JOIN persons p USING (case_id)
     WHERE ${scope} AND c.review_state = ANY($5) ORDER BY c.review_at, c.case_id`,
    [...params(f), states],
  );
  return r.rows.map((x) => ({
    caseId: x.case_id,
    ...(f.names ? { name: x.name } : {}),
    unit: x.unit,
    ...(x.caseworker ? { caseworker: x.caseworker } : {}),
    reviewOn: x.review_on,
    reviewAt: (x.review_at as Date).toISOString(),
    state: x.review_state,
  }));
}

/** The replies forwarded before `cutoff` that still wait for an outcome, the longest waiting first. */
export async function repliesOverdue(pool: Pool, f: DeadlineFilter, cutoff: number): Promise<ReplyRow[]> {
  const r = await pool.query(
    `SELECT * FROM (SELECT c.case_id, c.unit, c.caseworker, ${FORWARDED_AT} AS forwarded_at, ${f.names ? displayName() : 'NULL'} AS name
       FROM cases c JOIN persons p USING (case_id) WHERE ${scope} AND c.stage = 'contactEstablished') x
     WHERE x.forwarded_at < $5 ORDER BY x.forwarded_at, x.case_id`,
    [...params(f), new Date(cutoff)],
  );
  return r.rows.map((x) => ({
    caseId: x.case_id,
    ...(f.names ? { name: x.name } : {}),
    unit: x.unit,
    ...(x.caseworker ? { caseworker: x.caseworker } : {}),
    forwardedAt: (x.forwarded_at as Date).toISOString(),
  }));
}
