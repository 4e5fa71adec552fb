import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { PROJECT_ROOT } from '../domain/project-root';

const migrationsDir = () => path.join(PROJECT_ROOT, 'db', 'migrations');

export function knownMigrations(): string[] {
  return readdirSync(migrationsDir())
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Applies each migration not yet applied, each in its own transaction, one migrator at a time. */
export async function migrate(pool: Pool): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(4711)');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
    for (const name of knownMigrations()) {
      if (done.has(name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(path.join(migrationsDir(), name), 'utf8'));
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        await client.query('COMMIT');
        applied.push(name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(4711)').catch(() => undefined);
    client.release();
  }
  return applied;
}

export async function pendingMigrations(pool: Pool): Promise<string[]> {
  const exists = await pool.query(`SELECT to_regclass('schema_migrations') AS t`);
  if (!exists.rows[0].t) return knownMigrations();
  const done = new Set((await pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
  return knownMigrations().filter((m) => !done.has(m));
}
