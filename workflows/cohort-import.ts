import { defineQuery, executeChild, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { CohortImportActivities } from '../activities/cohort-import';
import type { MassOperationActivities } from '../activities/mass-operations';
import { calendarBroadcast } from './mass-operations';
import type { ImportProgress, ImportSummary } from '../schemas/import-summary';

export interface CohortImportArgs {
  importId: string;
  schoolYear: number;
  pageSize?: number;
}

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

const { cohortCalendarVersion } = proxyActivities<MassOperationActivities>({
  startToCloseTimeout: '30 seconds',
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
      await executeChild(calendarBroadcast, { args: [{ schoolYear }], workflowId: `${workflowInfo().workflowId}-calendar-v${current}` });
    }
  }
  progress.phase = 'done';
  return summary;
}
