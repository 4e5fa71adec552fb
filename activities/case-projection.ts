import type { Pool } from 'pg';
import type { CaseView } from '../workflows/youth-case/view';

/** The read model. A write carries the workflow's event sequence number; an older one never replaces a newer one. */
export function caseProjectionActivities(pool: Pool) {
  return {
    async projectCase(view: CaseView, seq: number): Promise<void> {
      await pool.query(
        `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, caseworker, flags, seq, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
         ON CONFLICT (case_id) DO UPDATE SET
           unit = EXCLUDED.unit, os_code = EXCLUDED.os_code, ot_status = EXCLUDED.ot_status, stage = EXCLUDED.stage,
           caseworker = EXCLUDED.caseworker, flags = EXCLUDED.flags, seq = EXCLUDED.seq, updated_at = now()
         WHERE cases.seq < EXCLUDED.seq`,
        [view.caseId, view.schoolYear, view.unit, view.osCode, view.otStatus, view.stage, view.caseworker ?? null, view.flags, seq],
      );
    },
  };
}
export type CaseProjectionActivities = ReturnType<typeof caseProjectionActivities>;
