import type { CrosscheckList } from './crosscheck';
import type { OtStatusCode } from './ot-codes';
import type { OtUnit } from './units';

/** What every process is configured with; read from the environment by runtime/config.ts. */

/**
 * Who connects to PostgreSQL: migrations as the owner of the schema, the worker as a member of ot_worker,
 * the API and the CLI (front ends over the same use cases) as members of ot_api. What each may do is
 * granted by db/migrations/008_database_roles.sql.
 */
export const DATABASE_ROLES = ['migration', 'worker', 'api'] as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

export interface Config {
  /** DATABASE_URL: the database, and the connection of every process that is given none of its own. */
  databaseUrl: string;
  /**
   * Each process's own connection (OT_MIGRATION_DATABASE_URL, OT_WORKER_DATABASE_URL, OT_API_DATABASE_URL),
   * each databaseUrl unless set.
   */
  databaseUrls: Record<DatabaseRole, string>;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  caseIdKey: string;
  units: OtUnit[];
  apiPort: number;
  dataDir: string;
  /** The built console the API serves under /konsoll/ (OT_CONSOLE_DIR; dist/console, which `npm run build` writes). */
  consoleDir: string;
  /** Which code each cross-check list gives (OT_CROSSCHECK_CODES). */
  crosscheckCodes: Record<CrosscheckList, OtStatusCode>;
  /** Where the system owner keeps each school year's templates: <templatesDir>/<schoolYear>/letter.nn.txt ... */
  templatesDir: string;
  sms: SmsConfig;
  /**
   * How long a report snapshot waits after its moment before reading the journal (OT_REPORT_SETTLE_SECONDS):
   * a change made just before the moment may still be on its way into PostgreSQL.
   */
  reportSettleSeconds: number;
  access: AccessConfig;
  /**
   * Whole years a cohort's personal data is kept after its school year ends (OT_RETENTION_YEARS), then erased by
   * its retention schedule; the county's archive plan decides it.
   */
  retentionYears: number;
  /** Whole years an audit row is kept (OT_AUDIT_RETENTION_YEARS), at least one. */
  auditRetentionYears: number;
  /** OpenID Connect sign-in for the HTTP API; absent when OT_OIDC_ISSUER is not set. */
  oidc?: OidcSettings;
  /** The payload codec's keys (OT_PAYLOAD_KEYS, OT_PAYLOAD_KEYS_FILE, or the local stack's key file). */
  payloadKeys: PayloadKeyRing;
  /**
   * Where this process serves its Prometheus metrics (OT_METRICS_PORT, OT_METRICS_HOST); absent: it serves none.
   * Each process has its own port: `npm start` and the compose file give the worker and the API one each.
   */
  metrics?: { host: string; port: number };
  /**
   * OpenTelemetry traces, exported over OTLP/HTTP (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT);
   * absent: no tracing SDK is loaded. serviceName is OTEL_SERVICE_NAME, else each process names itself.
   */
  tracing?: { tracesUrl: string; serviceName?: string };
}

/** One key of the payload codec: AES-256-GCM, 32 bytes, named by the id each payload it encrypts carries. */
export interface PayloadKey {
  id: string;
  key: Uint8Array;
}

/** The payload codec's key ring: oldest first, the last encrypts new payloads; every one decrypts its own. */
export interface PayloadKeyRing {
  keys: PayloadKey[];
  /**
   * Where the ring came from: OT_PAYLOAD_KEYS, a mounted file (OT_PAYLOAD_KEYS_FILE), or the local stack's
   * key file in its data folder, the only one `ot payload-keys rotate` adds to.
   */
  source: { kind: 'env' } | { kind: 'file'; file: string } | { kind: 'local'; file: string };
}

/** Sign-in and sessions of the API. */
export interface AccessConfig {
  /** NODE_ENV=production: secrets must be given, not made on first use, and cookies are always Secure. */
  production: boolean;
  /** Signs the session cookie (OT_SESSION_SECRET; a local stack makes one in its data folder). */
  sessionSecret: string;
  /** A session ends after this long without a request (OT_SESSION_IDLE_MINUTES)... */
  sessionIdleMinutes: number;
  /** ...and this long after sign-in, whatever happens (OT_SESSION_MAX_HOURS). */
  sessionMaxHours: number;
  /** The host names the API answers to (OT_API_HOSTS): a request naming another Host is refused. */
  allowedHosts: string[];
  /** The Temporal UI's origins (OT_TEMPORAL_UI_ORIGIN): the only pages whose scripts may call the codec server (CORS). */
  temporalUiOrigins: string[];
}

export const SMS_PROVIDERS = ['outbox', 'http'] as const;

/** The SMS gateway: the outbox (kept in PostgreSQL, exported for a bulk SMS tool) or an HTTP SMS API. */
export interface SmsConfig {
  provider: (typeof SMS_PROVIDERS)[number];
  /** The sender name or number the youth sees (OT_SMS_SENDER). */
  sender: string;
  /** The HTTP provider's send URL, user and password (OT_SMS_URL, OT_SMS_USER, OT_SMS_PASSWORD). */
  url?: string;
  user?: string;
  password?: string;
  /** How long one HTTP send may take before its answer counts as unknown (OT_SMS_TIMEOUT_MS). */
  timeoutMs: number;
  /** When set, the gateway's calls to us (inbound SMS, delivery reports) must carry it as a Bearer token (OT_SMS_CALLBACK_SECRET). */
  callbackSecret?: string;
}

/** Where the API's OpenID Connect routes live; OT_OIDC_REDIRECT_URL must end in the callback path. */
export const OIDC_LOGIN_PATH = '/auth/oidc/login';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/** Sign-in with an OpenID Connect identity provider (OT_OIDC_*): authorization code flow with PKCE, a confidential client. */
export interface OidcSettings {
  /** The issuer identifier; its discovery document is at <issuer>/.well-known/openid-configuration. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The API's callback URL as the browser reaches it, registered at the identity provider. */
  redirectUrl: string;
  /** The claims (of the ID token, else of userinfo) that hold the user's roles and OT unit codes. */
  rolesClaim: string;
  unitsClaim: string;
  /** Asked for at the provider; always includes openid. */
  scopes: string[];
}

/**
 * Plain HTTP is allowed only to this machine (a provider started by tests, a developer's own): anywhere else a
 * code, a client secret and tokens would cross the network in the clear.
 */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname));
}
