import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Pool } from 'pg';
import { readCohortCalendar } from '../db/cohort-calendar';
import { openCasesAfter } from '../db/cases';
import { closeMailing, letterMailingsOfYear, mailingOf, markSignalled, unsignalledCases } from '../db/mailings';
import { forEachConcurrently } from '../domain/concurrently';
import type { OtStatusCode } from '../schemas/ot-codes';
import type { CrosscheckList } from '../schemas/crosscheck';
import {
  youthCaseWorkflowId,
  calendarChangedSignal,
  crosscheckMatchedSignal,
  lettersSentSignal,
  returnedToVigoSignal,
  secondSmsSentSignal,
  smsSentSignal,
} from '../workflows/contracts/youth-case';
import type { Mailing, MailingRequest, MassOperationActivities, SignalTally } from '../workflows/contracts/mass-operations';
import { smsCalendarChangedSignal, smsCampaignAfterLettersWorkflowId } from '../workflows/contracts/sms-campaign';

export const SIGNAL_CONCURRENCY = 32;

async function signalEach<A extends unknown[]>(
  client: Client,
  schoolYear: number,
  caseIds: string[],
  signal: SignalDefinition<A>,
  ...args: A
): Promise<SignalTally> {
  const tally: SignalTally = { signalled: 0, closed: 0 };
  await forEachConcurrently(caseIds.length, SIGNAL_CONCURRENCY, async (i) => {
    try {
      await client.workflow.getHandle(youthCaseWorkflowId(schoolYear, caseIds[i])).signal(signal, ...args);
      tally.signalled++;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      tally.closed++;
    }
    Context.current().heartbeat(tally);
  });
  return tally;
}

/** Mass operations page through the read model and tell each case by a signal; each page is idempotent. */
export function massOperationActivities(pool: Pool, client: Client): MassOperationActivities {
  return {
    /** Fixes which cases a mailing holds: those due in it now. Confirming the same mailing again returns the same cases. */
    async closeMailing(req: MailingRequest): Promise<Mailing> {
      return closeMailing(pool, req);
    },

    /** Tells the next page of a mailing's cases that it went; returns how many are left. */
    async signalMailingPage(mailingId: string, pageSize: number): Promise<SignalTally & { remaining: number }> {
      const { kind, schoolYear, sentOn, operator, operatorUserId } = await mailingOf(pool, mailingId);
      const ids = await unsignalledCases(pool, mailingId, pageSize);
      const tally =
        kind === 'letters'
          ? await signalEach(client, schoolYear, ids, lettersSentSignal, { sentOn, batchId: mailingId, operator, operatorUserId })
          : await signalEach(client, schoolYear, ids, kind === 'sms2' ? secondSmsSentSignal : smsSentSignal, { sentOn, operator, operatorUserId });
      const remaining = await markSignalled(pool, mailingId, ids);
      return { ...tally, remaining };
    },

    /** Sends the cohort's current calendar to the next page of its open cases, in case id order after `after`. */
    async broadcastCalendarPage(schoolYear: number, after: string, pageSize: number): Promise<SignalTally & { last?: string }> {
      const calendar = await readCohortCalendar(pool, schoolYear);
      const ids = await openCasesAfter(pool, schoolYear, after, pageSize);
      const tally = await signalEach(client, schoolYear, ids, calendarChangedSignal, { version: calendar.version, calendar: calendar.calendar });
      return { ...tally, last: ids[ids.length - 1] };
    },

    /** Tells matched cases that a cross-check list placed them out of the target group. */
    async signalCrosscheck(
      schoolYear: number,
      caseIds: string[],
      match: { list: CrosscheckList; status: OtStatusCode; operator?: string; operatorUserId?: string },
    ): Promise<SignalTally> {
      return signalEach(client, schoolYear, caseIds, crosscheckMatchedSignal, match);
    },

    /** Tells cases that the office sent them back to VIGO. */
    async signalVigoReturn(schoolYear: number, caseIds: string[], by: { operator: string; operatorUserId?: string }): Promise<SignalTally> {
      return signalEach(client, schoolYear, caseIds, returnedToVigoSignal, by);
    },

    async cohortCalendarVersion(schoolYear: number): Promise<number> {
      return (await readCohortCalendar(pool, schoolYear)).version;
    },

    /** Each letters mailing has its SMS campaign; those already done (or never started) are not found, and that is all. */
    async wakeSmsCampaigns(schoolYear: number): Promise<SignalTally> {
      const tally: SignalTally = { signalled: 0, closed: 0 };
      for (const m of await letterMailingsOfYear(pool, schoolYear)) {
        try {
          await client.workflow.getHandle(smsCampaignAfterLettersWorkflowId(schoolYear, m.unit, m.sentOn)).signal(smsCalendarChangedSignal);
          tally.signalled++;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
          tally.closed++;
        }
        Context.current().heartbeat(tally);
      }
      return tally;
    },
  };
}
