import type { Pool } from 'pg';
import { syncCallList } from '../db/call-list';
import { writeCaseRow, writeJournalEntry } from '../db/cases';
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
        const written = await writeCaseRow(db, view, seq);
        // A late write of an older state must not put the case back on a list it has left.
        if (written) await syncCallList(db, view, findUnit(units, view.unit)?.staff ?? []);
        if (entry) await writeJournalEntry(db, view.caseId, seq, entry);
      });
    },
  };
}
