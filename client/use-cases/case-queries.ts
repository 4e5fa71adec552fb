import { QueryNotRegisteredError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { journalOf } from '../../db/case-journal';
import { lastYearCaseOf, type LastYearCase } from '../../db/carry-over';
import { listCases as listFromReadModel, type CaseFilter as ReadModelFilter, type CaseListRow } from '../../db/cases';
import { personOfCase } from '../../db/persons';
import { CASE_REQUESTS, type CaseRequestName, type RequestAnswer, type RequestsAccepted } from '../../schemas/api/cases';
import { caseViewQuery, refusalQuery, refusalsQuery, youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import type { CaseRequest } from '../../workflows/youth-case/refusals';
import type { CaseDetail } from '../../workflows/youth-case/view';

export type { CaseListRow };

export interface CaseFilter extends Omit<ReadModelFilter, 'statusIn'> {
  /** Only youth nobody has reached: OTUK or still an OS code, with no reply ever registered (NEVER_REACHED_STAGES). */
  unreached?: boolean;
  /** Only youth reached (a reply came) whose outcome nobody has set: OTUK (or an OS code) too, but not unreached. */
  awaitingOutcome?: boolean;
}

/**
 * The case list from the read model: PostgreSQL, so that a county's 30,000 cases list quickly. Whether a youth was
 * reached is read from the stage the case held in its year, so the year end, which closes every case, moves nobody
 * from one list to the other.
 */
export async function listCases(pool: Pool, filter: CaseFilter): Promise<CaseListRow[]> {
  const { unreached, awaitingOutcome, ...rest } = filter;
  const reach = [rest.reach, unreached ? 'neverReached' : undefined, awaitingOutcome ? 'reachedNoOutcome' : undefined].filter((r) => r);
  if (new Set(reach).size > 1) throw new RangeError('a case is either unreached, reached with no outcome set or settled: one of them');
  return listFromReadModel(pool, { ...rest, reach: reach[0] as ReadModelFilter['reach'] });
}

export interface CaseDetailRow extends CaseDetail {
  name: string;
  /** The youth's case the school year before, if they were in OT then: "in OT two years running", its journal one step away. */
  lastYear?: LastYearCase;
}

/** How long a case view waits for the read model to catch up with the case's last entries (projected moments after). */
const JOURNAL_CATCH_UP_MS = 3000;

/**
 * One case as its workflow sees it now, with the person's name and the journal (notes and all) from
 * PostgreSQL; undefined when no such case. The workflow answers with its version, the length of its
 * journal: the read model is read again, briefly, until it holds that many entries, so an entry the case
 * made a moment ago (a deadline, a signal) is shown with it.
 */
export async function showCase(pool: Pool, client: Client, caseId: string): Promise<CaseDetailRow | undefined> {
  const person = await personOfCase(pool, caseId);
  if (!person) return undefined;
  try {
    const state = await client.workflow.getHandle(youthCaseWorkflowId(person.schoolYear, caseId)).query(caseViewQuery);
    let journal = await journalOf(pool, caseId);
    for (const until = Date.now() + JOURNAL_CATCH_UP_MS; journal.length < state.version && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 100));
      journal = await journalOf(pool, caseId);
    }
    const lastYear = await lastYearCaseOf(pool, caseId);
    return { ...state, journal, name: person.name, ...(lastYear ? { lastYear } : {}) };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

const SAMPLE_PLAN_ID = '00000000-0000-4000-8000-000000000000';
const SAMPLE_REVIEW_DATE = '9999-12-31';

/** A plain request of each kind, by this person: what the case is asked whether it would take. */
function sampleRequest(name: CaseRequestName, by: string): CaseRequest {
  switch (name) {
    case 'outcome':
      return { type: 'OUTCOME', status: 'OTOV', channel: 'phone', by };
    case 'reply':
      return { type: 'REPLY', channel: 'phone', by };
    case 'claim':
      return { type: 'CLAIM', status: 'OTOV', caseworker: by, by };
    case 'contact':
      return { type: 'CONTACT', kind: 'mobile', source: 'youth', by };
    case 'returnedLetter':
      return { type: 'LETTER_RETURNED', by };
    case 'callNotReached':
      return { type: 'CALL', result: 'notReached', by };
    case 'callWrongNumber':
      return { type: 'CALL', result: 'wrongNumber', by };
    // A plan and a review are asked with a review date that is surely ahead, so the answer is about the case, not the date.
    case 'plan':
      return { type: 'PLAN', planId: SAMPLE_PLAN_ID, reviewDates: [SAMPLE_REVIEW_DATE], by };
    case 'review':
      return { type: 'REVIEW', nextReview: SAMPLE_REVIEW_DATE, note: 'review', by };
  }
}

/**
 * What the case takes now: each request asked of the workflow's refusal rule (the rule its Updates validate with),
 * all in one query (refusalsQuery), so a front end offers only what will be accepted at the cost of one round trip. A
 * request's own values (a code, a note) may still be refused when it is made.
 */
export async function requestsAcceptedNow(client: Client, view: { schoolYear: number; caseId: string }, by: string): Promise<RequestsAccepted> {
  const handle = client.workflow.getHandle(youthCaseWorkflowId(view.schoolYear, view.caseId));
  const requests = CASE_REQUESTS.map((name) => sampleRequest(name, by));
  let reasons: (string | null)[];
  try {
    reasons = await handle.query(refusalsQuery, requests);
  } catch (err) {
    // A worker of the release before the batch query (while one release replaces the other): one query per request.
    if (!(err instanceof QueryNotRegisteredError)) throw err;
    reasons = await Promise.all(requests.map((request) => handle.query(refusalQuery, request)));
  }
  const answers = CASE_REQUESTS.map((name, i): [CaseRequestName, RequestAnswer] => {
    const reason = reasons[i];
    return [name, reason ? { accepted: false, reason } : { accepted: true }];
  });
  return Object.fromEntries(answers) as RequestsAccepted;
}
