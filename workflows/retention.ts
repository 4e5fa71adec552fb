import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RetentionActivities, RetentionArgs, RetentionResult } from './contracts/retention';

const PAGE = 200;

const { checkRetention, planRetention, eraseNamedPersons, eraseCohortRest, deleteRetentionFiles, purgeAuditRows, logRetention } =
  proxyActivities<RetentionActivities>({
    startToCloseTimeout: '10 minutes',
    retry: { maximumInterval: '1 minute', nonRetryableErrorTypes: ['RetentionRefused'] },
  });
const { eraseRetentionPage } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '10 minutes',
  // A worker that dies mid-page is noticed within this; each page is one transaction, so the next run starts where it stopped.
  heartbeatTimeout: '30 seconds',
  retry: { maximumInterval: '30 seconds' },
});

const sum = (a: Record<string, number>, b: Record<string, number>) => {
  for (const [k, v] of Object.entries(b)) a[k] = (a[k] ?? 0) + v;
  return a;
};

/**
 * Started by the cohort's retention schedule when its period ends, or by an operator (`ot retention run`, `ot person
 * erase`): checks that the law lets the data go, lists what goes, and (unless a dry run) erases it page by page and
 * logs the counts. Stored reports keep their counts.
 */
export async function retention(args: RetentionArgs): Promise<RetentionResult> {
  const kind = args.caseIds ? 'person' : 'cohort';
  let ends: string;
  try {
    ends = await checkRetention(args);
  } catch (err) {
    // The refusal's own message, as the workflow's failure, for the operator who asked.
    const cause = (err as { cause?: { message?: string } }).cause;
    throw ApplicationFailure.nonRetryable(cause?.message ?? (err as Error).message, 'RetentionRefused');
  }
  const plan = await planRetention(args);
  const result: RetentionResult = { schoolYear: args.schoolYear, kind, dryRun: args.dryRun, retentionEnds: ends, ...plan };
  if (args.dryRun) return result;

  const counts: Record<string, number> = {};
  if (args.caseIds) sum(counts, await eraseNamedPersons(args.caseIds));
  else {
    for (;;) {
      const page = await eraseRetentionPage(args.schoolYear, PAGE);
      sum(counts, page.counts);
      if (page.remaining === 0) break;
    }
    sum(counts, await eraseCohortRest(args.schoolYear));
  }
  const files = await deleteRetentionFiles(plan.files);
  const auditRows = await purgeAuditRows();
  await logRetention({
    schoolYear: args.schoolYear,
    kind,
    counts: { ...counts, audit_log: auditRows },
    files,
    by: args.by,
    workflowId: workflowInfo().workflowId,
  });
  return { ...result, counts, auditRows };
}
