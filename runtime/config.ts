import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../domain/project-root';
import {
  DATABASE_ROLES,
  isLoopbackHttp,
  OIDC_CALLBACK_PATH,
  SMS_PROVIDERS,
  type AccessConfig,
  type Config,
  type DatabaseRole,
  type OidcSettings,
  type SmsConfig,
} from '../schemas/config';
import { parseCrosscheckCodes, type CrosscheckList } from '../schemas/crosscheck';
import type { OtStatusCode } from '../schemas/ot-codes';
import { DEFAULT_UNITS, unitsSchema, type OtUnit } from '../schemas/units';
import { localPayloadKeys, parsePayloadKeys, PayloadKeyError } from './payload-keys';
import type { PayloadKeyRing } from '../schemas/config';

/** Configuration from the environment: it reads files and, on a local stack, writes the case id key once (on first use). */

export class ConfigError extends Error {}

/** See the README's "Retention": placeholders the county replaces with its archive plan's periods. */
export const DEFAULT_RETENTION_YEARS = 5;
export const DEFAULT_AUDIT_RETENTION_YEARS = 5;

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
 * Only the processes that make case ids ask for it (the worker: `config.caseIdKey`, read on first use); the API finds
 * cases by national id in PostgreSQL and never reads or makes it.
 */
function caseIdKey(env: NodeJS.ProcessEnv, dataDir: string): string {
  return givenCaseIdKey(env) ?? localSecret(dataDir, 'case-id.key');
}

function givenCaseIdKey(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.OT_CASE_ID_KEY) return undefined;
  if (env.OT_CASE_ID_KEY.length < 16) throw new ConfigError('OT_CASE_ID_KEY must be at least 16 characters');
  return env.OT_CASE_ID_KEY;
}

/**
 * The key this process holds, without making one: OT_CASE_ID_KEY, else the data folder's key file if there is one. The CLI
 * compares it with the database's at start (it needs no key of its own, but one that differs means a misconfigured host).
 */
export function heldCaseIdKey(config: Pick<Config, 'dataDir'>, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = givenCaseIdKey(env);
  if (given) return given;
  const file = path.join(config.dataDir, 'case-id.key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** A secret kept in the data folder of a local stack, made on first use; production must give it. */
function localSecret(dataDir: string, name: string): string {
  const file = path.join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * The payload codec's key ring (runtime/payload-keys.ts). Production gives it, in OT_PAYLOAD_KEYS or a
 * mounted secret file (OT_PAYLOAD_KEYS_FILE), the same for every process; a local stack makes a key file
 * in its data folder on first use and keeps it. Made up on the spot in production, a key would encrypt
 * payloads that no other process could read, and that nobody could read after a restart.
 */
function payloadKeys(env: NodeJS.ProcessEnv, dataDir: string): PayloadKeyRing {
  const production = env.NODE_ENV === 'production';
  try {
    if (env.OT_PAYLOAD_KEYS && env.OT_PAYLOAD_KEYS_FILE) throw new PayloadKeyError('set OT_PAYLOAD_KEYS or OT_PAYLOAD_KEYS_FILE, not both');
    if (env.OT_PAYLOAD_KEYS) return { keys: parsePayloadKeys(env.OT_PAYLOAD_KEYS, 'OT_PAYLOAD_KEYS'), source: { kind: 'env' } };
    if (env.OT_PAYLOAD_KEYS_FILE) {
      const file = env.OT_PAYLOAD_KEYS_FILE;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new PayloadKeyError(`OT_PAYLOAD_KEYS_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      return { keys: parsePayloadKeys(text, `OT_PAYLOAD_KEYS_FILE ${file}`), source: { kind: 'file', file } };
    }
    if (production) throw new PayloadKeyError('OT_PAYLOAD_KEYS or OT_PAYLOAD_KEYS_FILE is required in production (NODE_ENV=production)');
    const local = localPayloadKeys(dataDir);
    return { keys: local.keys, source: { kind: 'local', file: local.file } };
  } catch (err) {
    if (err instanceof PayloadKeyError) throw new ConfigError(err.message);
    throw err;
  }
}

/** The Temporal UI's origins, for the codec server's CORS: scheme, host and port, nothing more. */
function temporalUiOrigins(env: NodeJS.ProcessEnv): string[] {
  const given = (env.OT_TEMPORAL_UI_ORIGIN || 'http://localhost:8233,http://127.0.0.1:8233')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return given.map((o) => {
    const url = URL.canParse(o) ? new URL(o) : undefined;
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== o.replace(/\/$/, ''))
      throw new ConfigError(`OT_TEMPORAL_UI_ORIGIN: ${o} is not an origin such as https://temporal.example.org (scheme, host and port only)`);
    return url.origin;
  });
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(min)
    .max(max)
    .safeParse(env[name] || String(fallback));
  if (!parsed.success) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}`);
  return parsed.data;
}

function access(env: NodeJS.ProcessEnv, dataDir: string): AccessConfig {
  const production = env.NODE_ENV === 'production';
  const secret = env.OT_SESSION_SECRET;
  if (secret !== undefined && secret.length < 32) throw new ConfigError('OT_SESSION_SECRET must be at least 32 characters');
  if (production && !secret) throw new ConfigError('OT_SESSION_SECRET is required in production (NODE_ENV=production)');
  return {
    production,
    sessionSecret: secret ?? localSecret(dataDir, 'session.key'),
    sessionIdleMinutes: wholeNumber(env, 'OT_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: wholeNumber(env, 'OT_SESSION_MAX_HOURS', 10, 1, 24 * 7),
    allowedHosts: (env.OT_API_HOSTS || 'localhost,127.0.0.1,[::1]')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    temporalUiOrigins: temporalUiOrigins(env),
  };
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

const OIDC_REQUIRED = ['OT_OIDC_ISSUER', 'OT_OIDC_CLIENT_ID', 'OT_OIDC_CLIENT_SECRET', 'OT_OIDC_REDIRECT_URL'] as const;
const OIDC_OPTIONAL = ['OT_OIDC_ROLES_CLAIM', 'OT_OIDC_UNITS_CLAIM', 'OT_OIDC_SCOPES'] as const;

/** An https URL, or http to this machine only. */
function oidcUrl(env: NodeJS.ProcessEnv, name: 'OT_OIDC_ISSUER' | 'OT_OIDC_REDIRECT_URL', what: string): URL {
  const value = env[name]!;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be ${what}, an absolute URL such as https://...`);
  }
  if (url.protocol !== 'https:' && !isLoopbackHttp(url))
    throw new ConfigError(`${name} must be an https URL (plain http only to 127.0.0.1 or localhost)`);
  return url;
}

/**
 * OpenID Connect sign-in is all or none: with some OT_OIDC_* variables set and others missing the API would
 * start with a sign-in that fails at the first user, so the missing ones are named at start-up instead.
 */
function oidc(env: NodeJS.ProcessEnv): OidcSettings | undefined {
  const given = [...OIDC_REQUIRED, ...OIDC_OPTIONAL].filter((name) => env[name]);
  if (given.length === 0) return undefined;
  const missing = OIDC_REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0)
    throw new ConfigError(`OpenID Connect sign-in is half configured (${given.join(', ')} set): ${missing.join(', ')} missing; set all four or none`);
  oidcUrl(env, 'OT_OIDC_ISSUER', "the identity provider's issuer");
  const redirect = oidcUrl(env, 'OT_OIDC_REDIRECT_URL', "the API's callback URL");
  if (!redirect.pathname.endsWith(OIDC_CALLBACK_PATH) || redirect.search || redirect.hash)
    throw new ConfigError(
      `OT_OIDC_REDIRECT_URL must be the API's callback URL, ending in ${OIDC_CALLBACK_PATH} (such as https://ot.example${OIDC_CALLBACK_PATH})`,
    );
  const scopes = (env.OT_OIDC_SCOPES || 'openid profile').split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) throw new ConfigError('OT_OIDC_SCOPES must include openid');
  const claim = (name: (typeof OIDC_OPTIONAL)[number], fallback: string) => {
    const value = (env[name] || fallback).trim();
    if (!/^[^\s,]+$/.test(value)) throw new ConfigError(`${name} must be one claim name, without spaces or commas`);
    return value;
  };
  return {
    // The issuer as given (a trailing slash matters: it must equal the discovery document's issuer exactly).
    issuer: env.OT_OIDC_ISSUER!,
    clientId: env.OT_OIDC_CLIENT_ID!,
    clientSecret: env.OT_OIDC_CLIENT_SECRET!,
    redirectUrl: redirect.href,
    rolesClaim: claim('OT_OIDC_ROLES_CLAIM', 'roles'),
    unitsClaim: claim('OT_OIDC_UNITS_CLAIM', 'ot_units'),
    scopes,
  };
}

/** Off unless a port is named: two processes on one host would fight over any default. Loopback unless told otherwise. */
function metrics(env: NodeJS.ProcessEnv): Config['metrics'] {
  if (!env.OT_METRICS_PORT) return undefined;
  const port = z.coerce.number().int().min(1).max(65535).safeParse(env.OT_METRICS_PORT);
  if (!port.success) throw new ConfigError('OT_METRICS_PORT must be a port number');
  return { host: env.OT_METRICS_HOST || '127.0.0.1', port: port.data };
}

/**
 * Traces are on when an OTLP endpoint is named by the standard OpenTelemetry variables (the traces endpoint as is, or
 * the base endpoint with `/v1/traces`); OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn them off again.
 */
export function tracingOf(env: NodeJS.ProcessEnv): Config['tracing'] {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!traces && !base) return undefined;
  const name = traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  let url: URL;
  try {
    url = new URL(traces || base!);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${name} must be an http(s) URL`);
  const tracesUrl = traces ? url.href : `${url.href.replace(/\/+$/, '')}/v1/traces`;
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  return { tracesUrl, ...(serviceName ? { serviceName } : {}) };
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
  const config: Omit<Config, 'caseIdKey'> = {
    databaseUrl: database,
    databaseUrls: Object.fromEntries(DATABASE_ROLES.map((role) => [role, databaseUrlOf(role, env, database)])) as Record<DatabaseRole, string>,
    temporalAddress: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: env.OT_TASK_QUEUE ?? 'ot-campaign',
    units: units(env),
    apiPort: port.data,
    dataDir,
    consoleDir: path.resolve(PROJECT_ROOT, env.OT_CONSOLE_DIR || path.join('dist', 'console')),
    crosscheckCodes: crosscheckCodes(env),
    templatesDir: path.resolve(PROJECT_ROOT, env.OT_TEMPLATES_DIR || path.join(dataDir, 'templates')),
    sms: sms(env),
    reportSettleSeconds: settle.data,
    access: access(env, dataDir),
    retentionYears: wholeNumber(env, 'OT_RETENTION_YEARS', DEFAULT_RETENTION_YEARS, 0, 100),
    auditRetentionYears: wholeNumber(env, 'OT_AUDIT_RETENTION_YEARS', DEFAULT_AUDIT_RETENTION_YEARS, 1, 100),
    oidc: oidc(env),
    payloadKeys: payloadKeys(env, dataDir),
    metrics: metrics(env),
    tracing: tracingOf(env),
  };
  // Read (or made) on first use, by the processes that make case ids; enumerable, so a copy of the config carries it.
  let key: string | undefined;
  return Object.defineProperty(config, 'caseIdKey', { enumerable: true, get: () => (key ??= caseIdKey(env, dataDir)) }) as Config;
}
