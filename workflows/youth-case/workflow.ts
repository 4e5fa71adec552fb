import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { initialTransition, transition } from 'xstate';
import type { CaseProjectionActivities } from '../../activities/case-projection';
import { instantOf, defaultCalendar } from '../calendar';
import { Caseworker } from '../search-attributes';
import { youthCaseMachine, type CaseContext, type CaseEvent, type CaseInput, type CaseStage } from './machine';
import { caseViewOf, searchAttributesOf, type CaseView } from './view';

export interface YouthCaseArgs {
  case: CaseInput;
  /** Set by continue-as-new: where the case stood, and the sequence numbers already used. */
  resume?: { stage: CaseStage; context: CaseContext; seqBase: number };
}

export const caseViewQuery = defineQuery<CaseView>('caseView');
/** The admissions office or NAV found an address: PostgreSQL has it, the case only learns that it exists. */
export const addressRegisteredSignal = defineSignal('addressRegistered');

const { projectCase } = proxyActivities<CaseProjectionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '1 minute' },
});

/** One youth's case for one school year; the machine decides, this function waits, records and projects. */
export async function youthCase(args: YouthCaseArgs): Promise<CaseView> {
  let snapshot = args.resume
    ? youthCaseMachine.resolveState({ value: args.resume.stage, context: args.resume.context })
    : initialTransition(youthCaseMachine, args.case)[0];
  const seqBase = args.resume?.seqBase ?? 0;
  const inbox: CaseEvent[] = [];
  const view = () => caseViewOf(snapshot.value as CaseStage, snapshot.context);

  setHandler(caseViewQuery, view);
  setHandler(addressRegisteredSignal, () => void inbox.push({ type: 'ADDRESS_REGISTERED' }));

  // The import computed this same first snapshot: it set the search attributes and staged the first projection.
  let projected = view();

  const schoolYearEnd = instantOf(defaultCalendar(args.case.schoolYear).schoolYearEnd);
  while (snapshot.status !== 'done') {
    const arrived = await condition(() => inbox.length > 0, Math.max(1, schoolYearEnd - Date.now()));
    const event: CaseEvent = arrived ? inbox.shift()! : { type: 'SCHOOL_YEAR_ENDED' };
    [snapshot] = transition(youthCaseMachine, snapshot, event);

    const next = view();
    if (JSON.stringify(next) !== JSON.stringify(projected)) {
      upsertSearchAttributes([...searchAttributesOf(next), ...(next.caseworker ? [] : [{ key: Caseworker, value: null }])]);
      await projectCase(next, seqBase + workflowInfo().historyLength);
      projected = next;
    }
    if (snapshot.status !== 'done' && inbox.length === 0 && workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof youthCase>({
        case: args.case,
        resume: { stage: snapshot.value as CaseStage, context: snapshot.context, seqBase: seqBase + workflowInfo().historyLength },
      });
    }
  }
  return view();
}
