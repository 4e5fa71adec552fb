import type { CohortImportWorkflow } from './cohort-import';
import type { CalendarBroadcastWorkflow, CrosscheckWorkflow, MailingConfirmWorkflow, VigoReturnWorkflow } from './mass-operations';
import type { ReportSnapshotWorkflow } from './report-snapshot';
import type { RetentionWorkflow } from './retention';
import type { SmsCampaignWorkflow } from './sms-campaign';
import type { YouthCaseWorkflow } from './youth-case';

/**
 * The name of each workflow type the worker registers: what a client starts and a schedule's action
 * names. worker/worker.ts checks at compile time that this map and workflows/index.ts name the same
 * workflows, so a wrong name fails the build instead of a schedule on its day.
 */
export const WORKFLOW_TYPES = {
  youthCase: 'youthCase',
  cohortImport: 'cohortImport',
  mailingConfirm: 'mailingConfirm',
  calendarBroadcast: 'calendarBroadcast',
  crosscheck: 'crosscheck',
  vigoReturn: 'vigoReturn',
  smsCampaign: 'smsCampaign',
  reportSnapshot: 'reportSnapshot',
  retention: 'retention',
} as const satisfies Record<string, string>;

export type WorkflowTypeName = keyof typeof WORKFLOW_TYPES;

/** Each workflow's signature, from its contract: the worker checks the registered workflows against it. */
export interface WorkflowSignatures {
  youthCase: YouthCaseWorkflow;
  cohortImport: CohortImportWorkflow;
  mailingConfirm: MailingConfirmWorkflow;
  calendarBroadcast: CalendarBroadcastWorkflow;
  crosscheck: CrosscheckWorkflow;
  vigoReturn: VigoReturnWorkflow;
  smsCampaign: SmsCampaignWorkflow;
  reportSnapshot: ReportSnapshotWorkflow;
  retention: RetentionWorkflow;
}
