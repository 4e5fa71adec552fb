import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { patched, proxyActivities, startChild } from '@temporalio/workflow';
import type {
  CalendarBroadcastArgs,
  CrosscheckArgs,
  MailingRequest,
  MailingResult,
  MassOperationActivities,
  SignalTally,
  VigoReturnArgs,
} from './contracts/mass-operations';
import type { ReportActivities } from './contracts/report-snapshot';
import { smsCampaignAfterLettersWorkflowId, type SmsCampaignWorkflow } from './contracts/sms-campaign';
import { WORKFLOW_TYPES } from './contracts/workflow-types';

const PAGE = 500;

const { closeMailing, wakeSmsCampaigns } = proxyActivities<MassOperationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds' },
});
const { signalMailingPage, broadcastCalendarPage, signalCrosscheck, signalVigoReturn } = proxyActivities<MassOperationActivities>({
  startToCloseTimeout: '10 minutes',
  // A worker that dies mid-page is noticed within this; the page is retried and signals are idempotent in the cases.
  heartbeatTimeout: '20 seconds',
  retry: { maximumInterval: '30 seconds' },
});

const { ensureReportSchedules } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * The office reports a unit's mailing sent ("letters to OT youth in unit 12250 with code OSON sent on
 * DATE"): the cases due in it are told, and the letters mailing recodes them to OTUK. Confirming the
 * same mailing again tells nobody anything new.
 */
export async function mailingConfirm(req: MailingRequest): Promise<MailingResult> {
  const mailing = await closeMailing(req);
  const tally: SignalTally = { signalled: 0, closed: 0 };
  while (mailing.cases > 0) {
    const page = await signalMailingPage(mailing.mailingId, PAGE);
    tally.signalled += page.signalled;
    tally.closed += page.closed;
    if (page.remaining === 0) break;
  }
  // Histories recorded before the SMS campaign existed end here.
  if (req.kind === 'letters' && mailing.firstConfirmation && mailing.cases > 0 && patched('sms-campaign-after-letters')) {
    await startSmsCampaign(req);
  }
  return { ...mailing, ...tally };
}

/** The unit's SMS campaign for letters sent that day; letters of two OS codes sent the same day share it. */
async function startSmsCampaign(req: MailingRequest): Promise<void> {
  try {
    await startChild<SmsCampaignWorkflow>(WORKFLOW_TYPES.smsCampaign, {
      workflowId: smsCampaignAfterLettersWorkflowId(req.schoolYear, req.unit, req.sentOn),
      args: [{ schoolYear: req.schoolYear, unit: req.unit, lettersSentOn: req.sentOn }],
      // The campaign waits two weeks after the mailing, which is long over by then.
      parentClosePolicy: 'ABANDON',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** A changed calendar reaches every open case of the cohort; each case replans its next deadline. */
export async function calendarBroadcast({ schoolYear }: CalendarBroadcastArgs): Promise<SignalTally> {
  const tally: SignalTally = { signalled: 0, closed: 0 };
  let after = '';
  for (;;) {
    const page = await broadcastCalendarPage(schoolYear, after, PAGE);
    tally.signalled += page.signalled;
    tally.closed += page.closed;
    if (!page.last) break;
    after = page.last;
  }
  // The report schedules follow the calendar's dates. Histories recorded before this step end without it.
  if (patched('report-schedules-step')) await ensureReportSchedules(schoolYear);
  // An SMS campaign asleep until its SMS is due reads the calendar again (histories recorded before this end without it).
  if (patched('wake-sms-campaigns')) await wakeSmsCampaigns(schoolYear);
  return tally;
}

/** The admissions office's list matched these cases: each is told which code the list gives. */
export async function crosscheck(args: CrosscheckArgs): Promise<SignalTally> {
  return signalInPages(args.caseIds, (caseIds) =>
    signalCrosscheck(args.schoolYear, caseIds, {
      list: args.list,
      status: args.status,
      operator: args.by,
      ...(args.byUserId ? { operatorUserId: args.byUserId } : {}),
    }),
  );
}

/** The office sent these cases back to VIGO: each is told, and journals it once. */
export async function vigoReturn(args: VigoReturnArgs): Promise<SignalTally> {
  return signalInPages(args.caseIds, (caseIds) =>
    signalVigoReturn(args.schoolYear, caseIds, {
      operator: args.by,
      ...(args.byUserId ? { operatorUserId: args.byUserId } : {}),
    }),
  );
}

/**
 * Tells the cases a page at a time, one activity after the other (the order a recorded history holds), and adds up
 * what each page says: the loop of every mass operation that is handed its case ids.
 */
async function signalInPages(caseIds: readonly string[], signalPage: (page: string[]) => Promise<SignalTally>): Promise<SignalTally> {
  const tally: SignalTally = { signalled: 0, closed: 0 };
  for (let i = 0; i < caseIds.length; i += PAGE) {
    const page = await signalPage(caseIds.slice(i, i + PAGE));
    tally.signalled += page.signalled;
    tally.closed += page.closed;
  }
  return tally;
}
