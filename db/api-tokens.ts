import type { Pool, PoolClient } from 'pg';
import type { Role } from '../schemas/roles';

type Db = Pool | PoolClient;

export interface ApiTokenRow {
  id: string;
  userId: string;
  name: string;
  role: Role;
  units: string[];
  createdAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
  lastUsedAt?: Date;
}

interface Raw {
  id: string;
  user_id: string;
  name: string;
  role: Role;
  units: string[];
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const token = (r: Raw): ApiTokenRow => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  role: r.role,
  units: r.units,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
  ...(r.last_used_at ? { lastUsedAt: r.last_used_at } : {}),
});

export async function insertApiToken(
  db: Db,
  t: { id: string; userId: string; name: string; tokenHash: string; role: Role; units: string[]; expiresAt: Date },
): Promise<ApiTokenRow> {
  const r = await db.query<Raw>(
    `INSERT INTO api_tokens (id, user_id, name, token_hash, role, units, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [t.id, t.userId, t.name, t.tokenHash, t.role, t.units, t.expiresAt],
  );
  return token(r.rows[0]);
}

/** The token of this hash if it still works: not expired, not revoked, its user enabled. Notes its use. */
export async function usableToken(db: Db, tokenHash: string): Promise<(ApiTokenRow & { username: string; displayName: string }) | undefined> {
  const r = await db.query<Raw & { username: string; display_name: string }>(
    `UPDATE api_tokens t SET last_used_at = now() FROM users u
      WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND t.expires_at > now() AND u.disabled_at IS NULL
      RETURNING t.*, u.username, u.display_name`,
    [tokenHash],
  );
  const row = r.rows[0];
  return row ? { ...token(row), username: row.username, displayName: row.display_name } : undefined;
}

export async function tokensOf(db: Db, userId?: string): Promise<ApiTokenRow[]> {
  const r = await db.query<Raw>(`SELECT * FROM api_tokens WHERE ($1::text IS NULL OR user_id = $1) ORDER BY created_at`, [userId ?? null]);
  return r.rows.map(token);
}

export async function revokeApiToken(db: Db, id: string): Promise<boolean> {
  const r = await db.query('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [id]);
  return Boolean(r.rowCount);
}
