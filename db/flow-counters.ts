import type { Pool } from 'pg';
import type { FlowCounters } from '../domain/flow-counters';
import { endInstantOf } from '../workflows/calendar';
import { BEFORE_LETTER_STAGES } from '../workflows/youth-case/machine';
import { reachSql } from './case-reach';
import { stageAtSql } from './case-status-at';
import { readCohortCalendar } from './cohort-calendar';
import { AGED_OUT_STATUS } from '../schemas/ot-codes';
import { replyOverdue } from './staff-deadlines';

const happened = (event: string) => `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.event = '${event}')`;

/**
 * What each counter that counts cases means, as a condition on a case `c` of the cohort (the read model
 * and its journal). $2 is the stages before the letter, $3 when each OS code's washing ends (a JSON object of
 * code to instant), $4 now. A counter of a step counts what the cases went through, never where they stand now,
 * so it holds once its step is past: the year end, which closes every case, changes none but the "now" ones.
 * $5 is the moment before which a reply still waiting for an outcome was forwarded to be overdue now
 * (domain/staff-deadlines.ts).
 */
const CASE_COUNTS = {
  osBefore: 'true',
  // Those the standard letter is for: still waiting for it when their code's washing ended (what the caseworkers'
  // claims and the cross-check took out before then is the washing), read back from the journal; or their letter fell due.
  osAfterWashing: `${stageAtSql('LEAST(($3::jsonb ->> c.os_code)::timestamptz, $4::timestamptz)')} = ANY($2) OR ${happened('LETTER_DUE')}`,
  otukAfterLetters: happened('SMS_DUE'),
  smsSent: happened('SMS_SENT'),
  secondSmsSent: happened('SECOND_SMS_SENT'),
  // Taken off the SMS list for want of a mobile (kept on the row: a mobile found later does not undo it).
  noMobile: 'c.sms_without_mobile',
  otukNow: `c.ot_status = 'OTUK'`,
  // By the stage each case held in its year: at the year end, those carried over, kept apart.
  unreachedNow: `${reachSql()} = 'neverReached'`,
  awaitingOutcomeNow: `${reachSql()} = 'reachedNoOutcome'`,
  // The status stays past the year end, so the count does too.
  agedOut: `c.ot_status = '${AGED_OUT_STATUS}'`,
  // Set at import from last year's cohort (db/carry-over.ts): a flag of the case, so it never changes after.
  twoYearsRunning: `'inOtLastYear' = ANY(c.flags)`,
  repliesOverdue: replyOverdue('$5'),
  reviewsOverdue: `c.review_state = 'overdue'`,
} satisfies Partial<Record<keyof FlowCounters, string>>;

/** Letters in confirmed mailings, by recipient. */
const LETTER_COUNTS = {
  lettersToYouth: `l.recipient = 'youth'`,
  lettersToGuardians: `l.recipient <> 'youth'`,
} satisfies Partial<Record<keyof FlowCounters, string>>;

type Counted = keyof typeof CASE_COUNTS | keyof typeof LETTER_COUNTS;

const select = (table: Record<string, string>) =>
  Object.entries(table)
    .map(([key, condition]) => `count(*) FILTER (WHERE ${condition})::int AS "${key}"`)
    .join(',\n            ');

/**
 * The counters that count what happened, per unit of the cohort (units with no case are absent), as they stand at `now`.
 * `replyCutoff`: a reply forwarded before it and still waiting is overdue (by default 1970: none is, for callers that
 * do not count them).
 */
export async function countedPerUnit(
  pool: Pool,
  schoolYear: number,
  now = Date.now(),
  replyCutoff = 0,
): Promise<Record<string, Pick<FlowCounters, Counted>>> {
  const units: Record<string, Pick<FlowCounters, Counted>> = {};
  const { calendar } = await readCohortCalendar(pool, schoolYear);
  const washingEnds = Object.fromEntries(Object.entries(calendar.washing).map(([code, day]) => [code, new Date(endInstantOf(day)).toISOString()]));
  const cases = await pool.query(`SELECT c.unit, ${select(CASE_COUNTS)} FROM cases c WHERE c.school_year = $1 GROUP BY c.unit`, [
    schoolYear,
    BEFORE_LETTER_STAGES,
    JSON.stringify(washingEnds),
    new Date(now).toISOString(),
    new Date(replyCutoff),
  ]);
  const blank = () =>
    Object.fromEntries([...Object.keys(CASE_COUNTS), ...Object.keys(LETTER_COUNTS)].map((k) => [k, 0])) as Pick<FlowCounters, Counted>;
  for (const { unit, ...counts } of cases.rows) Object.assign((units[unit] ??= blank()), counts);
  const letters = await pool.query(
    `SELECT b.unit, ${select(LETTER_COUNTS)} FROM letters l JOIN letter_batches b USING (batch_id)
     WHERE b.school_year = $1 AND b.mailing_id IS NOT NULL GROUP BY b.unit`,
    [schoolYear],
  );
  for (const { unit, ...counts } of letters.rows) Object.assign((units[unit] ??= blank()), counts);
  return units;
}
