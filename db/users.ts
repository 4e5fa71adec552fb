import type { Pool, PoolClient } from 'pg';
import type { Role } from '../schemas/roles';
import type { ConsoleLanguage } from '../schemas/users';

type Db = Pool | PoolClient;

/** A user as the access layer sees it; the password hash is read only by the sign-in. */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  units: string[];
  disabled: boolean;
  lockedUntil?: Date;
  hasPassword: boolean;
  oidc: boolean;
  createdAt: Date;
}

const COLUMNS = `id, username, display_name, role, units, disabled_at, locked_until, password_hash IS NOT NULL AS has_password,
                 oidc_subject IS NOT NULL AS oidc, created_at`;

interface Raw {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  units: string[];
  disabled_at: Date | null;
  locked_until: Date | null;
  has_password: boolean;
  oidc: boolean;
  created_at: Date;
}

const user = (r: Raw): UserRow => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  units: r.units,
  disabled: r.disabled_at !== null,
  ...(r.locked_until ? { lockedUntil: r.locked_until } : {}),
  hasPassword: r.has_password,
  oidc: r.oidc,
  createdAt: r.created_at,
});

export async function insertUser(
  db: Db,
  u: { id: string; username: string; displayName: string; role: Role; units: string[]; passwordHash?: string },
): Promise<UserRow | undefined> {
  const r = await db.query<Raw>(
    `INSERT INTO users (id, username, display_name, role, units, password_hash, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END)
     ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
    [u.id, u.username, u.displayName, u.role, u.units, u.passwordHash ?? null],
  );
  return r.rows[0] ? user(r.rows[0]) : undefined;
}

export async function userByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  const r = await db.query<Raw>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  return r.rows[0] ? user(r.rows[0]) : undefined;
}

export async function userById(db: Db, id: string): Promise<UserRow | undefined> {
  const r = await db.query<Raw>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return r.rows[0] ? user(r.rows[0]) : undefined;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return (await db.query<Raw>(`SELECT ${COLUMNS} FROM users ORDER BY username`)).rows.map(user);
}

export async function countUsers(db: Db): Promise<number> {
  return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM users WHERE disabled_at IS NULL')).rows[0].n);
}

/** The stored argon2id hash of an enabled local account, for the sign-in to verify. */
export async function passwordHashOf(db: Db, username: string): Promise<{ id: string; hash: string; lockedUntil?: Date } | undefined> {
  const r = await db.query<{ id: string; password_hash: string; locked_until: Date | null }>(
    'SELECT id, password_hash, locked_until FROM users WHERE username = $1 AND disabled_at IS NULL AND password_hash IS NOT NULL',
    [username],
  );
  const row = r.rows[0];
  return row ? { id: row.id, hash: row.password_hash, ...(row.locked_until ? { lockedUntil: row.locked_until } : {}) } : undefined;
}

/**
 * Counts a wrong password in one statement (two wrong attempts at once both count), and locks the account
 * for `lockFor` once `maxFailures` are reached. Returns the lock, if it is now locked.
 */
export async function recordFailedSignIn(db: Db, id: string, maxFailures: number, lockForSeconds: number): Promise<Date | undefined> {
  const r = await db.query<{ locked_until: Date | null }>(
    `UPDATE users SET failed_sign_ins = failed_sign_ins + 1,
            locked_until = CASE WHEN failed_sign_ins + 1 >= $2 THEN now() + make_interval(secs => $3) ELSE locked_until END
      WHERE id = $1 RETURNING locked_until`,
    [id, maxFailures, lockForSeconds],
  );
  return r.rows[0]?.locked_until ?? undefined;
}

export async function recordSuccessfulSignIn(db: Db, id: string): Promise<void> {
  await db.query('UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1', [id]);
}

export async function setPassword(db: Db, id: string, passwordHash: string): Promise<boolean> {
  const r = await db.query(
    'UPDATE users SET password_hash = $2, password_changed_at = now(), failed_sign_ins = 0, locked_until = NULL WHERE id = $1',
    [id, passwordHash],
  );
  return Boolean(r.rowCount);
}

/** Disables an account and ends its sessions and tokens in one go: nothing it held keeps working. */
export async function disableUser(db: PoolClient, id: string): Promise<boolean> {
  const r = await db.query('UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1', [id]);
  await db.query('DELETE FROM sessions WHERE user_id = $1', [id]);
  await db.query('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1', [id]);
  return Boolean(r.rowCount);
}

/**
 * The account of someone who signed in through OpenID Connect: made on first sign-in, and its name, role
 * and units refreshed from the identity provider's claims every time (the provider is where they are kept).
 */
export async function upsertOidcUser(
  db: Db,
  u: { id: string; issuer: string; subject: string; displayName: string; role: Role; units: string[] },
): Promise<UserRow> {
  const r = await db.query<Raw>(
    `INSERT INTO users (id, username, display_name, role, units, oidc_issuer, oidc_subject)
     VALUES ($1, $2 || '|' || $3, $4, $5, $6, $2, $3)
     ON CONFLICT (oidc_issuer, oidc_subject) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role, units = EXCLUDED.units
     RETURNING ${COLUMNS}`,
    [u.id, u.issuer, u.subject, u.displayName, u.role, u.units],
  );
  return user(r.rows[0]);
}

/** The console's language of a user ('nn' or 'nb'). */
export async function languageOf(db: Db, id: string): Promise<ConsoleLanguage> {
  const r = await db.query<{ language: ConsoleLanguage }>('SELECT language FROM users WHERE id = $1', [id]);
  return r.rows[0]?.language ?? 'nn';
}

export async function setLanguage(db: Db, id: string, language: ConsoleLanguage): Promise<void> {
  await db.query('UPDATE users SET language = $2 WHERE id = $1', [id, language]);
}
