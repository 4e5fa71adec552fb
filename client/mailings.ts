import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { MailingRequest } from '../activities/mass-operations';
import type { Config } from '../schemas/config';
import type { mailingConfirm, MailingResult } from '../workflows/mass-operations';

/** One workflow per mailing: confirming it again while it runs joins that run; afterwards it finds the mailing done. */
export async function confirmMailing(deps: { client: Client; config: Config }, req: MailingRequest): Promise<MailingResult> {
  const workflowId = `mailing-${req.kind}-${req.schoolYear}-${req.unit}${req.osCode ? `-${req.osCode}` : ''}-${req.sentOn}`;
  try {
    return await deps.client.workflow.execute<typeof mailingConfirm>('mailingConfirm', { workflowId, taskQueue: deps.config.taskQueue, args: [req] });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return deps.client.workflow.getHandle<typeof mailingConfirm>(workflowId).result();
  }
}
