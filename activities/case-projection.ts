import type { Pool, PoolClient } from 'pg';
import { syncCallList } from '../db/call-list';
import { inTransaction } from '../db/pool';
import { findUnit, type OtUnit } from '../schemas/units';
import type { CaseProjectionActivities } from '../workflows/contracts/youth-case';
import type { JournalEntry } from '../workflows/youth-case/journal';
import type { CaseView } from '../workflows/youth-case/view';

/**
 * The read model. A write carries the workflow's event sequence number; an older one never replaces a
 * newer one, and a retried one records its journal entry once. The call lists follow the case row.
 */
export function caseProjectionActivities(pool: Pool, units: OtUnit[]): CaseProjectionActivities {
  return {
    async projectCase(view: CaseView, seq: number, entry?: JournalEntry): Promise<void> {
      await inTransaction(pool, async (db) => {
        const written = await db.query(
          `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, caseworker, flags, sms, letter_returns, phone_campaign, seq, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
           ON CONFLICT (case_id) DO UPDATE SET
             unit = EXCLUDED.unit, os_code = EXCLUDED.os_code, ot_status = EXCLUDED.ot_status, stage = EXCLUDED.stage,
             caseworker = EXCLUDED.caseworker, flags = EXCLUDED.flags, sms = EXCLUDED.sms, letter_returns = EXCLUDED.letter_returns,
             phone_campaign = EXCLUDED.phone_campaign, seq = EXCLUDED.seq, updated_at = now()
           WHERE cases.seq < EXCLUDED.seq`,
          [
            view.caseId,
            view.schoolYear,
            view.unit,
            view.osCode,
            view.otStatus,
            view.stage,
            view.caseworker ?? null,
            view.flags,
            view.sms,
            view.letterReturns ?? 0,
            view.phoneCampaign ?? null,
            seq,
          ],
        );
        // A late write of an older state must not put the case back on a list it has left.
        if (written.rowCount) await syncCallList(db, view, findUnit(units, view.unit)?.staff ?? []);
        if (entry) {
          await db.query(
            `INSERT INTO case_events (case_id, seq, at, event, by_user, channel, note, detail, from_stage, from_status, to_stage, to_status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
            [
              view.caseId,
              seq,
              entry.at,
              entry.event,
              entry.by ?? null,
              entry.channel ?? null,
              entry.note ?? null,
              entry.detail ?? null,
              entry.from.stage,
              entry.from.status,
              entry.to.stage,
              entry.to.status,
            ],
          );
        }
      });
    },
  };
}

/** A new case's first row, written with the import's staging transaction; an existing row is left alone. */
export async function insertFirstViews(db: PoolClient, views: CaseView[]): Promise<void> {
  if (views.length === 0) return;
  await db.query(
    `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, caseworker, flags, seq)
     SELECT x.case_id, x.school_year, x.unit, x.os_code, x.ot_status, x.stage, x.caseworker,
            ARRAY(SELECT jsonb_array_elements_text(x.flags)), 0
     FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, school_year integer, unit text, os_code text, ot_status text,
       stage text, caseworker text, flags jsonb)
     ON CONFLICT (case_id) DO NOTHING`,
    [
      JSON.stringify(
        views.map((v) => ({
          case_id: v.caseId,
          school_year: v.schoolYear,
          unit: v.unit,
          os_code: v.osCode,
          ot_status: v.otStatus,
          stage: v.stage,
          caseworker: v.caseworker ?? null,
          flags: v.flags,
        })),
      ),
    ],
  );
}
