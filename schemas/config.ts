import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../scripts/project-root';
import { parseCrosscheckCodes, type CrosscheckList } from './crosscheck';
import type { OtStatusCode } from './ot-codes';
import { DEFAULT_UNITS, unitsSchema, type OtUnit } from './units';

export interface Config {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  caseIdKey: string;
  units: OtUnit[];
  apiPort: number;
  dataDir: string;
  /** Which code each cross-check list gives (OT_CROSSCHECK_CODES). */
  crosscheckCodes: Record<CrosscheckList, OtStatusCode>;
}

export class ConfigError extends Error {}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ot';

/** Where `npm start` notes the embedded PostgreSQL it started, so the CLI in another terminal finds it. */
export function embeddedDatabaseUrlFile(dataDir: string): string {
  return path.join(dataDir, 'embedded-database-url');
}

function databaseUrl(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const noted = embeddedDatabaseUrlFile(dataDir);
  return existsSync(noted) ? readFileSync(noted, 'utf8').trim() : DEFAULT_DATABASE_URL;
}

/**
 * The case id key must never change for a county, or re-imports would make new cases. Production
 * sets OT_CASE_ID_KEY; a local stack makes one in its data folder on first use and keeps it.
 */
function caseIdKey(env: NodeJS.ProcessEnv, dataDir: string): string {
  if (env.OT_CASE_ID_KEY) {
    if (env.OT_CASE_ID_KEY.length < 16) throw new ConfigError('OT_CASE_ID_KEY must be at least 16 characters');
    return env.OT_CASE_ID_KEY;
  }
  const file = path.join(dataDir, 'case-id.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

function units(env: NodeJS.ProcessEnv): OtUnit[] {
  if (!env.OT_UNITS_FILE) return DEFAULT_UNITS;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(env.OT_UNITS_FILE, 'utf8'));
  } catch (err) {
    throw new ConfigError(`OT_UNITS_FILE ${env.OT_UNITS_FILE} cannot be read as JSON: ${(err as Error).message}`);
  }
  const parsed = unitsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`OT_UNITS_FILE ${env.OT_UNITS_FILE}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

function crosscheckCodes(env: NodeJS.ProcessEnv): Record<CrosscheckList, OtStatusCode> {
  try {
    return parseCrosscheckCodes(env.OT_CROSSCHECK_CODES);
  } catch (err) {
    throw new ConfigError(`OT_CROSSCHECK_CODES: ${(err as Error).message}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(PROJECT_ROOT, env.OT_DATA_DIR ?? 'data');
  const port = z.coerce.number().int().min(1).max(65535).safeParse(env.OT_API_PORT ?? '8080');
  if (!port.success) throw new ConfigError('OT_API_PORT must be a port number');
  return {
    databaseUrl: databaseUrl(env, dataDir),
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.OT_TASK_QUEUE ?? 'ot-campaign',
    caseIdKey: caseIdKey(env, dataDir),
    units: units(env),
    apiPort: port.data,
    dataDir,
    crosscheckCodes: crosscheckCodes(env),
  };
}
