import type { Pool, PoolClient } from 'pg';
import { caseIdKeyFingerprint, caseIdKeyMismatch, CaseIdKeyError } from '../domain/case-id';

/** The fingerprint of the key the cases of this database were made with; undefined before the first import. */
export async function storedKeyFingerprint(db: Pool | PoolClient): Promise<string | undefined> {
  const r = await db.query<{ fingerprint: string }>('SELECT fingerprint FROM case_id_key');
  return r.rows[0]?.fingerprint;
}

/**
 * In the import's transaction, before any person is stored: the first import records its key's fingerprint, every later one
 * must have the same key. Of two first imports at once, one records and the other waits for it and then compares.
 */
export async function recordKeyFingerprint(db: PoolClient, key: string): Promise<void> {
  const held = caseIdKeyFingerprint(key);
  await db.query('INSERT INTO case_id_key (fingerprint) VALUES ($1) ON CONFLICT (only_row) DO NOTHING', [held]);
  const stored = await storedKeyFingerprint(db);
  if (stored !== held) throw new CaseIdKeyError(caseIdKeyMismatch(held, stored!));
}

/**
 * A process's key against the database's: throws CaseIdKeyError when they differ; nothing to compare before the first
 * import. Returns what `ot status` says.
 */
export async function verifyCaseIdKey(db: Pool | PoolClient, key: string): Promise<string> {
  const held = caseIdKeyFingerprint(key);
  const stored = await storedKeyFingerprint(db);
  if (stored === undefined) return `fingerprint ${held}; no import yet: the first one records it`;
  if (stored !== held) throw new CaseIdKeyError(caseIdKeyMismatch(held, stored));
  return `fingerprint ${held}, the key the cases were made with`;
}
