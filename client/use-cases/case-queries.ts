import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { listCases as listFromReadModel, type CaseFilter as ReadModelFilter, type CaseListRow } from '../../db/cases';
import { personOfCase } from '../../db/persons';
import { OS_CODES } from '../../schemas/ot-codes';
import { caseViewQuery, youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import type { CaseDetail } from '../../workflows/youth-case/view';

export type { CaseListRow };

export interface CaseFilter extends Omit<ReadModelFilter, 'statusIn'> {
  /** Only youth nobody has reached: OTUK, or still an OS code because no letter was confirmed. */
  unreached?: boolean;
}

/** Nobody has reached the youth while the case is OTUK, or still has its OS code because no letter was confirmed. */
const UNREACHED_STATUSES = ['OTUK', ...OS_CODES];

/** The case list from the read model: PostgreSQL, so that a county's 30,000 cases list quickly. */
export async function listCases(pool: Pool, filter: CaseFilter): Promise<CaseListRow[]> {
  const { unreached, ...rest } = filter;
  return listFromReadModel(pool, { ...rest, statusIn: unreached ? UNREACHED_STATUSES : undefined });
}

export interface CaseDetailRow extends CaseDetail {
  name: string;
}

/** One case as its workflow sees it now, with the person's name from PostgreSQL; undefined when no such case. */
export async function showCase(pool: Pool, client: Client, caseId: string): Promise<CaseDetailRow | undefined> {
  const person = await personOfCase(pool, caseId);
  if (!person) return undefined;
  try {
    const view = await client.workflow.getHandle(youthCaseWorkflowId(person.schoolYear, caseId)).query(caseViewQuery);
    return { ...view, name: person.name };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
