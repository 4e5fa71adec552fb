import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { SmsCampaignActivities, SmsCampaignArgs, SmsCampaignResult } from './contracts/sms-campaign';

const PAGE = 200;

const { smsCampaignDue, smsCampaignCounts, smsNoMobileCount } = proxyActivities<SmsCampaignActivities>({
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
 * mobile gets the SMS once, through the gateway; those without a mobile are counted for the list.
 */
export async function smsCampaign(args: SmsCampaignArgs): Promise<SmsCampaignResult> {
  if (args.lettersSentOn) {
    // The calendar may move while the campaign waits: look again when the wait is over.
    for (;;) {
      const due = await smsCampaignDue(args.schoolYear, args.lettersSentOn);
      if (due <= Date.now()) break;
      await sleep(due - Date.now());
    }
  }
  const lagging = await awaitSmsDue(args.schoolYear, args.unit, 60_000);
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
    });
    already += page.already;
    if (!page.last) break;
    after = page.last;
  }
  const total: SmsCampaignResult = {
    ...(await smsCampaignCounts(workflowInfo().workflowId)),
    already,
    noMobile: await smsNoMobileCount(args.schoolYear, args.unit),
    lagging,
  };
  return total;
}
