import type { Pool, PoolClient } from 'pg';
import type { PostalAddress } from '../schemas/vigo-row';
import { displayName } from './person-name';

/** The school year and name of the person behind a case; undefined when no such case. */
export async function personOfCase(db: Pool | PoolClient, caseId: string): Promise<{ schoolYear: number; name: string } | undefined> {
  const r = await db.query<{ school_year: number; name: string }>(
    `SELECT p.school_year, ${displayName()} AS name FROM persons p WHERE p.case_id = $1`,
    [caseId],
  );
  return r.rows[0] ? { schoolYear: r.rows[0].school_year, name: r.rows[0].name } : undefined;
}

/** A new address takes first place; the old one moves to second place, so a letter that comes back from the new one can still go there. */
export async function storeNewAddress(db: PoolClient, caseId: string, address: PostalAddress): Promise<void> {
  await db.query('UPDATE persons SET address2 = COALESCE(address, address2), address = $2, partial_address = NULL WHERE case_id = $1', [
    caseId,
    address,
  ]);
}

/** A new mobile: the number it replaces stays on the call list as another number, unless a call found it wrong. */
export async function storeNewMobile(db: PoolClient, caseId: string, mobile: string): Promise<void> {
  await db.query(
    `UPDATE persons SET other_phones = CASE WHEN mobile IS NULL OR mobile = $2 OR mobile = ANY(other_phones) OR mobile_wrong THEN other_phones
                                           ELSE array_append(other_phones, mobile) END,
                        mobile = $2, mobile_wrong = false
     WHERE case_id = $1`,
    [caseId, mobile],
  );
}

/** A call found the mobile wrong: the SMS outbox no longer exports to it, and the call list marks it. */
export async function markMobileWrong(db: PoolClient, caseId: string): Promise<void> {
  await db.query('UPDATE persons SET mobile_wrong = true WHERE case_id = $1', [caseId]);
}
