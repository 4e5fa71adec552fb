import type { Client } from '@temporalio/client';
import type { Config } from '../../schemas/config';
import { mailingWorkflowId, type MailingRequest, type MailingResult } from '../../workflows/contracts/mass-operations';
import { executeOrJoin } from './run-workflow';

/** One workflow per mailing: confirming it again while it runs joins that run; afterwards it finds the mailing done. */
export async function confirmMailing(deps: { client: Client; config: Config }, req: MailingRequest): Promise<MailingResult> {
  return executeOrJoin(deps, 'mailingConfirm', mailingWorkflowId(req), [req]);
}
