import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { storedKeyFingerprint, verifyCaseIdKey } from '../../db/case-id-key';
import { pendingMigrations } from '../../db/migrate';
import type { Config } from '../../schemas/config';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function failure(err: unknown): string {
  const message = (err as Error).message ?? String(err);
  return message.split('\n')[0];
}

async function check(name: string, run: () => Promise<string>): Promise<Check> {
  try {
    return { name, ok: true, detail: await run() };
  } catch (err) {
    return { name, ok: false, detail: failure(err) };
  }
}

/**
 * What must hold for the campaign to run: Temporal answers, our namespace and search attributes are
 * there, a worker polls our task queue, the database answers and is migrated, the case-id key is the cases' own.
 * `ot status` and `GET /health`.
 */
export async function healthChecks(deps: {
  config: Config;
  pool: Pool;
  client: () => Promise<Client>;
  /** The case-id key this process holds, if any (the API holds none). */
  caseIdKey?: string;
}): Promise<Check[]> {
  const { config, pool } = deps;
  let client: Client | undefined;
  const temporalCheck = await check('temporal', async () => {
    client = await deps.client();
    const info = await client.workflowService.getSystemInfo({});
    return `reachable at ${config.temporalAddress} (server ${info.serverVersion || 'unknown version'})`;
  });
  const skipped = (name: string): Check => ({ name, ok: false, detail: 'not checked: Temporal is not reachable' });
  const checks: Check[] = [temporalCheck];
  if (client) {
    const c = client;
    checks.push(
      await check('namespace', async () => {
        await c.workflowService.describeNamespace({ namespace: config.namespace });
        return config.namespace;
      }),
      await check('namespace retention', async () => {
        const ns = await c.workflowService.describeNamespace({ namespace: config.namespace });
        return namespaceRetentionDetail(Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0), config.retentionYears);
      }),
      await check('search attributes', async () => {
        const listed = await c.connection.operatorService.listSearchAttributes({ namespace: config.namespace });
        const have = new Set(Object.keys(listed.customAttributes ?? {}));
        const missing = SEARCH_ATTRIBUTES.map((k) => k.name).filter((n) => !have.has(n));
        if (missing.length > 0) throw new Error(`not registered: ${missing.join(', ')}`);
        return SEARCH_ATTRIBUTES.map((k) => k.name).join(', ');
      }),
      await check('worker', async () => {
        const described = await c.workflowService.describeTaskQueue({
          namespace: config.namespace,
          taskQueue: { name: config.taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        // The server remembers pollers for minutes after they go: only one seen lately counts.
        const recent = Date.now() - 70_000;
        const pollers = (described.pollers ?? []).filter((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 > recent).length;
        if (pollers === 0) throw new Error(`no worker polls task queue ${config.taskQueue}`);
        return `${pollers} poller(s) on task queue ${config.taskQueue}`;
      }),
    );
  } else {
    checks.push(skipped('namespace'), skipped('namespace retention'), skipped('search attributes'), skipped('worker'));
  }
  checks.push(
    await check('database', async () => {
      const pending = await pendingMigrations(pool);
      if (pending.length > 0) throw new Error(`migrations not applied: ${pending.join(', ')}`);
      const url = new URL(config.databaseUrls.api);
      return `migrated (${url.host}${url.pathname})`;
    }),
  );
  checks.push(await check('case-id key', () => caseIdKeyCheck(pool, deps.caseIdKey)));
  return checks;
}

/**
 * The process's case-id key against the one the cases were made with (table case_id_key). A process without a key (the API;
 * a CLI on a host without one) says which key the cases were made with; a different key fails the check.
 */
async function caseIdKeyCheck(pool: Pool, key: string | undefined): Promise<string> {
  if (key !== undefined) return verifyCaseIdKey(pool, key);
  const stored = await storedKeyFingerprint(pool);
  return stored ? `the cases were made with the key of fingerprint ${stored}; this process holds none` : 'no import yet';
}

/**
 * A case workflow closes when its school year ends, and its history (payloads, notes) stays for the namespace's
 * retention: that must end no later than the cohort's own period (OT_RETENTION_YEARS after the year end; a day,
 * Temporal's least, when that is 0), or Temporal would keep what PostgreSQL has erased.
 */
export function namespaceRetentionDetail(ttlSeconds: number, retentionYears: number): string {
  const days = ttlSeconds / 86400;
  const allowed = Math.max(1, retentionYears * 365);
  if (ttlSeconds <= 0)
    throw new Error('the namespace keeps closed workflows for ever: set its retention (temporal operator namespace update --retention)');
  if (days > allowed) throw new Error(`the namespace keeps closed workflows ${days} days, longer than the data may be kept (${allowed} days)`);
  return `closed workflows kept ${days} days (at most ${allowed})`;
}
