import type { Pool } from 'pg';
import { snapshotAt, storedSnapshots, type ReportSnapshot } from '../../db/report-snapshots';
import { reportTable } from '../../domain/report-table';
import type { OtUnit } from '../../schemas/units';
import { isCampaignMoment } from '../../schemas/calendar';
import { instantOf } from '../../workflows/calendar';
import { writeListFiles } from '../../domain/list-files';

export class ReportError extends Error {
  constructor(
    message: string,
    readonly kind: 'badMoment' | 'ahead',
  ) {
    super(message);
  }
}

/**
 * The report for a moment: the stored snapshot taken for it, if one was, else counts made now from the
 * cases' journal (and not stored). A moment still ahead has no report.
 */
export async function reportAt(pool: Pool, schoolYear: number, asOf: string, units: readonly OtUnit[], now = Date.now()): Promise<ReportSnapshot> {
  if (!isCampaignMoment(asOf)) {
    throw new ReportError(
      'the moment must be a date such as 2026-11-15 (its start, Oslo time), or a date and time such as 2026-11-15T12:00',
      'badMoment',
    );
  }
  const at = instantOf(asOf);
  if (at > now) throw new ReportError(`${asOf} is still ahead: a report can only be made for a moment that has passed`, 'ahead');
  const stored = (await storedSnapshots(pool, schoolYear)).find((s) => new Date(s.asOf).getTime() === at);
  return (
    stored ??
    snapshotAt(
      pool,
      schoolYear,
      new Date(at),
      units.map((u) => u.code),
    )
  );
}

/** The report as CSV and XLSX: counts per unit, per UDIR group and per code. */
export async function writeReportFiles(basePath: string, snapshot: ReportSnapshot, units: readonly OtUnit[]) {
  const { columns, rows } = reportTable(snapshot.counts, units);
  return writeListFiles(basePath, `OT ${snapshot.schoolYear} ${snapshot.asOf.slice(0, 10)}`, columns, rows);
}
