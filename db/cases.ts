import type { Pool, PoolClient } from 'pg';
import type { JournalEntry } from '../workflows/youth-case/journal';
import { UNREACHED_AFTER_LETTER_STAGES, type CaseStage } from '../workflows/youth-case/machine';
import type { CaseView } from '../workflows/youth-case/view';
import { displayName } from './person-name';
import { reachSql, type Reach } from './case-reach';

export interface CaseFilter {
  schoolYear: number;
  unit?: string;
  status?: string;
  stage?: string;
  /** Only cases whose status is one of these. */
  statusIn?: readonly string[];
  /** Only these units: what a unit-scoped user may see. */
  unitIn?: readonly string[];
  /** Part of the name, in any case. */
  name?: string;
  birthDate?: string;
  caseId?: string;
  caseworker?: string;
  /** Only cases with this flag (CaseView.flags). */
  flag?: string;
  /** Only cases of this reach, read from the stage each held in its year (db/case-reach.ts): the year end changes none. */
  reach?: Reach;
  /** A page of the list: at most `limit` rows after the first `offset`. */
  limit?: number;
  offset?: number;
}

export interface CaseListRow extends CaseView {
  name: string;
  reach: Reach;
}

/** The case list from the read model: PostgreSQL, so that a county's 30,000 cases list quickly. */
export async function listCases(pool: Pool, filter: CaseFilter): Promise<CaseListRow[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.school_year, c.unit, c.os_code, c.ot_status, c.stage, c.caseworker, c.flags, c.sms, ${displayName()} AS name, ${reachSql()} AS reach
     FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND ($2::text IS NULL OR c.unit = $2) AND ($3::text IS NULL OR c.ot_status = $3)
       AND ($4::text IS NULL OR c.stage = $4) AND ($5::text[] IS NULL OR c.ot_status = ANY($5))
       AND ($6::text[] IS NULL OR c.unit = ANY($6))
       AND ($7::text IS NULL OR (${displayName()}) ILIKE '%' || replace(replace(replace($7, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
       AND ($8::date IS NULL OR p.birth_date = $8) AND ($9::text IS NULL OR c.case_id = $9) AND ($10::text IS NULL OR c.caseworker = $10)
       AND ($13::text IS NULL OR $13 = ANY(c.flags)) AND ($14::text IS NULL OR ${reachSql()} = $14)
     ORDER BY c.unit, p.last_name, p.first_name, c.case_id
     LIMIT $11 OFFSET $12`,
    [
      filter.schoolYear,
      filter.unit ?? null,
      filter.status ?? null,
      filter.stage ?? null,
      filter.statusIn ?? null,
      filter.unitIn ?? null,
      filter.name ?? null,
      filter.birthDate ?? null,
      filter.caseId ?? null,
      filter.caseworker ?? null,
      filter.limit ?? null,
      filter.offset ?? 0,
      filter.flag ?? null,
      filter.reach ?? null,
    ],
  );
  return r.rows.map((row) => ({
    caseId: row.case_id,
    schoolYear: row.school_year,
    unit: row.unit,
    osCode: row.os_code,
    otStatus: row.ot_status,
    stage: row.stage,
    caseworker: row.caseworker ?? undefined,
    flags: row.flags,
    sms: row.sms,
    name: row.name,
    reach: row.reach,
  }));
}

/** The unit of a case, or undefined when there is no such case: what access to it is decided by. */
export async function unitOfCase(pool: Pool, caseId: string): Promise<string | undefined> {
  const r = await pool.query<{ unit: string }>('SELECT unit FROM cases WHERE case_id = $1', [caseId]);
  return r.rows[0]?.unit;
}

export interface MatchedCase {
  caseId: string;
  name: string;
  unit: string;
  stage: CaseStage;
  otStatus: string;
}

/** The cohort's cases among these ids, as the read model has them now. */
export async function casesByIds(pool: Pool, schoolYear: number, caseIds: string[]): Promise<MatchedCase[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.unit, c.stage, c.ot_status, ${displayName()} AS name
     FROM cases c JOIN persons p USING (case_id) WHERE c.school_year = $1 AND c.case_id = ANY($2)`,
    [schoolYear, caseIds],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name, unit: row.unit, stage: row.stage, otStatus: row.ot_status }));
}

/** The unit's cases in these stages with no mobile to send the SMS to: their names are noted for other ways of contact. */
export async function casesWithoutMobile(
  pool: Pool,
  q: { schoolYear: number; unit: string; stages: readonly CaseStage[] },
): Promise<{ caseId: string; name: string }[]> {
  const r = await pool.query<{ case_id: string; name: string }>(
    `SELECT c.case_id, ${displayName()} AS name FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND c.unit = $2 AND c.sms = 'noMobile' AND c.stage = ANY($3) ORDER BY p.last_name, p.first_name, c.case_id`,
    [q.schoolYear, q.unit, q.stages],
  );
  return r.rows.map((row) => ({ caseId: row.case_id, name: row.name }));
}

/** How many of the unit's cases in these stages have no mobile to send the SMS to: the campaign's count of them. */
export async function countCasesWithoutMobile(pool: Pool, q: { schoolYear: number; unit: string; stages: readonly CaseStage[] }): Promise<number> {
  const r = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM cases WHERE school_year = $1 AND unit = $2 AND sms = 'noMobile' AND stage = ANY($3)`,
    [q.schoolYear, q.unit, q.stages],
  );
  return Number(r.rows[0].n);
}

/** Open cases whose person has this mobile, newest school year first: where an inbound SMS may belong. */
export async function openCasesWithMobile(pool: Pool, mobile: string): Promise<string[]> {
  const r = await pool.query<{ case_id: string }>(
    `SELECT c.case_id FROM persons p JOIN cases c USING (case_id) WHERE p.mobile = $1 AND c.stage <> 'closed' ORDER BY c.school_year DESC`,
    [mobile],
  );
  return r.rows.map((row) => row.case_id);
}

/** When the cohort's first letters were confirmed sent, from the journal; undefined before any. */
export async function firstLettersSentAt(pool: Pool, schoolYear: number): Promise<number | undefined> {
  const r = await pool.query<{ at: Date | null }>(
    `SELECT min(e.at) AS at FROM case_events e JOIN cases c USING (case_id) WHERE c.school_year = $1 AND e.event = 'LETTERS_SENT'`,
    [schoolYear],
  );
  return r.rows[0].at?.getTime();
}

/** Writes a case's row unless a newer one (a higher seq) is there; true when it was written. */
export async function writeCaseRow(db: PoolClient, view: CaseView, seq: number): Promise<boolean> {
  const written = await db.query(
    `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, caseworker, flags, sms, letter_returns, phone_campaign, seq, updated_at,
                        sms_without_mobile, plan_id, review_on, review_at, review_state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now(), $9 = 'noMobile' AND $6 = ANY($13), $14, $15, $16, $17)
     ON CONFLICT (case_id) DO UPDATE SET
       unit = EXCLUDED.unit, os_code = EXCLUDED.os_code, ot_status = EXCLUDED.ot_status, stage = EXCLUDED.stage,
       caseworker = EXCLUDED.caseworker, flags = EXCLUDED.flags, sms = EXCLUDED.sms, letter_returns = EXCLUDED.letter_returns,
       phone_campaign = EXCLUDED.phone_campaign, seq = EXCLUDED.seq, updated_at = now(),
       -- Once the SMS step found no mobile, it stays found: the counter of that step must not change later.
       sms_without_mobile = cases.sms_without_mobile OR EXCLUDED.sms_without_mobile,
       plan_id = EXCLUDED.plan_id, review_on = EXCLUDED.review_on, review_at = EXCLUDED.review_at, review_state = EXCLUDED.review_state
     WHERE cases.seq < EXCLUDED.seq`,
    [
      view.caseId,
      view.schoolYear,
      view.unit,
      view.osCode,
      view.otStatus,
      view.stage,
      view.caseworker ?? null,
      view.flags,
      view.sms,
      view.letterReturns ?? 0,
      view.phoneCampaign ?? null,
      seq,
      UNREACHED_AFTER_LETTER_STAGES,
      view.planId ?? null,
      view.review?.on ?? null,
      view.review?.at ?? null,
      view.review?.state ?? null,
    ],
  );
  return Boolean(written.rowCount);
}

/**
 * Records a journal entry once: a retried write of the same seq records nothing more. A note comes as the id
 * of a note stored in case_notes (the row names it; the text stays there), or, from a case that carried it
 * before notes moved there, as text in the row itself. An id naming no note of this case is left out.
 */
export async function writeJournalEntry(db: PoolClient, caseId: string, seq: number, entry: JournalEntry): Promise<void> {
  await db.query(
    `INSERT INTO case_events (case_id, seq, at, event, by_user, channel, note, detail, from_stage, from_status, to_stage, to_status, by_user_id, note_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
                     (SELECT id FROM case_notes WHERE id = $14::uuid AND case_id = $1)) ON CONFLICT DO NOTHING`,
    [
      caseId,
      seq,
      entry.at,
      entry.event,
      entry.by ?? null,
      entry.channel ?? null,
      entry.note ?? null,
      entry.detail ?? null,
      entry.from.stage,
      entry.from.status,
      entry.to.stage,
      entry.to.status,
      entry.byUserId ?? null,
      entry.noteId ?? null,
    ],
  );
}

/** A new case's first row, written with the import's staging transaction; an existing row is left alone. */
export async function insertFirstViews(db: PoolClient, views: CaseView[]): Promise<void> {
  if (views.length === 0) return;
  await db.query(
    `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, caseworker, flags, seq)
     SELECT x.case_id, x.school_year, x.unit, x.os_code, x.ot_status, x.stage, x.caseworker,
            ARRAY(SELECT jsonb_array_elements_text(x.flags)), 0
     FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, school_year integer, unit text, os_code text, ot_status text,
       stage text, caseworker text, flags jsonb)
     ON CONFLICT (case_id) DO NOTHING`,
    [
      JSON.stringify(
        views.map((v) => ({
          case_id: v.caseId,
          school_year: v.schoolYear,
          unit: v.unit,
          os_code: v.osCode,
          ot_status: v.otStatus,
          stage: v.stage,
          caseworker: v.caseworker ?? null,
          flags: v.flags,
        })),
      ),
    ],
  );
}

/** The next page of a cohort's open cases, in case id order after `after`: what a calendar broadcast tells. */
export async function openCasesAfter(pool: Pool, schoolYear: number, after: string, pageSize: number): Promise<string[]> {
  const page = await pool.query<{ case_id: string }>(
    `SELECT case_id FROM cases WHERE school_year = $1 AND stage <> 'closed' AND case_id > $2 ORDER BY case_id LIMIT $3`,
    [schoolYear, after, pageSize],
  );
  return page.rows.map((r) => r.case_id);
}

/** How many cases of these mailings, still in these stages, have not yet turned "SMS due" on their own timer. */
export async function casesNotYetSmsDue(pool: Pool, mailingIds: string[], stages: readonly CaseStage[]): Promise<number> {
  const r = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM cases c JOIN mailing_cases mc USING (case_id)
     WHERE mc.mailing_id = ANY($1) AND c.sms = 'notYet' AND c.stage = ANY($2)`,
    [mailingIds, stages],
  );
  return Number(r.rows[0].n);
}
