import { Client as PgClient } from 'pg';
import type { ClusterProcess } from '../../scripts/temporal-cluster';
import { log } from '../stack';
import type { FaultStack } from './cluster-stack';

/**
 * The faults the suite injects, each noted with its moment so the report can say how long the system took to get
 * over it: a worker process killed with SIGKILL (a new one started at once, so two keep running), a history process
 * killed and started again (its shards move to the other and back), the application database's connections cut.
 */
export type FaultKind = 'worker kill -9' | 'history process killed' | 'app db connections cut' | 'sms 500' | 'sms timeout';

export interface Fault {
  kind: FaultKind;
  /** When it struck (ms since the epoch). */
  at: number;
  /** When what it took away was back: the new worker polling, the history process started again. */
  back?: number;
  detail: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FaultLog {
  readonly faults: Fault[] = [];
  note(f: Fault): Fault {
    this.faults.push(f);
    log(`  fault: ${f.kind}: ${f.detail}`);
    return f;
  }
}

/** Random moments in [from, until), in order. */
export function randomMoments(n: number, from: number, until: number, random: () => number): number[] {
  return Array.from({ length: n }, () => from + random() * (until - from)).sort((a, b) => a - b);
}

/** Kills one of the running worker processes at each moment with SIGKILL and starts a new one in its place. */
export async function killWorkers(s: FaultStack, faults: FaultLog, moments: number[], random: () => number): Promise<void> {
  for (const at of moments) {
    await sleep(at - Date.now());
    const running = s.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const victim = running[Math.floor(random() * running.length)];
    if (!victim) continue;
    const f = faults.note({ kind: 'worker kill -9', at: Date.now(), detail: `worker pid ${victim.child.pid}` });
    await victim.kill('SIGKILL');
    await s.startWorker();
    f.back = Date.now();
  }
}

/** Kills a history process at each moment and starts it again `downMs` later. */
export async function killHistory(s: FaultStack, faults: FaultLog, moments: number[], downMs: number, which: ClusterProcess): Promise<void> {
  for (const at of moments) {
    await sleep(at - Date.now());
    const f = faults.note({ kind: 'history process killed', at: Date.now(), detail: `${which}, down ${downMs / 1000} s` });
    await s.cluster.kill(which);
    await sleep(downMs);
    s.cluster.startProcess(which);
    f.back = Date.now();
  }
}

/** A superuser's connection, tried again while the shared server has no connection free (53300). */
async function adminClient(s: FaultStack): Promise<PgClient> {
  for (let tries = 0; ; tries++) {
    const c = new PgClient({ connectionString: s.adminUrl });
    try {
      await c.connect();
      return c;
    } catch (err) {
      if ((err as { code?: string }).code !== '53300' || tries >= 100) throw err;
      await sleep(100);
    }
  }
}

/** pg_terminate_backend on every backend of the application's database (Temporal's own databases are left alone). */
export async function cutAppConnections(s: FaultStack): Promise<number> {
  const admin = await adminClient(s);
  try {
    const r = await admin.query<{ cut: boolean }>(
      'SELECT pg_terminate_backend(pid) AS cut FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [s.dbName],
    );
    return r.rows.filter((x) => x.cut).length;
  } finally {
    await admin.end();
  }
}

/**
 * Cuts the application's connections while a report snapshot is being taken: waits for the report's workflow to
 * run, then for the snapshot's own query (the statuses at the moment, or the insert) to show in pg_stat_activity,
 * and cuts then; if the query is never caught (a small cohort's snapshot takes milliseconds), cuts while the
 * workflow still runs, and says so.
 */
export async function cutDuringSnapshot(s: FaultStack, faults: FaultLog, reportAt: number, timeoutMs: number): Promise<void> {
  await sleep(reportAt - Date.now());
  const admin = await adminClient(s);
  try {
    const deadline = Date.now() + timeoutMs;
    let running = false;
    while (!running && Date.now() < deadline) {
      for await (const w of s.client.workflow.list({ query: `WorkflowType = 'reportSnapshot' AND ExecutionStatus = 'Running'` })) {
        void w;
        running = true;
        break;
      }
      if (!running) await sleep(200);
    }
    let caught = false;
    const until = Date.now() + 10_000;
    while (!caught && Date.now() < until) {
      const r = await admin.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND (query ILIKE '%report_snapshot%' OR query ILIKE '%e.at <= $2%')`,
        [s.dbName],
      );
      caught = (r.rowCount ?? 0) > 0;
      if (!caught) await sleep(5);
    }
    const at = Date.now();
    const cut = await cutAppConnections(s);
    faults.note({
      kind: 'app db connections cut',
      at,
      back: at,
      detail: `during a report snapshot (${caught ? 'its query in flight' : running ? 'its workflow running, its query not caught' : 'no snapshot workflow seen'}): ${cut} backends`,
    });
  } finally {
    await admin.end();
  }
}

/** Cuts the application's connections a moment after a mailing's confirmation has begun. */
export function cutDuringMailing(s: FaultStack, faults: FaultLog, kind: string, delayMs: number): void {
  void (async () => {
    await sleep(delayMs);
    const at = Date.now();
    const cut = await cutAppConnections(s);
    faults.note({ kind: 'app db connections cut', at, back: at, detail: `during a ${kind} mailing confirmation: ${cut} backends` });
  })().catch((err) => log(`cutting the connections failed: ${(err as Error).message}`));
}
