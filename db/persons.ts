import type { Pool, PoolClient } from 'pg';
import { personKeyOf } from '../domain/case-id';
import type { PostalAddress } from '../schemas/vigo-row';
import type { CaseInput } from '../workflows/youth-case/machine';
import { displayName } from './person-name';

/** The school year and name of the person behind a case; undefined when no such case. */
export async function personOfCase(db: Pool | PoolClient, caseId: string): Promise<{ schoolYear: number; name: string } | undefined> {
  const r = await db.query<{ school_year: number; name: string }>(
    `SELECT p.school_year, ${displayName()} AS name FROM persons p WHERE p.case_id = $1`,
    [caseId],
  );
  return r.rows[0] ? { schoolYear: r.rows[0].school_year, name: r.rows[0].name } : undefined;
}

/**
 * The case ids of national ids in a school year's cohort, from the persons stored at import: how the API and the CLI find a
 * case by national id, with no need of the case-id key. National ids the cohort does not hold are absent.
 */
export async function caseIdsOfNationalIds(db: Pool | PoolClient, schoolYear: number, nationalIds: readonly string[]): Promise<Map<string, string>> {
  if (nationalIds.length === 0) return new Map();
  const r = await db.query<{ national_id: string; case_id: string }>(
    'SELECT national_id, case_id FROM persons WHERE school_year = $1 AND national_id = ANY($2::text[])',
    [schoolYear, [...new Set(nationalIds)]],
  );
  return new Map(r.rows.map((row) => [row.national_id, row.case_id]));
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

/** How many persons one statement keys: a page of a cohort, not the whole of it in one parameter. */
const KEY_PAGE = 1000;

/**
 * Gives a person key to each person of these school years stored before there was one (migration 020; 026 lets the
 * worker set it). The key is an HMAC under the case-id key, so it is computed here, never in SQL; a person who has one
 * keeps it. Returns how many were keyed: 0 once a cohort has been keyed, at the price of one look in an empty index.
 */
export async function fillPersonKeys(db: PoolClient, schoolYears: readonly number[], caseIdKey: string): Promise<number> {
  let keyed = 0;
  for (;;) {
    const page = await db.query<{ case_id: string; national_id: string }>(
      'SELECT case_id, national_id FROM persons WHERE person_key IS NULL AND school_year = ANY($1::int[]) ORDER BY case_id LIMIT $2',
      [schoolYears, KEY_PAGE],
    );
    if (page.rows.length === 0) return keyed;
    const keys = page.rows.map((r) => ({ case_id: r.case_id, person_key: personKeyOf(r.national_id, caseIdKey) }));
    const set = await db.query(
      `UPDATE persons p SET person_key = x.person_key FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, person_key text)
       WHERE p.case_id = x.case_id AND p.person_key IS NULL`,
      [JSON.stringify(keys)],
    );
    // None set (another transaction keyed them first): stop rather than read the same page again.
    if (!set.rowCount) return keyed;
    keyed += set.rowCount;
  }
}

/** Stores the people not stored yet (a known person keeps their row); returns the case ids of those it stored. */
export async function insertNewPersons(db: PoolClient, records: Record<string, unknown>[]): Promise<Set<string>> {
  const inserted = await db.query<{ case_id: string }>(
    `INSERT INTO persons (case_id, school_year, national_id, id_kind, birth_date, first_name, last_name, address, partial_address, address2, mobile, email, guardians, person_key)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, school_year integer, national_id text, id_kind text, birth_date date,
       first_name text, last_name text, address jsonb, partial_address jsonb, address2 jsonb, mobile text, email text, guardians jsonb, person_key text)
     ON CONFLICT DO NOTHING RETURNING case_id`,
    [JSON.stringify(records)],
  );
  return new Set(inserted.rows.map((r) => r.case_id));
}

/** Stored people with the case input they were first imported with (null before import rows kept it). */
export async function knownPersonsWithFirstInput<Row extends { case_id: string }>(
  db: PoolClient,
  caseIds: string[],
): Promise<(Row & { case_input: CaseInput | null })[]> {
  const r = await db.query(
    `SELECT p.*, (SELECT r.case_input FROM import_rows r WHERE r.case_id = p.case_id ORDER BY r.import_id LIMIT 1) AS case_input
     FROM persons p WHERE p.case_id = ANY($1)`,
    [caseIds],
  );
  return r.rows;
}
