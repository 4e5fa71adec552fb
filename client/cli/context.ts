import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createPool } from '../../db/pool';
import { type Config } from '../../schemas/config';
import type { Principal } from '../../schemas/roles';
import type { Action } from '../../domain/access-policy';
import { heldCaseIdKey, loadConfig } from '../../runtime/config';
import { verifyCaseIdKey } from '../../db/case-id-key';
import { CaseIdKeyError } from '../../domain/case-id';
import { connectClient } from '../../runtime/temporal';
import { startTracing, type Tracing } from '../../runtime/tracing';

/** A user-facing failure: the CLI prints its message as one line and exits non-zero. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Config, database and Temporal connections, opened on first use and closed once at the end. */
export class CliContext {
  readonly config: Config = loadConfig();
  private poolValue?: Pool;
  private clientValue?: Promise<Client>;
  private tracingValue?: Promise<Tracing | undefined>;
  /** The account the command runs as (`--as` or OT_USER), once the policy has let it run. */
  principal?: Principal;
  /** What the command is, for its audit row: the policy action, its path, and the cases or list it read or changed. */
  audit?: { action: Action; command: string; caseIds: string[]; list?: string; denied?: boolean };

  /** Who is recorded in the journal for what this command changes: the account it runs as. */
  actor(): { by: string; byUserId: string } {
    if (!this.principal) throw new CliError('this command needs an account: --as USER or OT_USER');
    return { by: this.principal.displayName, byUserId: this.principal.userId };
  }

  /** Notes the cases a command read or changed, for its audit row. */
  audited(caseIds: readonly string[], list?: string): void {
    if (!this.audit) return;
    this.audit.caseIds.push(...caseIds);
    if (list) this.audit.list = list;
  }

  /** As the API's database role: the CLI is another front end over the same use cases (no migrating, no worker's writes). */
  get pool(): Pool {
    this.poolValue ??= createPool(this.config.databaseUrls.api, 4);
    return this.poolValue;
  }

  /**
   * Refuses to go on when this CLI holds a case-id key (OT_CASE_ID_KEY, or the data folder's key file) that is not the one the
   * cases were made with: it needs none itself (it finds cases by national id in PostgreSQL), but one that differs is a
   * host configured for another database, whose worker would start every case again.
   */
  async checkCaseIdKey(): Promise<void> {
    const key = heldCaseIdKey(this.config);
    if (key === undefined) return;
    try {
      await verifyCaseIdKey(this.pool, key);
    } catch (err) {
      throw err instanceof CaseIdKeyError ? new CliError(`refused: ${err.message}`) : err;
    }
  }

  client(): Promise<Client> {
    // With tracing on, the CLI's Temporal calls are spans of ot-cli (runtime/tracing.ts), flushed at close.
    this.clientValue ??= (this.tracingValue = startTracing(this.config, 'ot-cli'))
      .then(() => connectClient(this.config))
      .catch((err) => {
        throw new CliError(
          `cannot reach Temporal at ${this.config.temporalAddress} (${(err as Error).message.split('\n')[0]}): is the stack up? (npm start)`,
        );
      });
    return this.clientValue;
  }

  async close(): Promise<void> {
    await this.poolValue?.end().catch(() => undefined);
    if (this.clientValue) await (await this.clientValue.catch(() => undefined))?.connection.close().catch(() => undefined);
    if (this.tracingValue) await (await this.tracingValue.catch(() => undefined))?.shutdown().catch(() => undefined);
  }
}

/** Database errors name the server, never the password in the URL. */
export function databaseError(err: unknown, config: Config): CliError {
  const code = (err as { code?: string }).code;
  const url = new URL(config.databaseUrls.api);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01') {
    return new CliError(`cannot use PostgreSQL at ${url.host}${url.pathname}: ${(err as Error).message}`);
  }
  if (code === '42P01') return new CliError(`the database ${url.pathname.slice(1)} is not migrated: start the stack once with npm start`);
  return err instanceof CliError ? err : new CliError((err as Error).message ?? String(err));
}
