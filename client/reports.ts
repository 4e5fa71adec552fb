import type { Pool } from 'pg';
import { snapshotAt, storedSnapshots, type ReportSnapshot } from '../db/report-snapshots';
import { REPORT_GROUPS, type StatusCounts } from '../domain/report-counts';
import { OS_CODES, OT_STATUS_CODES } from '../schemas/ot-codes';
import type { OtUnit } from '../schemas/units';
import { isCampaignMoment } from '../schemas/calendar';
import { instantOf } from '../workflows/calendar';
import { writeListFiles, type ListColumn } from './list-files';

export class ReportError extends Error {
  constructor(message: string, readonly kind: 'badMoment' | 'ahead') {
    super(message);
  }
}

/**
 * The report for a moment: the stored snapshot taken for it, if one was, else counts made now from the
 * cases' journal (and not stored). A moment still ahead has no report.
 */
export async function reportAt(pool: Pool, schoolYear: number, asOf: string, units: readonly OtUnit[], now = Date.now()): Promise<ReportSnapshot> {
  if (!isCampaignMoment(asOf)) {
    throw new ReportError('the moment must be a date such as 2026-11-15 (its start, Oslo time), or a date and time such as 2026-11-15T12:00', 'badMoment');
  }
  const at = instantOf(asOf);
  if (at > now) throw new ReportError(`${asOf} is still ahead: a report can only be made for a moment that has passed`, 'ahead');
  const stored = (await storedSnapshots(pool, schoolYear)).find((s) => new Date(s.asOf).getTime() === at);
  return stored ?? snapshotAt(pool, schoolYear, new Date(at), units.map((u) => u.code));
}

export interface ReportRow {
  unit: string;
  unitName: string;
  counts: StatusCounts;
}

/** One row per unit, then the county: the table the report files and the CLI show. */
export function reportRows(snapshot: ReportSnapshot, units: readonly OtUnit[]): ReportRow[] {
  const name = (code: string) => units.find((u) => u.code === code)?.name ?? '';
  return [
    ...Object.entries(snapshot.counts.units).map(([unit, counts]) => ({ unit, unitName: name(unit), counts })),
    { unit: 'county', unitName: 'All units', counts: snapshot.counts.county },
  ];
}

/** The codes that occur in the report, in UDIR's order (the OS codes last): the columns per code. */
export function reportCodes(snapshot: ReportSnapshot): string[] {
  return [...OT_STATUS_CODES, ...OS_CODES].filter((code) => snapshot.counts.county.byCode[code]);
}

/** The report as CSV and XLSX: counts per unit, per UDIR group and per code. */
export async function writeReportFiles(basePath: string, snapshot: ReportSnapshot, units: readonly OtUnit[]) {
  const columns: ListColumn<ReportRow>[] = [
    { header: 'unit', value: (r) => r.unit },
    { header: 'unit name', value: (r) => r.unitName, width: 30 },
    { header: 'total', value: (r) => r.counts.total },
    ...REPORT_GROUPS.map((g) => ({ header: g === 'OS' ? 'OS code (not recoded)' : `group ${g}`, value: (r: ReportRow) => r.counts.byGroup[g] })),
    ...reportCodes(snapshot).map((code) => ({ header: code, value: (r: ReportRow) => r.counts.byCode[code] ?? 0 })),
  ];
  return writeListFiles(basePath, `OT ${snapshot.schoolYear} ${snapshot.asOf.slice(0, 10)}`, columns, reportRows(snapshot, units));
}
