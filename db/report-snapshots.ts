import type { Pool, PoolClient } from 'pg';
import { countStatuses, type SnapshotCounts } from '../domain/report-counts';
import type { Report } from '../schemas/calendar';
import { statusesAt } from './case-status-at';
import { inTransaction } from './pool';

export interface ReportSnapshot {
  schoolYear: number;
  /** The report it was stored for; absent for one made for another moment and not stored. */
  report?: Report;
  /** The moment the statuses are for (ISO instant). */
  asOf: string;
  /** When it was stored, and by which schedule or person; absent when not stored. */
  takenAt?: string;
  takenBy?: string;
  counts: SnapshotCounts;
}

interface Row {
  school_year: number;
  report: Report;
  as_of: Date;
  taken_at: Date;
  taken_by: string;
  counts: SnapshotCounts;
}

const fromRow = (r: Row): ReportSnapshot => ({
  schoolYear: r.school_year,
  report: r.report,
  asOf: r.as_of.toISOString(),
  takenAt: r.taken_at.toISOString(),
  takenBy: r.taken_by,
  counts: r.counts,
});

export async function storedSnapshots(db: Pool | PoolClient, schoolYear: number): Promise<ReportSnapshot[]> {
  const r = await db.query<Row>('SELECT * FROM report_snapshots WHERE school_year = $1 ORDER BY as_of', [schoolYear]);
  return r.rows.map(fromRow);
}

/** The stored snapshot of a report, if taken. */
export async function storedSnapshot(db: Pool | PoolClient, schoolYear: number, report: Report): Promise<ReportSnapshot | undefined> {
  const r = await db.query<Row>('SELECT * FROM report_snapshots WHERE school_year = $1 AND report = $2', [schoolYear, report]);
  return r.rows[0] && fromRow(r.rows[0]);
}

/** Counts for any moment, read from the journal now and not stored. */
export async function snapshotAt(db: Pool | PoolClient, schoolYear: number, at: Date, unitCodes: readonly string[]): Promise<ReportSnapshot> {
  return { schoolYear, asOf: at.toISOString(), counts: countStatuses(await statusesAt(db, schoolYear, at), unitCodes) };
}

/**
 * Takes and stores a report's snapshot once: a second take (a retried activity, a schedule fired again
 * after a calendar change) finds the first and returns it unchanged.
 */
export async function takeSnapshot(
  pool: Pool,
  schoolYear: number,
  report: Report,
  at: Date,
  by: string,
  unitCodes: readonly string[],
): Promise<ReportSnapshot & { created: boolean }> {
  return inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`report:${schoolYear}:${report}`]);
    const existing = await storedSnapshot(db, schoolYear, report);
    if (existing) return { ...existing, created: false };
    const rows = await statusesAt(db, schoolYear, at);
    const snapshotId = `report-${schoolYear}-${report}`;
    const stored = await db.query<Row>(
      `INSERT INTO report_snapshots (snapshot_id, school_year, report, as_of, taken_by, counts) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [snapshotId, schoolYear, report, at, by, countStatuses(rows, unitCodes)],
    );
    await db.query(
      `INSERT INTO report_snapshot_cases (snapshot_id, case_id, unit, status)
       SELECT $1, x.case_id, x.unit, x.status FROM jsonb_to_recordset($2::jsonb) AS x(case_id text, unit text, status text)`,
      [snapshotId, JSON.stringify(rows.map((r) => ({ case_id: r.caseId, unit: r.unit, status: r.status })))],
    );
    return { ...fromRow(stored.rows[0]), created: true };
  });
}
