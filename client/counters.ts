import type { Pool } from 'pg';
import { otukAt } from '../db/case-status-at';
import { readCohortCalendar } from '../db/cohort-calendar';
import { storedSnapshot } from '../db/report-snapshots';
import { sumCounters, type FlowCounters } from '../domain/flow-counters';
import { endInstantOf, instantOf } from '../workflows/calendar';
import { UNKNOWN_STAGES, type CaseStage } from '../workflows/youth-case/machine';

/** Stages of a case still waiting for its letter: with the cases whose letter fell due, the youth the letter is for. */
const BEFORE_THE_LETTER: CaseStage[] = ['needsAddress', 'awaitingLetter', 'letterDue'];

export interface CohortCounters {
  county: FlowCounters;
  units: Record<string, FlowCounters>;
}

/**
 * The flowchart's counters of a cohort, from the journal and the mailings: counts of what happened,
 * and OTUK at the calendar's moments that have passed (the start of the autumn phone campaign, the
 * end of each campaign) read back from the cases' history.
 */
export async function flowCounters(pool: Pool, schoolYear: number, unitCodes: readonly string[], now = Date.now()): Promise<CohortCounters> {
  const { calendar } = await readCohortCalendar(pool, schoolYear);
  const units: Record<string, FlowCounters> = {};
  const blank = (): FlowCounters => ({
    osBefore: 0, osAfterWashing: 0, lettersToYouth: 0, lettersToGuardians: 0, otukAfterLetters: 0, smsSent: 0, noMobile: 0,
    otukAfterSms: null, otukCounted: null, otukAfterAutumnCampaign: null, otukAfterWinterCampaign: null, otukNow: 0,
  });
  for (const u of unitCodes) units[u] = blank();
  const unit = (code: string) => (units[code] ??= blank());

  const happened = (event: string) => `EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.event = '${event}')`;
  const cases = await pool.query(
    `SELECT c.unit, count(*) AS os_before,
            count(*) FILTER (WHERE c.stage = ANY($2) OR ${happened('LETTER_DUE')}) AS os_after_washing,
            count(*) FILTER (WHERE ${happened('SMS_DUE')}) AS otuk_after_letters,
            count(*) FILTER (WHERE ${happened('SMS_SENT')}) AS sms_sent,
            count(*) FILTER (WHERE c.sms = 'noMobile' AND c.stage = ANY($3)) AS no_mobile,
            count(*) FILTER (WHERE c.ot_status = 'OTUK') AS otuk_now
     FROM cases c WHERE c.school_year = $1 GROUP BY c.unit`,
    [schoolYear, BEFORE_THE_LETTER, UNKNOWN_STAGES],
  );
  for (const r of cases.rows) {
    Object.assign(unit(r.unit), {
      osBefore: Number(r.os_before), osAfterWashing: Number(r.os_after_washing), otukAfterLetters: Number(r.otuk_after_letters),
      smsSent: Number(r.sms_sent), noMobile: Number(r.no_mobile), otukNow: Number(r.otuk_now),
    });
  }
  const letters = await pool.query(
    `SELECT b.unit, count(*) FILTER (WHERE l.recipient = 'youth') AS youth, count(*) FILTER (WHERE l.recipient <> 'youth') AS guardians
     FROM letters l JOIN letter_batches b USING (batch_id) WHERE b.school_year = $1 AND b.mailing_id IS NOT NULL GROUP BY b.unit`,
    [schoolYear],
  );
  for (const r of letters.rows) Object.assign(unit(r.unit), { lettersToYouth: Number(r.youth), lettersToGuardians: Number(r.guardians) });

  const moments: [keyof FlowCounters, number][] = (
    [
      ['otukAfterSms', instantOf(calendar.phoneCampaigns.autumn.from)],
      ['otukAfterAutumnCampaign', endInstantOf(calendar.phoneCampaigns.autumn.until)],
      ['otukAfterWinterCampaign', endInstantOf(calendar.phoneCampaigns.winter.until)],
    ] as [keyof FlowCounters, number][]
  ).filter(([, at]) => at <= now);
  if (moments.length) {
    // A moment passed counts zero for a unit with no OTUK then, not null.
    for (const [key] of moments) for (const u of Object.values(units)) u[key] = 0;
    const counts = await otukAt(pool, schoolYear, moments.map(([, at]) => new Date(at)));
    for (const c of counts) {
      const [key] = moments.find(([, at]) => at === c.at.getTime())!;
      (unit(c.unit)[key] as number) = c.otuk;
    }
  }
  const counted = await storedSnapshot(pool, schoolYear, 'otukCount');
  if (counted) for (const [code, u] of Object.entries(units)) u.otukCounted = counted.counts.units[code]?.byCode.OTUK ?? 0;

  return { county: sumCounters(Object.values(units)), units };
}
