import { executeChild, patched, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  importProgressQuery,
  type CohortImportActivities,
  type CohortImportArgs,
  type ImportProgress,
  type ImportSummary,
} from './contracts/cohort-import';
import { importCalendarBroadcastWorkflowId, type CalendarBroadcastWorkflow, type MassOperationActivities } from './contracts/mass-operations';
import { WORKFLOW_TYPES } from './contracts/workflow-types';
import type { ReportActivities } from './contracts/report-snapshot';

const { cohortCalendarVersion } = proxyActivities<MassOperationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});
const { ensureReportSchedules } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});
const { stageImport } = proxyActivities<CohortImportActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumInterval: '30 seconds' },
});
const { startCasesPage } = proxyActivities<CohortImportActivities>({
  startToCloseTimeout: '10 minutes',
  // A worker that dies mid-page is noticed within this, and the page is retried on another.
  heartbeatTimeout: '20 seconds',
  retry: { maximumInterval: '30 seconds' },
});

/** An uploaded VIGO transfer becomes staged people, then one started case workflow per accepted row, page by page. */
export async function cohortImport({ importId, schoolYear, pageSize = 500 }: CohortImportArgs): Promise<ImportSummary> {
  const progress: ImportProgress = { phase: 'staging', toStart: 0, started: 0 };
  setHandler(importProgressQuery, () => progress);

  const summary = await stageImport(importId);
  progress.phase = 'starting';
  progress.toStart = summary.refused ? 0 : summary.created + summary.existing;
  let remaining = progress.toStart;
  let firstCalendar: number | undefined;
  while (remaining > 0) {
    const page = await startCasesPage(importId, pageSize);
    firstCalendar ??= page.calendarVersion;
    progress.started += page.started;
    remaining = page.remaining;
  }
  // A calendar set while the pages ran may have missed cases started just before its broadcast: tell the cohort again.
  if (firstCalendar !== undefined) {
    const current = await cohortCalendarVersion(schoolYear);
    if (current !== firstCalendar) {
      await executeChild<CalendarBroadcastWorkflow>(WORKFLOW_TYPES.calendarBroadcast, {
        args: [{ schoolYear }],
        workflowId: importCalendarBroadcastWorkflowId(workflowInfo().workflowId, current),
      });
    }
  }
  // The cohort's cases are running: so must its reports be. Histories recorded before this step end without it.
  if (progress.toStart > 0 && patched('report-schedules-step')) await ensureReportSchedules(schoolYear);
  progress.phase = 'done';
  return summary;
}
