import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { markMobileWrong } from '../../db/persons';
import { inTransaction } from '../../db/pool';
import { caseActionOfCall } from '../../domain/call-results';
import type { CallRegistration } from '../../schemas/requests';
import type { CaseState } from '../../workflows/youth-case/view';
import { registerAction } from './case-actions';

export { callList, callListShares, type CallListRow } from '../../db/call-list';

/**
 * Registers a call on its case (see caseActionOfCall). A wrong number also marks the stored mobile, in a
 * transaction that commits only once the case has accepted the call.
 */
export async function registerCall(
  pool: Pool,
  client: Client,
  caseId: string,
  call: CallRegistration,
  by: { by: string; byUserId?: string },
): Promise<CaseState> {
  const action = caseActionOfCall(call, by);
  if (call.result !== 'wrongNumber') return registerAction(pool, client, caseId, action);
  return inTransaction(pool, async (db) => {
    await markMobileWrong(db, caseId);
    return registerAction(pool, client, caseId, action);
  });
}
