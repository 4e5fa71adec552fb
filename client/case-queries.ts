import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { caseWorkflowId } from '../domain/case-id';
import { OS_CODES } from '../schemas/ot-codes';
import type { CaseDetail, CaseView } from '../workflows/youth-case/view';
import { caseViewQuery } from '../workflows/youth-case/workflow';

export interface CaseFilter {
  schoolYear: number;
  unit?: string;
  status?: string;
  stage?: string;
  /** Only youth nobody has reached: OTUK, or still an OS code because no letter was confirmed. */
  unreached?: boolean;
}

export interface CaseListRow extends CaseView {
  name: string;
}

/** The case list from the read model: PostgreSQL, so that a county's 30,000 cases list quickly. */
export async function listCases(pool: Pool, filter: CaseFilter): Promise<CaseListRow[]> {
  const r = await pool.query(
    `SELECT c.case_id, c.school_year, c.unit, c.os_code, c.ot_status, c.stage, c.caseworker, c.flags, c.sms,
            p.first_name || ' ' || p.last_name AS name
     FROM cases c JOIN persons p USING (case_id)
     WHERE c.school_year = $1 AND ($2::text IS NULL OR c.unit = $2) AND ($3::text IS NULL OR c.ot_status = $3)
       AND ($4::text IS NULL OR c.stage = $4) AND (NOT $5 OR c.ot_status = ANY($6))
     ORDER BY c.unit, p.last_name, p.first_name, c.case_id`,
    [filter.schoolYear, filter.unit ?? null, filter.status ?? null, filter.stage ?? null, Boolean(filter.unreached), ['OTUK', ...OS_CODES]],
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
  }));
}

export interface CaseDetailRow extends CaseDetail {
  name: string;
}

/** One case as its workflow sees it now, with the person's name from PostgreSQL; undefined when no such case. */
export async function showCase(pool: Pool, client: Client, caseId: string): Promise<CaseDetailRow | undefined> {
  const person = await pool.query('SELECT school_year, first_name, last_name FROM persons WHERE case_id = $1', [caseId]);
  if (person.rowCount === 0) return undefined;
  const { school_year: schoolYear, first_name: first, last_name: last } = person.rows[0];
  try {
    const view = await client.workflow.getHandle(caseWorkflowId(schoolYear, caseId)).query(caseViewQuery);
    return { ...view, name: `${first} ${last}` };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
