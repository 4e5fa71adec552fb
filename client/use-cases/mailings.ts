import type { Client } from '@temporalio/client';
import type { Config } from '../../schemas/config';
import { mailingWorkflowId, type MailingRequest, type MailingResult } from '../../workflows/contracts/mass-operations';
import { executeOrJoin } from './run-workflow';

/** One workflow per mailing: confirming it again while it runs joins that run; afterwards it finds the mailing done. */
export async function confirmMailing(deps: { client: Client; config: Config }, req: MailingRequest): Promise<MailingResult> {
  return executeOrJoin(deps, 'mailingConfirm', mailingWorkflowId(req), [req]);
}

/**
 * The office sent the unit's exported SMS: the first SMS's messages and the second round's (each a mailing of its own
 * kind, as a case is in one mailing of each). `second` only when the export held messages of the second round.
 */
export async function confirmSmsSent(
  deps: { client: Client; config: Config },
  req: Omit<MailingRequest, 'kind' | 'osCode'>,
): Promise<MailingResult & { second?: MailingResult }> {
  const first = await confirmMailing(deps, { ...req, kind: 'sms' });
  const second = await confirmMailing(deps, { ...req, kind: 'sms2' });
  return second.cases > 0 ? { ...first, second } : first;
}
