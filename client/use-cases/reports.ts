import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import type { StoredReport } from '../../schemas/api/figures';
import { readCohortCalendar } from '../../db/cohort-calendar';
import { snapshotAt, storedSnapshot, storedSnapshots, type ReportSnapshot } from '../../db/report-snapshots';
import { reportTable } from '../../domain/report-table';
import type { OtUnit } from '../../schemas/units';
import { isCampaignMoment, REPORTS, type Report } from '../../schemas/calendar';
import { instantOf, reportDate } from '../../workflows/calendar';
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

export type { StoredReport };

/** The year's four report moments, and which are stored: counts only, never a case. */
export async function storedReports(pool: Pool, schoolYear: number): Promise<StoredReport[]> {
  const stored = await storedSnapshots(pool, schoolYear);
  const { calendar } = await readCohortCalendar(pool, schoolYear);
  return REPORTS.map((report) => {
    const s = stored.find((x) => x.report === report);
    return {
      report,
      date: reportDate(calendar, report),
      stored: Boolean(s),
      ...(s ? { asOf: s.asOf, takenAt: s.takenAt, takenBy: s.takenBy, cases: s.counts.county.total, otuk: s.counts.county.byCode.OTUK ?? 0 } : {}),
    };
  });
}

/** A stored report as one file (XLSX or CSV), or undefined while it is not stored. */
export async function reportFile(
  pool: Pool,
  schoolYear: number,
  report: Report,
  format: 'xlsx' | 'csv',
  units: readonly OtUnit[],
): Promise<{ name: string; content: Buffer } | undefined> {
  const snapshot = await storedSnapshot(pool, schoolYear, report);
  if (!snapshot) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'ot-report-'));
  try {
    const name = `ot-rapport-${schoolYear}-${report}`;
    const files = await writeReportFiles(path.join(dir, name), snapshot, units);
    return { name: `${name}.${format}`, content: await readFile(files[format]) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
