import type { Pool } from 'pg';

/** The session rows behind the browser's cookie; keyed by the SHA-256 of the session id (see the migration). */

export async function saveSession(db: Pool, idHash: string, userId: string | null, data: unknown, expiresAt: Date): Promise<void> {
  await db.query(
    `INSERT INTO sessions (id_hash, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id_hash) DO UPDATE SET user_id = EXCLUDED.user_id, data = EXCLUDED.data, expires_at = EXCLUDED.expires_at, last_seen_at = now()`,
    [idHash, userId, JSON.stringify(data), expiresAt],
  );
}

/** The session's data while it has not expired; an expired one is gone. */
export async function loadSession(db: Pool, idHash: string): Promise<unknown> {
  const r = await db.query<{ data: unknown }>('SELECT data FROM sessions WHERE id_hash = $1 AND expires_at > now()', [idHash]);
  return r.rows[0]?.data;
}

export async function deleteSession(db: Pool, idHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE id_hash = $1 OR expires_at < now() - interval $$1 day$$', [idHash]);
}
