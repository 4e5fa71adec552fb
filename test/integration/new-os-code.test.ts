import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { initialTransition } from 'xstate';
import { readCohortCalendar, storeCohortCalendar, type StoredCalendar } from '../../db/cohort-calendar';
import type { CampaignCalendar } from '../../schemas/calendar';
import { OS_CODES, type OsCode, type OsCodeRow } from '../../schemas/ot-codes';
import { defaultCalendar, endInstantOf, instantOf } from '../../workflows/calendar';
import { youthCaseMachine, type CaseInput, type CaseStage } from '../../workflows/youth-case/machine';
import { caseMemoOf, caseViewOf, searchAttributesOf, type CaseState } from '../../workflows/youth-case/view';
import { calendarChangedSignal, caseViewQuery, youthCaseWorkflowId, type YouthCaseWorkflow } from '../../workflows/contracts/youth-case';
import { openStack, type TestStack } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * An OS code added to OS_CODE_TABLE after a cohort's calendar was stored, on the real dev server and
 * PostgreSQL: the calendar read for a new case carries the new code's letter date from the year's
 * defaults, and a case whose calendar lacks its code waits instead of failing its workflow task.
 *
 * How the code is added at run time: OS_CODE_TABLE stays a readonly const, the one truth of a loaded
 * release. After the stack is up and the calendar stored, the test loads db/cohort-calendar again
 * (jest.isolateModules) over a table with one more row, as the next release would have it, and reads
 * the calendar through that copy, the way startCasesPage does. The worker's workflow sandbox keeps its
 * own copy of the modules with the four codes, like a worker still on the old release: it knows the new
 * code only through the calendar the case is given, which is what this shows.
 */
const YEAR = 2043;
const OSNY: OsCodeRow = { code: 'OSNY', meaning: 'a code VIGO added later (test)', washing: '09-15', letters: '10-05', demoWeight: 1 };

/** db/cohort-calendar (and what it imports) as a release with `row` added to OS_CODE_TABLE has it. */
function cohortCalendarWith(row: OsCodeRow): typeof import('../../db/cohort-calendar') {
  let loaded!: typeof import('../../db/cohort-calendar');
  jest.isolateModules(() => {
    jest.doMock('../../schemas/ot-codes', () => {
      const actual = jest.requireActual<typeof import('../../schemas/ot-codes')>('../../schemas/ot-codes');
      // What the module derives from its table, derived again from the longer one (osCodeSchema follows OS_CODES).
      const codes = [...actual.OS_CODES, row.code] as [string, ...string[]];
      return { ...actual, OS_CODE_TABLE: [...actual.OS_CODE_TABLE, row], OS_CODES: codes };
    });
    loaded = require('../../db/cohort-calendar');
    jest.dontMock('../../schemas/ot-codes');
  });
  return loaded;
}

let stack: TestStack;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
  // The cohort's calendar, stored while the table had the four codes.
  await storeCohortCalendar(stack.pool, YEAR, defaultCalendar(YEAR));
});
afterAll(async () => {
  for (const h of started) await h.terminate('test over').catch(() => undefined);
  await stack.close();
});

/** A case of the OS code, its person stored as the import stores it (the read model's rows need one). */
async function caseOf(osCode: string): Promise<CaseInput> {
  const caseId = randomBytes(12).toString('hex');
  await stack.pool.query(
    `INSERT INTO persons (case_id, school_year, national_id, id_kind, first_name, last_name) VALUES ($1, $2, $3, 'fictitious', 'Ny', 'Kode')`,
    [caseId, YEAR, `test-${caseId}`],
  );
  return {
    caseId,
    schoolYear: YEAR,
    unit: '12250',
    osCode: osCode as OsCode,
    facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false },
  };
}

/** Starts a case as activities/cohort-import.ts startCasesPage does. */
async function startCase(input: CaseInput, calendar: StoredCalendar): Promise<WorkflowHandle<YouthCaseWorkflow>> {
  const [snapshot] = initialTransition(youthCaseMachine, input);
  const first = caseViewOf(snapshot.value as CaseStage, snapshot.context);
  const handle = await stack.client.workflow.start<YouthCaseWorkflow>('youthCase', {
    workflowId: youthCaseWorkflowId(input.schoolYear, input.caseId),
    taskQueue: stack.config.taskQueue,
    args: [{ case: input, calendar: { version: calendar.version, calendar: calendar.calendar } }],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: searchAttributesOf(first),
    memo: caseMemoOf(first, snapshot.context),
  });
  started.push(handle);
  return handle;
}

/** The case view once the workflow has answered with the given next deadline. */
function nextIs(handle: WorkflowHandle, event: string): Promise<CaseState> {
  return eventually(async () => {
    const d = await handle.query(caseViewQuery).catch(() => undefined);
    return d?.next?.event === event ? d : undefined;
  }, `${handle.workflowId} to wait for ${event}`);
}

async function failedWorkflowTasks(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('an OS code added after the calendar was stored', () => {
  it('is not in the calendar as stored: the table had four codes then', async () => {
    const stored = await readCohortCalendar(stack.pool, YEAR);
    expect(stored.custom).toBe(true);
    expect(Object.keys(stored.calendar.letters)).toEqual([...OS_CODES]);
  });

  it("gets its letter date from the year's defaults when the calendar is read, and its case waits for that letter", async () => {
    const later = cohortCalendarWith(OSNY);
    const calendar = await later.readCohortCalendar(stack.pool, YEAR);
    const letters = calendar.calendar.letters as Record<string, string>;
    expect(letters.OSNY).toBe(`${YEAR}-10-05`);
    expect((calendar.calendar.washing as Record<string, string>).OSNY).toBe(`${YEAR}-09-15`);
    // The dates stored are kept.
    expect({ ...letters, OSNY: undefined }).toEqual({ ...defaultCalendar(YEAR).letters, OSNY: undefined });

    const handle = await startCase(await caseOf('OSNY'), calendar);
    const d = await nextIs(handle, 'LETTER_DUE');
    expect(d.stage).toBe('awaitingLetter');
    expect(d.osCode).toBe('OSNY');
    expect(d.next).toEqual({ event: 'LETTER_DUE', at: iso(instantOf(`${YEAR}-10-05`)) });
    expect(await failedWorkflowTasks(handle)).toBe(0);
  });

  it('leaves a case given a calendar without its code waiting for the year end, then due its letter once a calendar with the date arrives', async () => {
    // The calendar as the old release reads it: no OSNY key.
    const calendar = await readCohortCalendar(stack.pool, YEAR);
    expect((calendar.calendar.letters as Record<string, string>).OSNY).toBeUndefined();
    const handle = await startCase(await caseOf('OSNY'), calendar);

    const waiting = await nextIs(handle, 'SCHOOL_YEAR_ENDED');
    expect(waiting.stage).toBe('awaitingLetter');
    expect(waiting.next).toEqual({ event: 'SCHOOL_YEAR_ENDED', at: iso(endInstantOf(calendar.calendar.schoolYearEnd)) });
    expect(await failedWorkflowTasks(handle)).toBe(0);

    // A calendar with the code's letter date, a few seconds from now.
    const letterAt = Date.now() + 3000;
    const next: CampaignCalendar = {
      ...calendar.calendar,
      letters: { ...calendar.calendar.letters, OSNY: iso(letterAt) } as CampaignCalendar['letters'],
    };
    await handle.signal(calendarChangedSignal, { version: calendar.version + 1, calendar: next });
    const due = await nextIs(handle, 'LETTER_DUE');
    expect(due.stage).toBe('awaitingLetter');
    expect(due.next).toEqual({ event: 'LETTER_DUE', at: iso(letterAt) });

    // And the letter falls due at that moment.
    const letterDue = await eventually(async () => {
      const d = await handle.query(caseViewQuery);
      return d.stage === 'letterDue' ? d : undefined;
    }, 'the OSNY case to reach letterDue');
    expect(letterDue.otStatus).toBe('OSNY');
    expect(await failedWorkflowTasks(handle)).toBe(0);
    // The read model has it too.
    await eventually(async () => {
      const r = await stack.pool.query('SELECT os_code, stage FROM cases WHERE case_id = $1', [letterDue.caseId]);
      return r.rows[0]?.stage === 'letterDue' ? r.rows[0] : undefined;
    }, 'the OSNY case projected as letterDue').then((row) => expect(row).toEqual({ os_code: 'OSNY', stage: 'letterDue' }));
  });
});
