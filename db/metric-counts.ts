import type { Pool } from 'pg';

/**
 * The read model's counts that the metrics gauges show (runtime/metrics.ts), each read when Prometheus scrapes.
 * Every label is a school year, a unit, a stage, a status or an import or mailing id: never a person.
 */

export interface CasesByStage {
  schoolYear: number;
  unit: string;
  stage: string;
  cases: number;
}

export async function casesByStage(pool: Pool): Promise<CasesByStage[]> {
  const { rows } = await pool.query<{ school_year: number; unit: string; stage: string; n: string }>(
    `SELECT school_year, unit, stage, count(*) AS n FROM cases GROUP BY school_year, unit, stage`,
  );
  return rows.map((r) => ({ schoolYear: r.school_year, unit: r.unit, stage: r.stage, cases: Number(r.n) }));
}

export interface LettersByUnit {
  schoolYear: number;
  unit: string;
  /** Laid out in a batch (printed, as far as the system knows). */
  printed: number;
  /** In a batch the office has confirmed sent. */
  confirmed: number;
}

export async function lettersByUnit(pool: Pool): Promise<LettersByUnit[]> {
  const { rows } = await pool.query<{ school_year: number; unit: string; printed: string; confirmed: string }>(
    `SELECT b.school_year, b.unit, count(*) AS printed, count(*) FILTER (WHERE b.mailing_id IS NOT NULL) AS confirmed
       FROM letters l JOIN letter_batches b ON b.batch_id = l.batch_id
      GROUP BY b.school_year, b.unit`,
  );
  return rows.map((r) => ({ schoolYear: r.school_year, unit: r.unit, printed: Number(r.printed), confirmed: Number(r.confirmed) }));
}

export interface SmsByStatus {
  schoolYear: number;
  unit: string;
  step: string;
  /** sms_messages.status, except that a message handed to the gateway whose answer never came is `unknown`. */
  status: string;
  messages: number;
}

export async function smsByStatus(pool: Pool): Promise<SmsByStatus[]> {
  const { rows } = await pool.query<{ school_year: number; unit: string; step: string; status: string; n: string }>(
    `SELECT school_year, unit, step,
            CASE WHEN status = 'sending' AND attempts > 0 THEN 'unknown' ELSE status END AS status, count(*) AS n
       FROM sms_messages GROUP BY 1, 2, 3, 4`,
  );
  return rows.map((r) => ({ schoolYear: r.school_year, unit: r.unit, step: r.step, status: r.status, messages: Number(r.n) }));
}

/** Replies in the SMS inbox that matched no case and wait for office staff. */
export async function inboxWaiting(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM sms_inbox WHERE status = 'unmatched'`);
  return Number(rows[0].n);
}

export interface Progress {
  id: string;
  schoolYear: number;
  /** A mailing's kind and unit; absent for an import. */
  kind?: string;
  unit?: string;
  total: number;
  done: number;
}

/**
 * Imports with cases still to start, and those of the last day: an import that finished drops out of the gauge a
 * day later, so the series does not grow with every import ever made.
 */
export async function importProgress(pool: Pool): Promise<Progress[]> {
  const { rows } = await pool.query<{ import_id: string; school_year: number; total: string; done: string }>(
    `SELECT i.import_id, i.school_year, count(r.line) AS total, count(r.line) FILTER (WHERE r.started) AS done
       FROM imports i JOIN import_rows r ON r.import_id = i.import_id
      GROUP BY i.import_id, i.school_year, i.created_at
     HAVING bool_or(NOT r.started) OR i.created_at > now() - interval '1 day'`,
  );
  return rows.map((r) => ({ id: r.import_id, schoolYear: r.school_year, total: Number(r.total), done: Number(r.done) }));
}

/** Mass operations (a mailing confirmed: its cases signalled), those still running and those of the last day. */
export async function mailingProgress(pool: Pool): Promise<Progress[]> {
  const { rows } = await pool.query<{ mailing_id: string; kind: string; school_year: number; unit: string; total: string; done: string }>(
    `SELECT m.mailing_id, m.kind, m.school_year, m.unit, count(c.case_id) AS total, count(c.case_id) FILTER (WHERE c.signalled) AS done
       FROM mailings m JOIN mailing_cases c ON c.mailing_id = m.mailing_id
      GROUP BY m.mailing_id, m.kind, m.school_year, m.unit, m.created_at
     HAVING bool_or(NOT c.signalled) OR m.created_at > now() - interval '1 day'`,
  );
  return rows.map((r) => ({ id: r.mailing_id, kind: r.kind, schoolYear: r.school_year, unit: r.unit, total: Number(r.total), done: Number(r.done) }));
}
