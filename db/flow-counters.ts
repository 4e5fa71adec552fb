import type { Pool } from 'pg';
import type { FlowCounters } from '../domain/flow-counters';
import { BEFORE_LETTER_STAGES, UNREACHED_AFTER_LETTER_STAGES } from '../workflows/youth-case/machine';

const happened = (event: string) => `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.event = '${event}')`;

/**
 * What each counter that counts cases means, as a condition on a case `c` of the cohort (the read model
 * and its journal). $2 is the stages before the letter, $3 the stages still unreached after it.
 */
const CASE_COUNTS = {
  osBefore: 'true',
  // Still waiting for the letter, or the letter fell due: those the standard letter is for.
  osAfterWashing: `c.stage = ANY($2) OR ${happened('LETTER_DUE')}`,
  otukAfterLetters: happened('SMS_DUE'),
  smsSent: happened('SMS_SENT'),
  secondSmsSent: happened('SECOND_SMS_SENT'),
  noMobile: `c.sms = 'noMobile' AND c.stage = ANY($3)`,
  otukNow: `c.ot_status = 'OTUK'`,
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

/** The counters that count what happened, per unit of the cohort (units with no case are absent). */
export async function countedPerUnit(pool: Pool, schoolYear: number): Promise<Record<string, Pick<FlowCounters, Counted>>> {
  const units: Record<string, Pick<FlowCounters, Counted>> = {};
  const cases = await pool.query(`SELECT c.unit, ${select(CASE_COUNTS)} FROM cases c WHERE c.school_year = $1 GROUP BY c.unit`, [
    schoolYear,
    BEFORE_LETTER_STAGES,
    UNREACHED_AFTER_LETTER_STAGES,
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
