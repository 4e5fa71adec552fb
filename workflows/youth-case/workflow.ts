import {
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import {
  ACTION_UPDATES,
  calendarChangedSignal,
  caseViewQuery,
  crosscheckMatchedSignal,
  letterReturnedSignal,
  lettersSentSignal,
  refusalQuery,
  smsSentSignal,
  type ActionArgs,
  type CaseProjectionActivities,
  type YouthCaseArgs,
} from '../contracts/youth-case';
import { Caseworker } from '../search-attributes';
import { calendarChangeProblem } from '../calendar';
import { nextDeadline } from './deadlines';
import { journalEntryOf, type JournalEntry } from './journal';
import { youthCaseMachine, type CaseAction, type CaseEvent, type CaseStage } from './machine';
import { oversizeOf, refusalOf, type CaseRequest } from './refusals';
import { caseMemoOf, caseViewOf, searchAttributesOf, type CaseDetail, type CaseView } from './view';
import { CASE_CHANGED, versionRefusal } from './versions';

const { projectCase } = proxyActivities<CaseProjectionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute' },
});

interface Pending {
  event: CaseEvent;
  at: string;
  /** Set for an update, which waits for its outcome. */
  id?: number;
}

/** One youth's case for one school year: the machine decides, the calendar says what is due, this function waits, records and projects. */
export async function youthCase(args: YouthCaseArgs): Promise<CaseDetail> {
  type Snapshot = SnapshotFrom<typeof youthCaseMachine>;
  let snapshot: Snapshot = args.resume
    ? youthCaseMachine.resolveState({ value: args.resume.value, context: args.resume.context })
    : initialTransition(youthCaseMachine, args.case)[0];
  const seqBase = args.resume?.seqBase ?? 0;
  const journal: JournalEntry[] = args.resume?.journal ?? [];
  let calendar = args.calendar;
  let replan = false;
  const inbox: Pending[] = [];
  const outcomes = new Map<number, string | null>();
  /** Updates refused because the case changed since the version they were based on: answered as CASE_CHANGED. */
  const changed = new Set<number>();
  let nextId = 0;

  const stage = () => snapshot.value as CaseStage;
  const view = (): CaseView => caseViewOf(stage(), snapshot.context);
  const detail = (): CaseDetail => ({
    ...view(),
    letter: snapshot.context.letter,
    smsSentOn: snapshot.context.smsSentOn,
    next: snapshot.status === 'done' ? undefined : deadlineView(),
    journal,
    version: journal.length,
  });
  const deadlineView = () => {
    const d = nextDeadline(stage(), snapshot.context, calendar.calendar, Date.now());
    return { event: d.event.type, at: new Date(d.at).toISOString() };
  };
  const now = () => new Date(Date.now()).toISOString();
  const signal = (event: CaseEvent) => void inbox.push({ event, at: now() });

  setHandler(caseViewQuery, detail);
  // Asked before anything is recorded: first whether the request is too big to record (oversizeOf), then whether it makes sense now.
  const refusalNow = (request: CaseRequest) => oversizeOf(request) ?? refusalOf(snapshot, request);
  setHandler(refusalQuery, (request) => refusalNow(request) ?? null);

  /** A caseworker action: refused up front by its validator, then applied in turn by the main loop, which reports back. */
  const accept = <T extends CaseAction['type']>(update: UpdateDefinition<CaseDetail, [ActionArgs<T>]>, type: T) =>
    setHandler(
      update,
      async (action) => {
        const id = nextId++;
        inbox.push({ event: { ...action, type } as CaseAction, at: now(), id });
        await condition(() => outcomes.has(id));
        const refusal = outcomes.get(id);
        outcomes.delete(id);
        const stale = changed.delete(id);
        if (refusal) throw ApplicationFailure.create({ type: stale ? CASE_CHANGED : 'Refused', message: refusal, nonRetryable: true });
        return detail();
      },
      {
        validator: (action) => {
          const stale = versionRefusal(action.ifVersion, journal.length);
          if (stale) throw ApplicationFailure.create({ type: CASE_CHANGED, message: stale, nonRetryable: true });
          const refusal = refusalNow({ ...action, type } as CaseAction);
          if (refusal) throw new Error(refusal);
        },
      },
    );
  // Every caseworker action of the contract, each by its own Update.
  for (const type of Object.keys(ACTION_UPDATES) as CaseAction['type'][])
    accept(ACTION_UPDATES[type] as UpdateDefinition<CaseDetail, [ActionArgs<typeof type>]>, type);
  setHandler(lettersSentSignal, (e) => signal({ type: 'LETTERS_SENT', ...e }));
  setHandler(smsSentSignal, (e) => signal({ type: 'SMS_SENT', ...e }));
  setHandler(letterReturnedSignal, (e) => signal({ type: 'LETTER_RETURNED', ...e }));
  setHandler(crosscheckMatchedSignal, (e) => signal({ type: 'CROSSCHECK_MATCHED', ...e }));
  setHandler(calendarChangedSignal, (next) => {
    // A signal cannot be refused: a calendar the case cannot follow (a direct Temporal client's, or a broken
    // one) is left aside and the case keeps its plan. Histories recorded before this check took whatever
    // came, and replay as they ran; the marker is written only when a calendar is left aside.
    const problem = calendarChangeProblem(next);
    if (problem !== undefined && patched('validate-calendar-signal')) {
      log.warn('calendarChanged: calendar left aside, the case keeps its calendar', { problem, keeps: calendar.version });
      return;
    }
    if (next.version <= calendar.version) return;
    calendar = next;
    replan = true;
  });

  // The import computed this same first snapshot: it set the search attributes and staged the first projection.
  let projected = view();

  while (snapshot.status !== 'done') {
    const deadline = nextDeadline(stage(), snapshot.context, calendar.calendar, Date.now());
    if (inbox.length === 0 && !replan && deadline.at > Date.now()) {
      await condition(() => inbox.length > 0 || replan, deadline.at - Date.now());
    }
    if (replan) {
      replan = false;
      continue;
    }
    const pending: Pending = inbox.shift() ?? { event: deadline.event, at: now() };

    // An update validated against an older state may no longer fit once the events before it have run,
    // and one based on a version of the case that another update has just changed is refused as stale.
    const stale = pending.id !== undefined ? versionRefusal((pending.event as CaseAction).ifVersion, journal.length) : undefined;
    if (stale) changed.add(pending.id!);
    const refusal = pending.id !== undefined ? (stale ?? refusalOf(snapshot, pending.event as CaseRequest)) : undefined;
    if (refusal) {
      outcomes.set(pending.id!, refusal);
      continue;
    }
    const before = snapshot;
    [snapshot] = transition(youthCaseMachine, snapshot, pending.event);
    const entry = journalEntryOf(pending.event, pending.at, before, snapshot);

    const next = view();
    if (entry || JSON.stringify(next) !== JSON.stringify(projected)) {
      if (entry) journal.push(entry);
      if (searchAttributesChanged(projected, next)) {
        upsertSearchAttributes([...searchAttributesOf(next), ...(next.caseworker ? [] : [{ key: Caseworker, value: null }])]);
      }
      // Histories recorded before the memo existed have no memo commands here.
      if (patched('case-memo')) upsertMemo(caseMemoOf(next, snapshot.context));
      await projectCase(next, seqBase + workflowInfo().historyLength, entry);
      projected = next;
    }
    if (pending.id !== undefined) outcomes.set(pending.id, null);

    if (snapshot.status !== 'done' && inbox.length === 0 && workflowInfo().continueAsNewSuggested) {
      await condition(() => outcomes.size === 0);
      await continueAsNew<typeof youthCase>({
        case: args.case,
        calendar,
        resume: { value: snapshot.value, context: snapshot.context, journal, seqBase: seqBase + workflowInfo().historyLength },
      });
    }
  }
  // An update accepted just before the year ended finds the case closed.
  for (const pending of inbox.splice(0)) if (pending.id !== undefined) outcomes.set(pending.id, 'the case is closed: its school year has ended');
  await condition(() => outcomes.size === 0);
  return detail();
}

function searchAttributesChanged(a: CaseView, b: CaseView): boolean {
  return a.unit !== b.unit || a.otStatus !== b.otStatus || a.stage !== b.stage || a.caseworker !== b.caseworker;
}
