import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { submitImport } from '../../client/use-cases/cohort-import';
import { PROJECT_ROOT } from '../../domain/project-root';
import { freeLoopbackAddress } from '../../worker/sdk-metrics';
import { nationalIdsIn } from '../support/privacy';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { spawnWorker, type WorkerProcess } from '../../bench/worker-process';

/**
 * The real worker and API programs, each with its own /metrics: the worker's holds the Temporal SDK's metrics beside
 * the process's own, the API's the read model's gauges and its answer times by route. The counts must be the read
 * model's own, and no page may hold a national id.
 */
const YEAR = 2093;
const TASK_QUEUE = 'metrics-test';
const SIZE = 40;

let stack: TestStack;
let worker: WorkerProcess;
let api: ChildProcess;
let apiOutput = '';
const dataDir = mkdtempSync(path.join(tmpdir(), 'ot-metrics-'));
const port = async () => Number((await freeLoopbackAddress()).split(':')[1]);

/** `name{labels} value` lines of an exposition, comments left out. */
function samples(page: string, name: string): { labels: Record<string, string>; value: number }[] {
  return page
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => {
      const m = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...(m[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
      return { labels, value: Number(m[2]) };
    });
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

let workerMetrics: string;
let apiMetrics: string;
let apiUrl: string;

beforeAll(async () => {
  stack = await openStack({ taskQueue: TASK_QUEUE });
  workerMetrics = `http://127.0.0.1:${await port()}/metrics`;
  worker = spawnWorker({ OT_TASK_QUEUE: TASK_QUEUE, OT_METRICS_PORT: new URL(workerMetrics).port });
  const apiPort = await port();
  apiUrl = `http://127.0.0.1:${apiPort}`;
  apiMetrics = `http://127.0.0.1:${await port()}/metrics`;
  api = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'client', 'api', 'main.js')], {
    env: { ...process.env, OT_API_PORT: String(apiPort), OT_METRICS_PORT: new URL(apiMetrics).port, OT_DATA_DIR: dataDir, OT_TASK_QUEUE: TASK_QUEUE },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout!.on('data', (b) => (apiOutput += b));
  api.stderr!.on('data', (b) => (apiOutput += b));
});
afterAll(async () => {
  api?.kill('SIGKILL');
  await worker?.kill('SIGKILL');
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('serves the Temporal SDK metrics from the worker, and the read model and answer times from the API', async () => {
  const nextId = idFactory();
  const ids = Array.from({ length: SIZE }, (_, i) => nextId(`2039-0${(i % 9) + 1}-1${i % 10}`));
  // Test ids are born by 2039 at the latest (makeNationalId), far over the age limit of a cohort so late: let them in.
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT DO NOTHING', [YEAR]);
  const handle = await submitImport(stack, {
    fileName: 'metrics.csv',
    content: transferFile(ids.map((id) => ({ id }))),
    schoolYear: YEAR,
    strict: false,
  });
  expect((await handle.result()).created).toBe(SIZE);
  await eventually(
    async () =>
      (await stack.pool.query('SELECT count(*)::int AS n FROM cases WHERE school_year = $1', [YEAR])).rows[0].n === SIZE ? true : undefined,
    'a projection of every case',
    120_000,
  );

  // The worker: the SDK's own metrics (its tasks, in seconds) and the process's, on one page.
  const fromWorker = await eventually(
    async () => {
      const page = await fetch(workerMetrics).then(
        (r) => r.text(),
        () => undefined,
      );
      return page && samples(page, 'temporal_workflow_task_execution_latency_seconds_count').some((s) => s.value > 0) ? page : undefined;
    },
    "the worker's workflow task metrics",
    60_000,
  );
  expect(samples(fromWorker, 'temporal_workflow_task_execution_latency_seconds_count').some((s) => s.labels.task_queue === TASK_QUEUE)).toBe(true);
  expect(samples(fromWorker, 'process_cpu_user_seconds_total')).toHaveLength(1);
  // The names the README's alarms use.
  expect(samples(fromWorker, 'temporal_worker_task_slots_available').length).toBeGreaterThan(0);
  expect(samples(fromWorker, 'temporal_workflow_task_schedule_to_start_latency_seconds_count').length).toBeGreaterThan(0);
  expect(nationalIdsIn(fromWorker)).toEqual([]);

  // The API: answer times by route pattern, never a URL with an id in it.
  await eventually(
    () =>
      fetch(`${apiUrl}/health`).then(
        (r) => (r.status ? true : undefined),
        () => undefined,
      ),
    'the API',
    60_000,
  );
  expect((await fetch(`${apiUrl}/cases/0123456789abcdef01234567`)).status).toBe(401);
  expect((await fetch(`${apiUrl}/no-such-page`)).status).toBe(404);
  const fromApi = await scrape(apiMetrics);
  const answers = samples(fromApi, 'ot_api_request_duration_seconds_count');
  expect(answers.find((s) => s.labels.route === '/health' && s.labels.method === 'GET')?.value).toBeGreaterThanOrEqual(1);
  expect(answers.find((s) => s.labels.route === '/cases/:caseId' && s.labels.status_code === '401')?.value).toBe(1);
  expect(answers.find((s) => s.labels.route === 'unmatched' && s.labels.status_code === '404')?.value).toBe(1);
  expect(fromApi).not.toContain('0123456789abcdef01234567');

  // The read model's cases by stage and unit, equal to the table, and the import's progress: all started.
  const byStage = samples(fromApi, 'ot_cases').filter((s) => s.labels.school_year === String(YEAR));
  const table = await stack.pool.query<{ unit: string; stage: string; n: number }>(
    'SELECT unit, stage, count(*)::int AS n FROM cases WHERE school_year = $1 GROUP BY unit, stage',
    [YEAR],
  );
  expect(byStage.map((s) => [s.labels.unit, s.labels.stage, s.value]).sort()).toEqual(table.rows.map((r) => [r.unit, r.stage, r.n]).sort());
  const progress = samples(fromApi, 'ot_import_cases').filter((s) => s.labels.school_year === String(YEAR));
  expect(progress.map((s) => [s.labels.state, s.value]).sort()).toEqual([
    ['started', SIZE],
    ['total', SIZE],
  ]);
  expect(samples(fromApi, 'ot_sms_inbox_waiting')).toHaveLength(1);
  expect(nationalIdsIn(fromApi)).toEqual([]);
  // Only /metrics is served there.
  expect((await fetch(apiMetrics.replace('/metrics', '/other'))).status).toBe(404);
  expect(apiOutput).not.toMatch(/metrics: a read-model gauge could not be read/);
});
