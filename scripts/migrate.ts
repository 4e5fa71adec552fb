import { migrate } from '../db/migrate';
import { createPool, ensureDatabase } from '../db/pool';
import { DEFAULT_DATABASE_URL, databaseUrlOf } from '../runtime/config';
import { logger } from '../runtime/log';

/**
 * `node dist/scripts/migrate.js`: creates the database OT_MIGRATION_DATABASE_URL (else DATABASE_URL) names
 * if the server lacks it, then applies the pending migrations as that URL's user, who owns the schema, and
 * exits. The one-shot `migrate` service of docker-compose.yml runs it before any worker or API starts
 * (`npm start` migrates by itself). It reads those two only: no case-id key or other configuration is
 * needed to migrate.
 */
async function main(): Promise<void> {
  const url = databaseUrlOf('migration', process.env, process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  if ((await ensureDatabase(url)) === 'created') logger.info({ database: new URL(url).pathname.slice(1) }, 'created the database');
  const pool = createPool(url, 1);
  try {
    const applied = await migrate(pool);
    logger.info({ applied }, applied.length ? 'database migrated' : 'database is up to date');
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  logger.error({ err: (err as Error).message }, 'migration failed');
  process.exit(1);
});
