import type { CallRegistration } from '../schemas/requests';
import type { CaseAction } from '../workflows/youth-case/machine';

/**
 * What a call is on its case: one that reached the youth is an outcome or a reply by phone, as the
 * caller heard it; one that did not (no answer, a wrong number) is a CALL the case keeps.
 */
export function caseActionOfCall(call: CallRegistration, by: { by: string; byUserId?: string }): CaseAction {
  const actor = { ...by, note: call.note };
  if (call.result !== 'reached') return { type: 'CALL', result: call.result, ...actor };
  return call.status
    ? { type: 'OUTCOME', status: call.status, channel: 'phone', ...actor }
    : { type: 'REPLY', channel: 'phone', forwardTo: call.forwardTo, ...actor };
}
