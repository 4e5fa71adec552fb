import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { patched, proxyActivities, startChild } from '@temporalio/workflow';
import type { Mailing, MailingRequest, MassOperationActivities, SignalTally } from '../activities/mass-operations';
import type { OtStatusCode } from '../schemas/ot-codes';
import type { CrosscheckList } from '../schemas/crosscheck';
import { smsCampaign } from './sms-campaign';

export type MailingKind = 'letters' | 'sms';

const PAGE = 500;

const { closeMailing } = proxyActivities<MassOperationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds' },
});
const { signalMailingPage, broadcastCalendarPage, signalCrosscheck } = proxyActivities<MassOperationActivities>({
  startToCloseTimeout: '10 minutes',
  // A worker that dies mid-page is noticed within this; the page is retried and signals are idempotent in the cases.
  heartbeatTimeout: '20 seconds',
  retry: { maximumInterval: '30 seconds' },
});

export interface MailingResult extends Mailing, SignalTally {}

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
    await startChild(smsCampaign, {
      workflowId: `sms-campaign-${req.schoolYear}-${req.unit}-${req.sentOn}`,
      args: [{ schoolYear: req.schoolYear, unit: req.unit, lettersSentOn: req.sentOn }],
      // The campaign waits two weeks after the mailing, which is long over by then.
      parentClosePolicy: 'ABANDON',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** A changed calendar reaches every open case of the cohort; each case replans its next deadline. */
export async function calendarBroadcast({ schoolYear }: { schoolYear: number }): Promise<SignalTally> {
  const tally: SignalTally = { signalled: 0, closed: 0 };
  let after = '';
  for (;;) {
    const page = await broadcastCalendarPage(schoolYear, after, PAGE);
    tally.signalled += page.signalled;
    tally.closed += page.closed;
    if (!page.last) return tally;
    after = page.last;
  }
}

export interface CrosscheckArgs {
  schoolYear: number;
  list: CrosscheckList;
  status: OtStatusCode;
  caseIds: string[];
  /** Who ran the cross-check; absent in runs recorded before it was carried. */
  by?: string;
}

/** The admissions office's list matched these cases: each is told which code the list gives. */
export async function crosscheck(args: CrosscheckArgs): Promise<SignalTally> {
  const tally: SignalTally = { signalled: 0, closed: 0 };
  for (let i = 0; i < args.caseIds.length; i += PAGE) {
    const page = await signalCrosscheck(args.schoolYear, args.caseIds.slice(i, i + PAGE), { list: args.list, status: args.status, operator: args.by });
    tally.signalled += page.signalled;
    tally.closed += page.closed;
  }
  return tally;
}
