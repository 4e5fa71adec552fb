import type { Pool } from 'pg';
import type { CohortCounters } from '../../schemas/api/figures';
import { otukAt } from '../../db/case-status-at';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { countedPerUnit } from '../../db/flow-counters';
import { storedSnapshot } from '../../db/report-snapshots';
import { blankCounters, OTUK_MOMENTS, sumCounters, type FlowCounters } from '../../domain/flow-counters';
import { replyOverdueCutoff, replyOverdueSetting } from '../../domain/staff-deadlines';

export type { CohortCounters };

/**
 * The flowchart's counters of a cohort, from the journal and the mailings: counts of what happened,
 * and OTUK at the calendar's moments that have passed (the start of the autumn phone campaign, the
 * end of each campaign) read back from the cases' history.
 */
export async function flowCounters(pool: Pool, schoolYear: number, unitCodes: readonly string[], now = Date.now()): Promise<CohortCounters> {
  const { calendar } = await readCohortCalendar(pool, schoolYear);
  const units: Record<string, FlowCounters> = {};
  for (const u of unitCodes) units[u] = blankCounters();
  const unit = (code: string) => (units[code] ??= blankCounters());
  const replyCutoff = replyOverdueCutoff(now, replyOverdueSetting(calendar));
  for (const [code, counts] of Object.entries(await countedPerUnit(pool, schoolYear, now, replyCutoff))) Object.assign(unit(code), counts);

  const moments = (Object.entries(OTUK_MOMENTS) as [keyof typeof OTUK_MOMENTS, (typeof OTUK_MOMENTS)[keyof typeof OTUK_MOMENTS]][])
    .map(([key, momentOf]) => [key, momentOf(calendar)] as const)
    .filter(([, at]) => at <= now);
  if (moments.length) {
    // A moment passed counts zero for a unit with no OTUK then, not null.
    for (const [key] of moments) for (const u of Object.values(units)) u[key] = 0;
    const counts = await otukAt(
      pool,
      schoolYear,
      moments.map(([, at]) => new Date(at)),
    );
    for (const c of counts) unit(c.unit)[moments.find(([, at]) => at === c.at.getTime())![0]] = c.otuk;
  }
  const counted = await storedSnapshot(pool, schoolYear, 'otukCount');
  if (counted) for (const [code, u] of Object.entries(units)) u.otukCounted = counted.counts.units[code]?.byCode.OTUK ?? 0;

  return { county: sumCounters(Object.values(units)), units };
}
