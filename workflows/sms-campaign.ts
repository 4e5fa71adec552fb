import { condition, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import {
  SECOND_SMS_STEP,
  smsCalendarChangedSignal,
  type SmsCampaignActivities,
  type SmsCampaignArgs,
  type SmsCampaignResult,
  type SmsStep,
} from './contracts/sms-campaign';

const PAGE = 200;

const { smsCampaignDue, secondSmsDue, smsCampaignCounts, smsNoMobileCount } = proxyActivities<SmsCampaignActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});
const { awaitSmsDue, sendSmsPage } = proxyActivities<SmsCampaignActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  // A gateway that is down is tried again and again; each message keeps its key, so none goes twice.
  retry: { maximumInterval: '2 minutes' },
});

/**
 * The SMS of a unit, two weeks (smsAfterLetters) after its letters went: every case still unknown with a
 * mobile gets the SMS once, through the gateway; those without a mobile are counted for the list. Where the
 * cohort's calendar has a second SMS (secondSmsAfterFirst), that long after the first those still unknown get
 * the second text, once each as well.
 */
export async function smsCampaign(args: SmsCampaignArgs): Promise<SmsCampaignResult> {
  // Set by a calendar change while the campaign sleeps (see waitUntil). Histories from before it never got the signal.
  let calendarChanged = false;
  setHandler(smsCalendarChangedSignal, () => void (calendarChanged = true));

  /**
   * Sleeps until the moment `dueAt` reads from the calendar, reading it again whenever it wakes. Woken by a
   * calendar change too (histories recorded before that slept the whole wait): an SMS moved earlier goes then.
   * The flag is cleared before the calendar is read, so a change that comes while it is read wakes the wait at once.
   */
  async function waitUntil(dueAt: () => Promise<number | null>, wakesOnChange: boolean): Promise<boolean> {
    for (;;) {
      calendarChanged = false;
      const due = await dueAt();
      if (due === null) return false;
      if (due <= Date.now()) return true;
      if (wakesOnChange) await condition(() => calendarChanged, due - Date.now());
      else await sleep(due - Date.now());
    }
  }

  /** One round: every page of the unit's cases that have this step's SMS due, each message once, ever. */
  async function sendRound(step: SmsStep | undefined): Promise<number> {
    let already = 0;
    let after = '';
    for (;;) {
      const page = await sendSmsPage({
        campaignId: workflowInfo().workflowId,
        schoolYear: args.schoolYear,
        unit: args.unit,
        after,
        pageSize: PAGE,
        by: args.by,
        ...(step ? { step } : {}),
      });
      already += page.already;
      if (!page.last) break;
      after = page.last;
    }
    return already;
  }

  if (args.step === SECOND_SMS_STEP) {
    // Run by hand: the second round now, to those still unknown whose first SMS went.
    const already = await sendRound(SECOND_SMS_STEP);
    const counts = await smsCampaignCounts(workflowInfo().workflowId, SECOND_SMS_STEP);
    return {
      sent: 0,
      queued: 0,
      failed: 0,
      already: 0,
      noMobile: await smsNoMobileCount(args.schoolYear, args.unit),
      lagging: 0,
      second: { ...counts, already },
    };
  }

  const lettersSentOn = args.lettersSentOn;
  if (lettersSentOn) {
    // The calendar may move while the campaign waits: look again when the wait is over.
    await waitUntil(() => smsCampaignDue(args.schoolYear, lettersSentOn), patched('sms-campaign-wakes-on-calendar'));
  }
  const lagging = await awaitSmsDue(args.schoolYear, args.unit, 60_000);
  const already = await sendRound(undefined);
  const total: SmsCampaignResult = {
    ...(await smsCampaignCounts(workflowInfo().workflowId)),
    already,
    noMobile: await smsNoMobileCount(args.schoolYear, args.unit),
    lagging,
  };
  // Histories recorded before the second round end here; a campaign run by hand sends the first round only.
  if (lettersSentOn && patched('second-sms-round')) {
    if (await waitUntil(() => secondSmsDue(args.schoolYear, lettersSentOn), true)) {
      const secondAlready = await sendRound(SECOND_SMS_STEP);
      total.second = { ...(await smsCampaignCounts(workflowInfo().workflowId, SECOND_SMS_STEP)), already: secondAlready };
    }
  }
  return total;
}
