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
