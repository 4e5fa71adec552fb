import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { ReportActivities, TakenSnapshot } from '../activities/reports';
import type { Report } from '../schemas/calendar';

export interface ReportSnapshotArgs {
  schoolYear: number;
  report: Report;
  /** How long after the moment to wait before reading the journal (absent: at once). */
  settleSeconds?: number;
}

const { reportMoment, takeReportSnapshot } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumInterval: '1 minute' },
});

/**
 * Started by the report's schedule at its moment: waits for the changes made just before it to reach
 * PostgreSQL, then stores every case's status at that moment, once.
 */
export async function reportSnapshot({ schoolYear, report, settleSeconds = 0 }: ReportSnapshotArgs): Promise<TakenSnapshot> {
  const at = await reportMoment(schoolYear, report);
  const wait = at + settleSeconds * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  return takeReportSnapshot(schoolYear, report, at, `schedule ${workflowInfo().workflowId}`);
}
