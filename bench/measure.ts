import os from 'node:os';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** What every benchmark measures with and prints: polling, the task queues' backlog, the table and the JSON line. */

export const seconds = (ms: number) => ms / 1000;
export const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : String(n));
export const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it holds; false when `timeoutMs` passed first. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleepMs(everyMs);
  }
  return false;
}

/** The server's approximate backlog of one task queue and kind (tasks waiting for a poller, not those in flight). */
export async function backlog(client: Client, namespace: string, queue: string, kind: 'workflow' | 'activity'): Promise<number> {
  const r = await client.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: queue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType:
      kind === 'workflow'
        ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
        : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    reportStats: true,
  });
  return Number(r.stats?.approximateBacklogCount ?? 0);
}

/**
 * Waits until neither the workflow nor the activity backlog of `queue` holds a task, twice running: what is left
 * then is at most what the worker holds in flight. Returns when it was first seen empty (performance.now()), or
 * undefined on timeout.
 */
export async function drained(client: Client, namespace: string, queue: string, timeoutMs: number): Promise<number | undefined> {
  let emptySince: number | undefined;
  const ok = await waitFor(async () => {
    const empty = (await backlog(client, namespace, queue, 'workflow')) === 0 && (await backlog(client, namespace, queue, 'activity')) === 0;
    if (!empty) emptySince = undefined;
    else if (emptySince === undefined) emptySince = performance.now();
    else return true;
    return false;
  }, timeoutMs);
  return ok ? emptySince : undefined;
}

export function machine(): { line: string; cores: number; cpu?: string; node: string } {
  const cpus = os.cpus();
  const cpu = cpus[0]?.model.trim();
  return {
    line: `${cpus.length} cores (${cpu ?? 'unknown'}), node ${process.version}, ${process.platform} ${process.arch}`,
    cores: cpus.length,
    cpu,
    node: process.version,
  };
}

export interface Row {
  what: string;
  count?: number | string;
  seconds?: number;
  rate?: number;
  note?: string;
}

/** The table on stdout: what, how many, in how many seconds, how many a second. */
export function printTable(title: string, rows: Row[]): void {
  const line = (a: string, b: string, c: string, d: string, e = '') =>
    `${a.padEnd(46)}${b.padStart(8)}${c.padStart(10)}${d.padStart(12)}${e ? `  ${e}` : ''}`;
  console.log('');
  console.log(title);
  console.log(`machine: ${machine().line}`);
  console.log(line('', 'count', 'seconds', 'per second'));
  for (const r of rows)
    console.log(
      line(
        r.what,
        String(r.count ?? ''),
        r.seconds === undefined ? '' : f(r.seconds, 2),
        r.rate === undefined ? '' : f(r.rate, r.rate < 10 ? 2 : 1),
        r.note,
      ),
    );
}

/** The one JSON line, with the machine. */
export function printJson(fields: Record<string, unknown>): void {
  const m = machine();
  console.log(JSON.stringify({ ...fields, cores: m.cores, cpu: m.cpu, node: m.node }));
}

function eventMs(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(String(ts?.seconds ?? 0)) * 1000 + (ts?.nanos ?? 0) / 1e6;
}

/**
 * When each workflow first waited on a timer, from its own history (the server's clock, Date.now() time): the
 * moment its first workflow task completed with the timer. Undefined for one that has not yet.
 */
export async function firstTimerAt(client: Client, workflowIds: string[], concurrency = 32): Promise<(number | undefined)[]> {
  const at: (number | undefined)[] = new Array(workflowIds.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, workflowIds.length) }, async () => {
      while (next < workflowIds.length) {
        const i = next++;
        const events = (await client.workflow.getHandle(workflowIds[i]).fetchHistory()).events ?? [];
        const timer = events.find((e) => e.timerStartedEventAttributes);
        at[i] = timer ? eventMs(timer.eventTime) : undefined;
      }
    }),
  );
  return at;
}

/**
 * The moment the last of them first waited on a timer, waiting (up to `timeoutMs`) for those that have not yet;
 * `missing`: how many never did in that time.
 */
export async function lastFirstTimer(client: Client, workflowIds: string[], timeoutMs: number): Promise<{ at: number; missing: number }> {
  const deadline = Date.now() + timeoutMs;
  let latest = 0;
  let todo = workflowIds;
  for (;;) {
    const at = await firstTimerAt(client, todo);
    for (const t of at) if (t !== undefined && t > latest) latest = t;
    todo = todo.filter((_, i) => at[i] === undefined);
    if (todo.length === 0 || Date.now() > deadline) return { at: latest, missing: todo.length };
    await sleepMs(1000);
  }
}

/** Where a workflow's time went, from its history: each activity type's count and time from scheduled to completed. */
export async function activityTimes(client: Client, workflowId: string): Promise<{ type: string; count: number; seconds: number }[]> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const scheduled = new Map<string, { type: string; at: number }>();
  const byType = new Map<string, { count: number; ms: number }>();
  for (const e of events) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes)
      scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?', at: eventMs(e.eventTime) });
    const done = e.activityTaskCompletedEventAttributes;
    if (done) {
      const s = scheduled.get(String(done.scheduledEventId));
      if (!s) continue;
      const t = byType.get(s.type) ?? { count: 0, ms: 0 };
      byType.set(s.type, { count: t.count + 1, ms: t.ms + eventMs(e.eventTime) - s.at });
    }
  }
  const total = events.length ? eventMs(events[events.length - 1].eventTime) - eventMs(events[0].eventTime) : 0;
  return [
    ...[...byType].map(([type, t]) => ({ type, count: t.count, seconds: seconds(t.ms) })),
    { type: '(whole workflow)', count: 1, seconds: seconds(total) },
  ];
}
