import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { readCohortCalendar } from '../db/cohort-calendar';
import { inTransaction } from '../db/pool';
import { SMS_LIST_STAGES } from '../db/sms-messages';
import { forEachConcurrently } from '../domain/concurrently';
import type { OtStatusCode } from '../schemas/ot-codes';
import type { CrosscheckList } from '../schemas/crosscheck';
import {
  youthCaseWorkflowId,
  calendarChangedSignal,
  crosscheckMatchedSignal,
  lettersSentSignal,
  smsSentSignal,
} from '../workflows/contracts/youth-case';
import type { Mailing, MailingKind, MailingRequest, MassOperationActivities, SignalTally } from '../workflows/contracts/mass-operations';

export const SIGNAL_CONCURRENCY = 32;

/**
 * Who a mailing went to. Letters: the unit's cases due a standard letter for the OS code whose letter is
 * in a printed batch not yet confirmed. SMS: the still-unknown cases with the SMS due, on a call list or
 * not, whose message the outbox exported (a youth reached meanwhile gets no SMS, though the case still notes it as due).
 */
const DUE_IN: Record<MailingKind, string> = {
  letters: `c.stage = 'letterDue' AND c.os_code = $4 AND EXISTS (
    SELECT 1 FROM letters l JOIN letter_batches b USING (batch_id)
    WHERE l.case_id = c.case_id AND l.round = 0 AND l.recipient = 'youth' AND b.mailing_id IS NULL)`,
  sms: `c.sms = 'due' AND c.stage = ANY($6) AND $4 = ''
    AND EXISTS (SELECT 1 FROM sms_messages s WHERE s.case_id = c.case_id AND s.status = 'exported')`,
};

/** What confirming a mailing settles besides the cases: the printed batches it covers, or the exported messages it sent. */
const SETTLES: Record<MailingKind, string> = {
  letters: `UPDATE letter_batches b SET mailing_id = $1 FROM mailings m
    WHERE m.mailing_id = $1 AND b.school_year = m.school_year AND b.unit = m.unit AND b.os_code = m.os_code AND b.mailing_id IS NULL`,
  sms: `UPDATE sms_messages SET status = 'sent', sent_at = now(), status_at = now()
    WHERE status = 'exported' AND case_id IN (SELECT case_id FROM mailing_cases WHERE mailing_id = $1)`,
};

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
      return inTransaction(pool, async (db) => {
        const inserted = await db.query(
          `INSERT INTO mailings (mailing_id, kind, school_year, unit, os_code, sent_on, confirmed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (kind, school_year, unit, os_code, sent_on) DO NOTHING RETURNING mailing_id, created_at`,
          [randomUUID(), req.kind, req.schoolYear, req.unit, req.osCode ?? '', req.sentOn, req.by],
        );
        const firstConfirmation = inserted.rowCount === 1;
        const { mailing_id: mailingId, created_at: createdAt } = firstConfirmation
          ? inserted.rows[0]
          : (
              await db.query(
                'SELECT mailing_id, created_at FROM mailings WHERE kind = $1 AND school_year = $2 AND unit = $3 AND os_code = $4 AND sent_on = $5',
                [req.kind, req.schoolYear, req.unit, req.osCode ?? '', req.sentOn],
              )
            ).rows[0];
        if (firstConfirmation) {
          await db.query(
            `INSERT INTO mailing_cases (mailing_id, case_id)
             SELECT $1, c.case_id FROM cases c
             WHERE c.school_year = $2 AND c.unit = $3 AND ${DUE_IN[req.kind]}
               AND NOT EXISTS (SELECT 1 FROM mailing_cases mc JOIN mailings m USING (mailing_id) WHERE mc.case_id = c.case_id AND m.kind = $5)`,
            [mailingId, req.schoolYear, req.unit, req.osCode ?? '', req.kind, ...(req.kind === 'sms' ? [SMS_LIST_STAGES] : [])],
          );
        }
        const n = await db.query<{ n: string }>('SELECT count(*) AS n FROM mailing_cases WHERE mailing_id = $1', [mailingId]);
        if (firstConfirmation && n.rows[0].n === '0') {
          // Confirmed before anyone was due: keep no empty mailing that would swallow the real confirmation.
          await db.query('DELETE FROM mailings WHERE mailing_id = $1', [mailingId]);
          return { mailingId: '', cases: 0, confirmedAt: new Date().toISOString(), firstConfirmation: true };
        }
        if (firstConfirmation) await db.query(SETTLES[req.kind], [mailingId]);
        return { mailingId, cases: Number(n.rows[0].n), confirmedAt: createdAt.toISOString(), firstConfirmation };
      });
    },

    /** Tells the next page of a mailing's cases that it went; returns how many are left. */
    async signalMailingPage(mailingId: string, pageSize: number): Promise<SignalTally & { remaining: number }> {
      const m = await pool.query('SELECT kind, school_year, sent_on, confirmed_by FROM mailings WHERE mailing_id = $1', [mailingId]);
      const { kind, school_year: schoolYear, sent_on: sentOn, confirmed_by: operator } = m.rows[0];
      const page = await pool.query<{ case_id: string }>(
        'SELECT case_id FROM mailing_cases WHERE mailing_id = $1 AND NOT signalled ORDER BY case_id LIMIT $2',
        [mailingId, pageSize],
      );
      const ids = page.rows.map((r) => r.case_id);
      const tally =
        kind === 'letters'
          ? await signalEach(client, schoolYear, ids, lettersSentSignal, { sentOn, batchId: mailingId, operator })
          : await signalEach(client, schoolYear, ids, smsSentSignal, { sentOn, operator });
      await pool.query('UPDATE mailing_cases SET signalled = true WHERE mailing_id = $1 AND case_id = ANY($2)', [mailingId, ids]);
      const left = await pool.query<{ n: string }>('SELECT count(*) AS n FROM mailing_cases WHERE mailing_id = $1 AND NOT signalled', [mailingId]);
      return { ...tally, remaining: Number(left.rows[0].n) };
    },

    /** Sends the cohort's current calendar to the next page of its open cases, in case id order after `after`. */
    async broadcastCalendarPage(schoolYear: number, after: string, pageSize: number): Promise<SignalTally & { last?: string }> {
      const calendar = await readCohortCalendar(pool, schoolYear);
      const page = await pool.query<{ case_id: string }>(
        `SELECT case_id FROM cases WHERE school_year = $1 AND stage <> 'closed' AND case_id > $2 ORDER BY case_id LIMIT $3`,
        [schoolYear, after, pageSize],
      );
      const ids = page.rows.map((r) => r.case_id);
      const tally = await signalEach(client, schoolYear, ids, calendarChangedSignal, { version: calendar.version, calendar: calendar.calendar });
      return { ...tally, last: ids[ids.length - 1] };
    },

    /** Tells matched cases that a cross-check list placed them out of the target group. */
    async signalCrosscheck(
      schoolYear: number,
      caseIds: string[],
      match: { list: CrosscheckList; status: OtStatusCode; operator?: string },
    ): Promise<SignalTally> {
      return signalEach(client, schoolYear, caseIds, crosscheckMatchedSignal, match);
    },

    async cohortCalendarVersion(schoolYear: number): Promise<number> {
      return (await readCohortCalendar(pool, schoolYear)).version;
    },
  };
}
