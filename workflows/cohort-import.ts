import { defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CohortImportActivities } from '../activities/cohort-import';
import type { ImportProgress, ImportSummary } from '../schemas/import-summary';

export interface CohortImportArgs {
  importId: string;
  pageSize?: number;
}

export const importProgressQuery = defineQuery<ImportProgress>('importProgress');

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
export async function cohortImport({ importId, pageSize = 500 }: CohortImportArgs): Promise<ImportSummary> {
  const progress: ImportProgress = { phase: 'staging', toStart: 0, started: 0 };
  setHandler(importProgressQuery, () => progress);

  const summary = await stageImport(importId);
  progress.phase = 'starting';
  progress.toStart = summary.refused ? 0 : summary.created + summary.existing;
  let remaining = progress.toStart;
  while (remaining > 0) {
    const page = await startCasesPage(importId, pageSize);
    progress.started += page.started;
    remaining = page.remaining;
  }
  progress.phase = 'done';
  return summary;
}
