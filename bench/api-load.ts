import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { setCalendar } from '../client/use-cases/calendar';
import { submitImport } from '../client/use-cases/cohort-import';
import { addUser, createApiToken } from '../client/use-cases/users';
import { generateTransfer } from '../domain/demo-cohort';
import { withCalendarValue } from '../workflows/calendar';
import type { LoadPlan, RouteFigures } from './api-load-client';
import { drained, f, machine, printJson, sleepMs, waitFor } from './measure';
import { OTUK_YEAR, otukCohort } from './otuk-cohort';
import { benchArgs, log, withBenchStack, type BenchStack } from './stack';

/**
 * The API under load: p95 of the case search, one case's view and a unit's call list, from a second process
 * (autocannon at a steady rate, every route at once) against the API in a process of its own, as production runs
 * it, at N cases on their call lists: idle, then while an import of N more (the next school year) runs on the same
 * stack: `npm run bench:api-load -- --size 30000 [--engine cluster]`.
 */
const RATE = 10;
const CONNECTIONS = 4;
const SECONDS = 15;
const NEXT_YEAR = OTUK_YEAR + 1;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The API as `npm run api` runs it, with the bench's configuration. */
async function startApi(stack: BenchStack): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'client', 'api', 'main.js')], {
    env: { ...process.env, ...stack.env, OT_API_PORT: String(port), OT_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const up = await waitFor(async () => (await fetch(`${url}/health`).catch(() => undefined)) !== undefined, 60_000, 250);
  if (!up) throw new Error('the API did not answer in time');
  return { url, child };
}

/** A fresh operator with a token: each phase its own, so the API's per-user rate limit never counts across phases. */
async function operatorToken(stack: BenchStack): Promise<string> {
  const username = `bench-${randomBytes(4).toString('hex')}`;
  await addUser(
    stack.pool,
    stack.config.units,
    { username, displayName: 'Benk Operatør', role: 'operator', units: [] },
    randomBytes(12).toString('hex'),
  );
  return (await createApiToken(stack.pool, username, { name: 'bench' })).token;
}

/** One round of load from the second process. */
async function load(plan: LoadPlan): Promise<RouteFigures[]> {
  const child = spawn(process.execPath, [path.join(__dirname, 'api-load-client.js'), JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`the load client exited with ${code}`);
  return JSON.parse(out) as RouteFigures[];
}

async function main(): Promise<void> {
  const { size, engine } = benchArgs(1000);
  await withBenchStack(engine, async (stack) => {
    const { config, pool, client } = stack;
    const cohort = await otukCohort(stack, size, { confirm: () => true });
    // The autumn campaign opens now: every OTUK case onto its unit's call list.
    await setCalendar(stack, OTUK_YEAR, withCalendarValue(cohort.calendar, 'phoneCampaigns.autumn.from', new Date(Date.now() + 2000).toISOString())!);
    const onList = async () => Number((await pool.query(`SELECT count(*)::int AS n FROM call_list WHERE school_year = $1`, [OTUK_YEAR])).rows[0].n);
    if (!(await waitFor(async () => (await onList()) >= cohort.otuk, Math.max(300_000, size * 200), 500)))
      throw new Error('the call lists did not fill in time');
    await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 100));

    const [unit] = [...cohort.printed].sort((a, b) => b[1] - a[1])[0];
    const caseIds = (
      await pool.query<{ case_id: string }>('SELECT case_id FROM call_list WHERE school_year = $1 AND unit = $2 LIMIT 50', [OTUK_YEAR, unit])
    ).rows.map((r) => r.case_id);
    const api = await startApi(stack);
    try {
      const plan = async (): Promise<LoadPlan> => ({
        url: api.url,
        token: await operatorToken(stack),
        rate: RATE,
        connections: CONNECTIONS,
        seconds: SECONDS,
        routes: [
          { name: 'case search', paths: [`/cases?schoolYear=${OTUK_YEAR}&unit=${unit}`, `/cases?schoolYear=${OTUK_YEAR}&status=OTUK`] },
          { name: 'case view', paths: caseIds.map((id) => `/cases/${id}`) },
          { name: 'call list', paths: [`/calls?schoolYear=${OTUK_YEAR}&unit=${unit}`] },
        ],
      });
      // A few requests first, so neither phase pays for the API's first queries.
      await load({ ...(await plan()), seconds: 2 });
      log(`idle: ${RATE} requests a second on each route for ${SECONDS} s`);
      const idle = await load(await plan());

      log(`during an import of ${size} (school year ${NEXT_YEAR})`);
      const content = generateTransfer({ size, schoolYear: NEXT_YEAR, units: config.units, seed: 2 });
      const duringPlan = await plan();
      const t0 = performance.now();
      const handle = await submitImport(stack, { fileName: 'bench-next.csv', content, schoolYear: NEXT_YEAR, strict: false });
      let importMs: number | undefined;
      const imported = handle.result().then(() => (importMs = performance.now() - t0));
      const during = await load(duringPlan);
      const loadMs = performance.now() - t0;
      await imported;
      await drained(client, config.namespace, config.taskQueue, Math.max(300_000, size * 200));
      const settledMs = performance.now() - t0;

      const byName = (rows: RouteFigures[], name: string) => rows.find((r) => r.name === name)!;
      const line = (a: string, ...cols: string[]) => `${a.padEnd(14)}${cols.map((c) => c.padStart(11)).join('')}`;
      console.log('');
      console.log(
        `api-load benchmark: N=${cohort.created} cases (${cohort.otuk} on call lists), engine ${engine}, ${RATE}/s per route for ${SECONDS} s`,
      );
      console.log(`machine: ${machine().line}`);
      console.log(`goal: p95 during the import ≤ 2 × idle, idle p95 ≤ 50 ms`);
      console.log(line('route', 'idle p50', 'idle p95', 'idle p99', 'load p50', 'load p95', 'load p99', 'ratio p95', 'non-2xx'));
      for (const { name } of idle) {
        const i = byName(idle, name);
        const d = byName(during, name);
        console.log(line(name, f(i.p50), f(i.p95), f(i.p99), f(d.p50), f(d.p95), f(d.p99), f(d.p95 / i.p95, 2), `${i.non2xx}/${d.non2xx}`));
      }
      console.log(
        `import of ${size}: result after ${f((importMs ?? NaN) / 1000)} s, worker idle after ${f(settledMs / 1000)} s; the load ran ${f(loadMs / 1000)} s from the submit`,
      );
      printJson({
        bench: 'api-load',
        engine,
        n: cohort.created,
        onCallLists: cohort.otuk,
        rate: RATE,
        seconds: SECONDS,
        idle,
        duringImport: during,
        importSeconds: importMs === undefined ? null : +f(importMs / 1000, 3),
        importSettledSeconds: +f(settledMs / 1000, 3),
        loadSeconds: +f(loadMs / 1000, 3),
        goal: 'p95 during <= 2x idle; idle p95 <= 50 ms',
      });
    } finally {
      api.child.kill('SIGTERM');
      await Promise.race([new Promise((r) => api.child.once('exit', r)), sleepMs(10_000)]);
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
