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
  refusalsQuery,
  returnedToVigoSignal,
  callMovedSignal,
  secondSmsSentSignal,
  smsSentSignal,
  type ActionArgs,
  type CaseProjectionActivities,
  type YouthCaseArgs,
} from '../contracts/youth-case';
import { Caseworker } from '../search-attributes';
import type * as CalendarChange from '../calendar-change';
import { nextDeadline } from './deadlines';
import { journalEntryOf, type JournalEntry } from './journal';
import { BEFORE_LETTER_STAGES, youthCaseMachine, type CaseAction, type CaseEvent, type CaseStage } from './machine';
import { oversizeOf, refusalOf, type CaseRequest } from './refusals';
import { caseMemoOf, caseViewOf, searchAttributesOf, type CaseState, type CaseView } from './view';
import { CASE_CHANGED, versionRefusal } from './versions';

/**
 * The check of a signalled calendar, loaded when the first calendar comes: it needs zod, and the sandbox evaluates a
 * workflow's modules for each workflow, so importing it here made every new case evaluate zod (half of what its first
 * workflow task cost). Loading it later changes no command: it is pure and the signal handler calls it in place.
 */
function calendarChange(): typeof CalendarChange {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static require webpack bundles, evaluated on first use
  return require('../calendar-change') as typeof CalendarChange;
}

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
export async function youthCase(args: YouthCaseArgs): Promise<CaseState> {
  type Snapshot = SnapshotFrom<typeof youthCaseMachine>;
  let snapshot: Snapshot = args.resume
    ? youthCaseMachine.resolveState({ value: args.resume.value, context: args.resume.context })
    : initialTransition(youthCaseMachine, args.case)[0];
  const resumed = args.resume;
  const seqBase = resumed?.seqBase ?? 0;
  // The entries this run holds, for the case-view query that asks for them; those before it (journalFrom of them)
  // are in the read model. A run continued as new before notes moved to PostgreSQL brings every entry along instead.
  const journal: JournalEntry[] = resumed && 'journal' in resumed ? resumed.journal : [];
  const journalFrom = resumed && 'version' in resumed ? resumed.version : 0;
  const version = () => journalFrom + journal.length;
  let calendar = args.calendar;
  let replan = false;
  /** The follow-up plan's review dates are timers once a plan exists (set in the main loop, behind its patch). */
  let reviewTimers = false;
  const inbox: Pending[] = [];
  const outcomes = new Map<number, string | null>();
  /** Updates refused because the case changed since the version they were based on: answered as CASE_CHANGED. */
  const changed = new Set<number>();
  let nextId = 0;

  // A youth past the age limit leaves the target group by the case's own timer (deadlines.ts). Only a case imported with
  // the fact asks: histories of cases without it have no marker and never will, and a case whose first tasks ran on a
  // worker without the timer replays without it.
  const ageOut = snapshot.context.facts.agesOutOn !== undefined && patched('target-group-age-out');
  const stage = () => snapshot.value as CaseStage;
  const view = (): CaseView => caseViewOf(stage(), snapshot.context);
  // No journal in what the case answers: its notes would travel in every payload (the read model has it, db/case-journal.ts).
  // Results of updates and queries, and the workflow's result, are not compared on replay, so no patch is needed for this.
  const state = (): CaseState => ({
    ...view(),
    letter: snapshot.context.letter,
    smsSentOn: snapshot.context.smsSentOn,
    next: snapshot.status === 'done' ? undefined : deadlineView(),
    version: version(),
  });
  const deadlineView = () => {
    const d = nextDeadline(stage(), snapshot.context, calendar.calendar, Date.now(), { ageOut, reviews: reviewTimers });
    return { event: d.event.type, at: new Date(d.at).toISOString() };
  };
  const now = () => new Date(Date.now()).toISOString();
  const signal = (event: CaseEvent) => void inbox.push({ event, at: now() });

  setHandler(caseViewQuery, (options) => (options?.journal ? { ...state(), journal, journalFrom } : state()));
  // Asked before anything is recorded: first whether the request is too big to record (oversizeOf), then whether it makes sense now.
  const refusalNow = (request: CaseRequest) => oversizeOf(request) ?? refusalOf(snapshot, request);
  setHandler(refusalQuery, (request) => refusalNow(request) ?? null);
  // Queries are not in the history: a new one replays every recorded history unchanged.
  setHandler(refusalsQuery, (requests) => requests.map((request) => refusalNow(request) ?? null));

  /** A caseworker action: refused up front by its validator, then applied in turn by the main loop, which reports back. */
  const accept = <T extends CaseAction['type']>(update: UpdateDefinition<CaseState, [ActionArgs<T>]>, type: T) =>
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
        return state();
      },
      {
        validator: (action) => {
          const stale = versionRefusal(action.ifVersion, version());
          if (stale) throw ApplicationFailure.create({ type: CASE_CHANGED, message: stale, nonRetryable: true });
          const refusal = refusalNow({ ...action, type } as CaseAction);
          if (refusal) throw new Error(refusal);
        },
      },
    );
  // Every caseworker action of the contract, each by its own Update.
  for (const type of Object.keys(ACTION_UPDATES) as CaseAction['type'][])
    accept(ACTION_UPDATES[type] as UpdateDefinition<CaseState, [ActionArgs<typeof type>]>, type);
  setHandler(lettersSentSignal, (e) => signal({ type: 'LETTERS_SENT', ...e }));
  setHandler(smsSentSignal, (e) => signal({ type: 'SMS_SENT', ...e }));
  // A signal no history before the second SMS holds: handling it changes no command of theirs.
  setHandler(secondSmsSentSignal, (e) => signal({ type: 'SECOND_SMS_SENT', ...e }));
  setHandler(letterReturnedSignal, (e) => signal({ type: 'LETTER_RETURNED', ...e }));
  setHandler(crosscheckMatchedSignal, (e) => signal({ type: 'CROSSCHECK_MATCHED', ...e }));
  // New with the return to VIGO; no patch: a history recorded before it holds no such signal, so it replays unchanged.
  setHandler(returnedToVigoSignal, (e) => signal({ type: 'RETURNED_TO_VIGO', ...e }));
  // New with the call moves' journal; no patch, for the same reason: no recorded history holds the signal.
  setHandler(callMovedSignal, (e) => signal({ type: 'CALL_MOVED', ...e }));
  setHandler(calendarChangedSignal, (next) => {
    // A signal cannot be refused: a calendar the case cannot follow (a direct Temporal client's, or a broken
    // one) is left aside and the case keeps its plan. Histories recorded before this check took whatever
    // came, and replay as they ran; the marker is written only when a calendar is left aside.
    const problem = calendarChange().calendarChangeProblem(next);
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
    // A plan's reviews are new timers: only a case with a plan waits on them, and the marker goes in its history when
    // it first does, so every history recorded before plans (none has one) replays exactly as it ran.
    if (!reviewTimers && snapshot.context.plan !== undefined) reviewTimers = patched('follow-up-plans');
    const deadline = nextDeadline(stage(), snapshot.context, calendar.calendar, Date.now(), { ageOut, reviews: reviewTimers });
    if (inbox.length === 0 && !replan && deadline.at > Date.now()) {
      await condition(() => inbox.length > 0 || replan, deadline.at - Date.now());
    }
    if (replan) {
      replan = false;
      continue;
    }
    const pending: Pending = inbox.shift() ?? { event: deadline.event, at: now() };
    // A mailing chooses its cases from the read model, which may not yet show a claim or a reply the case took just before:
    // the letter went all the same. Past the letter stages the machine records it as late; a history recorded before
    // took no notice of it, and gets no marker: it replays as it ran.
    if (pending.event.type === 'LETTERS_SENT' && !BEFORE_LETTER_STAGES.includes(stage()) && patched('letter-after-claim')) {
      pending.event = { ...pending.event, late: true };
    }

    // An update validated against an older state may no longer fit once the events before it have run,
    // and one based on a version of the case that another update has just changed is refused as stale.
    const stale = pending.id !== undefined ? versionRefusal((pending.event as CaseAction).ifVersion, version()) : undefined;
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
      // The version, not the entries: each was projected (awaited above) before the case got here. The command's input
      // is not compared on replay (only that a continue-as-new comes), so a history that continued with the journal replays.
      await continueAsNew<typeof youthCase>({
        case: args.case,
        calendar,
        resume: { value: snapshot.value, context: snapshot.context, version: version(), seqBase: seqBase + workflowInfo().historyLength },
      });
    }
  }
  // An update accepted just before the year ended finds the case closed.
  for (const pending of inbox.splice(0)) if (pending.id !== undefined) outcomes.set(pending.id, 'the case is closed: its school year has ended');
  await condition(() => outcomes.size === 0);
  return state();
}

function searchAttributesChanged(a: CaseView, b: CaseView): boolean {
  return a.unit !== b.unit || a.otStatus !== b.otStatus || a.stage !== b.stage || a.caseworker !== b.caseworker;
}
