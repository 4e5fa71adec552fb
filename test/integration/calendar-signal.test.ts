import { randomBytes } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { initialTransition } from 'xstate';
import { storeCohortCalendar } from '../../db/cohort-calendar';
import type { CampaignCalendar } from '../../schemas/calendar';
import { NOTE_MAX } from '../../schemas/limits';
import { defaultCalendar, instantOf, withCalendarValue } from '../../workflows/calendar';
import {
  calendarChangedSignal,
  caseViewQuery,
  replyUpdate,
  youthCaseWorkflowId,
  type CalendarVersion,
  type YouthCaseWorkflow,
} from '../../workflows/contracts/youth-case';
import { youthCaseMachine, type CaseInput, type CaseStage } from '../../workflows/youth-case/machine';
import { caseMemoOf, caseViewOf, searchAttributesOf, type CaseState, type HeldJournal } from '../../workflows/youth-case/view';
import { openStack, type TestStack } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * A calendar the case cannot follow, signalled straight to its workflow as a direct Temporal client could:
 * on the real dev server, the case leaves it aside, keeps its plan, and still takes a good calendar after.
 * And an over-long note sent straight to its Update is refused by the validator, so nothing is recorded.
 */
const YEAR = 2046;

let stack: TestStack;
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
  await storeCohortCalendar(stack.pool, YEAR, defaultCalendar(YEAR));
});
afterAll(async () => {
  for (const h of started) await h.terminate('test over').catch(() => undefined);
  await stack.close();
});

/** An OSON case waiting for its letter, started as activities/cohort-import.ts startCasesPage starts one. */
async function startCase(calendar: CalendarVersion): Promise<WorkflowHandle<YouthCaseWorkflow>> {
  const caseId = randomBytes(12).toString('hex');
  await stack.pool.query(
    `INSERT INTO persons (case_id, school_year, national_id, id_kind, first_name, last_name) VALUES ($1, $2, $3, 'fictitious', 'Ola', 'Kalender')`,
    [caseId, YEAR, `test-${caseId}`],
  );
  const input: CaseInput = {
    caseId,
    schoolYear: YEAR,
    unit: '12250',
    osCode: 'OSON',
    facts: { fictitiousId: false, hasAddress: true, hasMobile: true, under18: false },
  };
  const [snapshot] = initialTransition(youthCaseMachine, input);
  const first = caseViewOf(snapshot.value as CaseStage, snapshot.context);
  const handle = await stack.client.workflow.start<YouthCaseWorkflow>('youthCase', {
    workflowId: youthCaseWorkflowId(YEAR, caseId),
    taskQueue: stack.config.taskQueue,
    args: [{ case: input, calendar }],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    typedSearchAttributes: searchAttributesOf(first),
    memo: caseMemoOf(first, snapshot.context),
  });
  started.push(handle);
  return handle;
}

async function history(handle: WorkflowHandle) {
  return (await handle.fetchHistory()).events ?? [];
}

/** The patch markers the case wrote: one where it first left a calendar aside (patched() records its id once). */
async function patchMarkers(handle: WorkflowHandle): Promise<number> {
  return (await history(handle)).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length;
}

/** The signals of that name the case has taken in: each has a workflow task completed after it. */
async function signalsHandled(handle: WorkflowHandle, name: string): Promise<number> {
  const events = await history(handle);
  const lastCompleted = Math.max(...events.filter((e) => e.workflowTaskCompletedEventAttributes).map((e) => Number(e.eventId)));
  return events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === name && Number(e.eventId) < lastCompleted).length;
}

const iso = (ms: number) => new Date(ms).toISOString();

it('leaves aside a calendar it cannot follow, keeps its plan and answers its query, then takes a good calendar', async () => {
  const calendar: CalendarVersion = { version: 1, calendar: defaultCalendar(YEAR) };
  const handle = await startCase(calendar);
  const plan = { event: 'LETTER_DUE', at: iso(instantOf(calendar.calendar.letters.OSON)) };
  const waiting = await eventually(async () => {
    const d = await handle.query(caseViewQuery).catch(() => undefined);
    return d?.next ? d : undefined;
  }, 'the case to answer its query');
  expect(waiting.stage).toBe('awaitingLetter');
  expect(waiting.next).toEqual(plan);

  // Each would have thrown in the workflow (failing its task again and again) or bent its plan.
  const broken: unknown[] = [
    null,
    { version: 2, calendar: null },
    { version: 2, calendar: withCalendarValue(calendar.calendar, 'letters.OSON', 'soon') },
    { version: 2, calendar: { ...calendar.calendar, phoneCampaigns: undefined } },
    { version: 2, calendar: withCalendarValue(calendar.calendar, 'phoneCampaigns.autumn.until', `${YEAR}-10-01`) },
    { version: 2, calendar: { ...calendar.calendar, smsAfterLetters: 'P99999999D' } },
    { version: '2', calendar: calendar.calendar },
  ];
  for (const next of broken) await handle.signal(calendarChangedSignal, next as CalendarVersion);
  await eventually(
    async () => ((await signalsHandled(handle, 'calendarChanged')) === broken.length ? true : undefined),
    'the case to take in the broken calendars',
  );

  // Asked for the journal it holds: the case's own record, before any projection.
  const after = (await handle.query(caseViewQuery, { journal: true })) as CaseState & HeldJournal;
  expect(after.stage).toBe('awaitingLetter');
  expect(after.next).toEqual(plan);
  expect(after.journal).toEqual([]);
  expect((await history(handle)).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  expect(await patchMarkers(handle)).toBe(1);

  // Version 2 was never taken, so a good calendar of that version is: the letter moves to a few seconds from now.
  const letterAt = Date.now() + 3000;
  const good: CampaignCalendar = withCalendarValue(calendar.calendar, 'letters.OSON', iso(letterAt))!;
  await handle.signal(calendarChangedSignal, { version: 2, calendar: good });
  const moved = await eventually(async () => {
    const d = await handle.query(caseViewQuery);
    return d.next?.at === iso(letterAt) ? d : undefined;
  }, 'the case to follow the good calendar');
  expect(moved.next).toEqual({ event: 'LETTER_DUE', at: iso(letterAt) });
  const due = await eventually(async () => {
    const d = (await handle.query(caseViewQuery, { journal: true })) as CaseState & HeldJournal;
    return d.stage === 'letterDue' ? d : undefined;
  }, 'the letter to fall due on the new date');
  expect(due.journal.map((e) => e.event)).toEqual(['LETTER_DUE']);
  expect((await history(handle)).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
});

it('refuses an over-long note sent straight to its Update, before anything is recorded', async () => {
  const handle = await startCase({ version: 1, calendar: defaultCalendar(YEAR) });
  await expect(
    handle.executeUpdate(replyUpdate, { args: [{ channel: 'phone', by: 'Kari Kontor', note: 'x'.repeat(NOTE_MAX + 1) }] }),
  ).rejects.toMatchObject({ cause: { message: `note: at most ${NOTE_MAX} characters` } });
  // A validator's refusal leaves no event in the history: the Update was never accepted.
  expect((await history(handle)).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);

  // A note as text, as requests carried it before notes moved to PostgreSQL (a direct Temporal client may still): taken, and journalled.
  const taken = await handle.executeUpdate(replyUpdate, { args: [{ channel: 'phone', by: 'Kari Kontor', note: 'x'.repeat(NOTE_MAX) }] });
  expect(taken.stage).toBe('contactEstablished');
  expect(taken).not.toHaveProperty('journal');
  const held = (await handle.query(caseViewQuery, { journal: true })) as CaseState & HeldJournal;
  expect(held.journal.map((e) => [e.event, e.note?.length])).toEqual([['REPLY', NOTE_MAX]]);
});
