import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../domain/project-root';
import { DATABASE_ROLES, SMS_PROVIDERS, type Config, type DatabaseRole, type SmsConfig } from '../schemas/config';
import { parseCrosscheckCodes, type CrosscheckList } from '../schemas/crosscheck';
import type { OtStatusCode } from '../schemas/ot-codes';
import { DEFAULT_UNITS, unitsSchema, type OtUnit } from '../schemas/units';

/** Configuration from the environment: it reads files and, on a local stack, writes the case id key once. */

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

/** The variable that gives each process its own connection (see DATABASE_ROLES). */
export const DATABASE_URL_VARIABLES: Record<DatabaseRole, string> = {
  migration: 'OT_MIGRATION_DATABASE_URL',
  worker: 'OT_WORKER_DATABASE_URL',
  api: 'OT_API_DATABASE_URL',
};

/** The message names the variable only: the URL may hold a password. */
function checkedDatabaseUrl(variable: string, url: string): string {
  if (!URL.canParse(url)) throw new ConfigError(`${variable} must be a URL such as postgres://user@host:5432/database`);
  return url;
}

/**
 * One process's connection: its own variable, else `fallback` (DATABASE_URL's). Also for the scripts
 * that migrate, which need no other configuration.
 */
export function databaseUrlOf(role: DatabaseRole, env: NodeJS.ProcessEnv, fallback: string): string {
  const variable = DATABASE_URL_VARIABLES[role];
  const own = env[variable];
  return own ? checkedDatabaseUrl(variable, own) : fallback;
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

function sms(env: NodeJS.ProcessEnv): SmsConfig {
  const provider = env.OT_SMS_PROVIDER || 'outbox';
  if (!(SMS_PROVIDERS as readonly string[]).includes(provider)) throw new ConfigError(`OT_SMS_PROVIDER must be one of ${SMS_PROVIDERS.join(', ')}`);
  const timeout = z.coerce
    .number()
    .int()
    .min(100)
    .safeParse(env.OT_SMS_TIMEOUT_MS || '10000');
  if (!timeout.success) throw new ConfigError('OT_SMS_TIMEOUT_MS must be a whole number of milliseconds, at least 100');
  const config: SmsConfig = {
    provider: provider as SmsConfig['provider'],
    sender: env.OT_SMS_SENDER || 'OT',
    url: env.OT_SMS_URL || undefined,
    user: env.OT_SMS_USER || undefined,
    password: env.OT_SMS_PASSWORD || undefined,
    timeoutMs: timeout.data,
    callbackSecret: env.OT_SMS_CALLBACK_SECRET || undefined,
  };
  if (config.provider === 'http') {
    if (!config.url || !z.url().safeParse(config.url).success)
      throw new ConfigError('OT_SMS_URL must be the URL of the SMS API when OT_SMS_PROVIDER is http');
    if (!config.user || !config.password) throw new ConfigError('OT_SMS_USER and OT_SMS_PASSWORD are needed when OT_SMS_PROVIDER is http');
  }
  return config;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(PROJECT_ROOT, env.OT_DATA_DIR ?? 'data');
  const port = z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .safeParse(env.OT_API_PORT ?? '8080');
  if (!port.success) throw new ConfigError('OT_API_PORT must be a port number');
  const settle = z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .safeParse(env.OT_REPORT_SETTLE_SECONDS || '60');
  if (!settle.success) throw new ConfigError('OT_REPORT_SETTLE_SECONDS must be a whole number of seconds from 0 to 3600');
  const database = databaseUrl(env, dataDir);
  return {
    databaseUrl: database,
    databaseUrls: Object.fromEntries(DATABASE_ROLES.map((role) => [role, databaseUrlOf(role, env, database)])) as Record<DatabaseRole, string>,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.OT_TASK_QUEUE ?? 'ot-campaign',
    caseIdKey: caseIdKey(env, dataDir),
    units: units(env),
    apiPort: port.data,
    dataDir,
    crosscheckCodes: crosscheckCodes(env),
    templatesDir: path.resolve(PROJECT_ROOT, env.OT_TEMPLATES_DIR || path.join(dataDir, 'templates')),
    sms: sms(env),
    reportSettleSeconds: settle.data,
  };
}
