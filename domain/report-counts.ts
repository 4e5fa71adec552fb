import { AGED_OUT_STATUS, OS_CODES, otGroupOf, type OtStatusCode } from '../schemas/ot-codes';

/** UDIR's groups 1–5, and the cases still holding an OS code (never recoded: no letter confirmed yet). */
export const REPORT_GROUPS = ['1', '2', '3', '4', '5', 'OS'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export interface StatusCounts {
  total: number;
  byGroup: Record<ReportGroup, number>;
  /** Only the codes that occur. */
  byCode: Record<string, number>;
}

export interface SnapshotCounts {
  county: StatusCounts;
  /** Every configured unit, with zeros where it has no case, and any other unit a case is in. */
  units: Record<string, StatusCounts>;
}

export function groupOf(status: string): ReportGroup {
  if ((OS_CODES as readonly string[]).includes(status)) return 'OS';
  // Past the age limit: registered, but no longer in the target group.
  if (status === AGED_OUT_STATUS) return '5';
  return String(otGroupOf(status as OtStatusCode)) as ReportGroup;
}

const empty = (): StatusCounts => ({
  total: 0,
  byGroup: Object.fromEntries(REPORT_GROUPS.map((g) => [g, 0])) as Record<ReportGroup, number>,
  byCode: {},
});

function add(counts: StatusCounts, status: string, group: ReportGroup): void {
  counts.total += 1;
  counts.byGroup[group] += 1;
  counts.byCode[status] = (counts.byCode[status] ?? 0) + 1;
}

/** Counts of a snapshot's cases per unit, per code and per group, and for the county. */
export function countStatuses(rows: readonly { unit: string; status: string }[], unitCodes: readonly string[]): SnapshotCounts {
  const units: Record<string, StatusCounts> = Object.fromEntries(unitCodes.map((u) => [u, empty()]));
  const county = empty();
  for (const row of rows) {
    const group = groupOf(row.status);
    add((units[row.unit] ??= empty()), row.status, group);
    add(county, row.status, group);
  }
  return { county, units };
}
