import { context, propagation, trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { caseIdOf } from '../../domain/case-id';
import { dataConverterOf } from '../../runtime/payload-codec';
import { parsePayloadKeys } from '../../runtime/payload-keys';
import { tracingOf } from '../../runtime/config';
import { startTracing } from '../../runtime/tracing';
import type { PayloadKeyRing } from '../../schemas/config';
import { tracingWorkerOptions } from '../../worker/tracing';
import { startApi, userWithToken } from '../support/api';
import { ensureAccount, ot } from '../support/cli';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { nationalIdsIn } from '../support/privacy';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { spawnWorker, type WorkerProcess } from '../../bench/worker-process';

/**
 * Traces end to end over real OTLP/HTTP: the API (in this process, ot-api) and the worker program (its own process,
 * ot-worker) export to a receiver on loopback. One upload is one trace, from the request through the Temporal client
 * into the workflow and its activities; no span holds the youth's national id, name or a note; and the recorded
 * histories replay with the workflow interceptors in the bundle.
 */
const YEAR = 2094;
const TASK_QUEUE = 'tracing-test';
const nextId = idFactory();
// Test ids are born by 2039 at the latest, over the age limit of a year so late: the cohort's limit is raised below.
const youth = { id: nextId('2039-05-17'), first: 'Solveig', last: 'Tracevik', unit: '12250', os: 'OSON' };
const NOTE = 'ringde mor, Solveig byrjar på kurs';

let receiver: OtlpReceiver;
let stack: TestStack;
let worker: WorkerProcess;
let api: FastifyInstance;
let base: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const tracing = tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint })!;
  stack = await openStack({ taskQueue: TASK_QUEUE, tracing });
  // Batches every 200 ms instead of the SDK's 5 s (OTEL_BSP_SCHEDULE_DELAY), for the worker, the API and the CLI: less waiting.
  worker = spawnWorker({ OT_TASK_QUEUE: TASK_QUEUE, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' });
  process.env.OTEL_BSP_SCHEDULE_DELAY = '200';
  ({ app: api, url: base } = await startApi(stack));
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT DO NOTHING', [YEAR]);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await worker?.kill('SIGTERM');
  await stack?.close();
  // The API's SDK (this process's) stops, and the API's globals go: the next test file of this process traces nothing.
  await (await startTracing(stack.config, 'ot-api'))?.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  delete process.env.OTEL_BSP_SCHEDULE_DELAY;
  await receiver?.close();
});

const named = (spans: ReceivedSpan[], service: string, name: RegExp) => spans.filter((s) => s.service === service && name.test(s.name));

it('traces an upload from the API route through the client into the workflow and its activities, in one trace', async () => {
  const operator = await userWithToken(stack, base, { role: 'operator' });
  const upload = await operator.call('POST', `/imports?schoolYear=${YEAR}&fileName=sporing.csv`, transferFile([youth]));
  expect(upload.status).toBe(202);
  const done = await eventually(async () => {
    const s = await operator.call('GET', upload.body.status);
    return s.body.state === 'completed' ? s.body : undefined;
  }, 'the import');
  expect(done.summary).toMatchObject({ rows: 1, created: 1, rejected: [] });

  const trace = await eventually(
    async () => {
      const spans = receiver.spans();
      const request = named(spans, 'ot-api', /^POST \/imports$/)[0];
      if (!request) return undefined;
      const inTrace = spans.filter((s) => s.traceId === request.traceId);
      const found = {
        request,
        start: named(inTrace, 'ot-api', /^StartWorkflow:/),
        run: named(inTrace, 'ot-worker', /^RunWorkflow:/),
        activity: named(inTrace, 'ot-worker', /^RunActivity:/),
      };
      return found.start.length && found.run.length && found.activity.length ? found : undefined;
    },
    'the spans of the API, the client, the workflow and an activity',
    90_000,
  );
  // The request span is named by the route's pattern, never the URL with its query string.
  expect(trace.request.attributes).toMatchObject({ 'http.route': '/imports', 'url.path': '/imports', 'http.request.method': 'POST' });
  // The client's start is the request's descendant, and the workflow run the start's: parent links across processes.
  const byId = new Map(receiver.spans().map((s) => [s.spanId, s]));
  const ancestors = (s: ReceivedSpan): string[] =>
    s.parentSpanId && byId.has(s.parentSpanId) ? [s.parentSpanId, ...ancestors(byId.get(s.parentSpanId)!)] : [];
  expect(ancestors(trace.start[0])).toContain(trace.request.spanId);
  expect(trace.run.some((r) => ancestors(r).includes(trace.start[0].spanId))).toBe(true);
});

it("traces the CLI's Temporal calls as ot-cli, into the workflow's handling of them, and flushes before it exits", async () => {
  const caseId = caseIdOf(youth.id, YEAR, stack.config.caseIdKey);
  await ensureAccount(stack, 'tracing-cli', 'Test operator');
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OT_TASK_QUEUE: TASK_QUEUE };
  const r = await ot(['case', 'reply', caseId, '--channel', 'phone', '--note', NOTE, '--as', 'tracing-cli'], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  // The CLI has exited: its spans were exported before it did.
  const update = named(receiver.spans(), 'ot-cli', /^StartWorkflowUpdate:/)[0];
  expect(update).toBeDefined();
  await eventually(
    async () => (named(receiver.spans(), 'ot-worker', /^HandleUpdate:/).some((s) => s.traceId === update.traceId) ? true : undefined),
    "the worker's handling of the CLI's update, in the CLI's trace",
  );
});

it('records a case action by its route pattern, and no span holds a national id, a name, a note or a query string', async () => {
  const caseId = caseIdOf(youth.id, YEAR, stack.config.caseIdKey);
  const caseworker = await userWithToken(stack, base, { role: 'caseworker', units: ['12250'] });
  await eventually(async () => ((await caseworker.call('GET', `/cases/${caseId}`)).status === 200 ? true : undefined), 'the case in the read model');
  const outcome = await caseworker.call('POST', `/cases/${caseId}/outcome`, { status: 'OTAR', channel: 'phone', note: NOTE });
  expect(outcome.status).toBe(200);
  await eventually(
    async () => (named(receiver.spans(), 'ot-api', /^POST \/cases\/:caseId\/outcome$/).length ? true : undefined),
    'the outcome request span',
  );
  // One span a request: no hook or handler spans, which @fastify/otel names by the plugin's source text.
  expect(receiver.spans().filter((s) => /=>|function/.test(s.name))).toEqual([]);
  const everything = receiver.bodies().join('\n');
  expect(nationalIdsIn(everything)).toEqual([]);
  expect(everything).not.toContain(youth.id);
  for (const word of [youth.first, youth.last, 'ringde mor', 'byrjar på kurs', 'sporing.csv', `/cases/${caseId}`, 'schoolYear='])
    expect(everything).not.toContain(word);
});

it('replays the recorded histories with the workflow interceptors in the bundle (recorded without them)', async () => {
  const dir = path.join(__dirname, '..', 'replay', 'histories');
  const keysFile = path.join(__dirname, '..', 'replay', 'payload-keys');
  const keys: PayloadKeyRing = { keys: parsePayloadKeys(readFileSync(keysFile, 'utf8'), keysFile), source: { kind: 'file', file: keysFile } };
  const files = readdirSync(dir).filter((f) => f.endsWith('.binpb'));
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.binpb$/, ''),
    history: temporal.api.history.v1.History.decode(readFileSync(path.join(dir, f))),
  }));
  const traced = await tracingWorkerOptions(stack.config);
  expect(traced.interceptors?.workflowModules).toHaveLength(1);
  const options = { workflowsPath: require.resolve('../../workflows'), dataConverter: dataConverterOf(keys), ...traced };
  const results = [];
  for await (const result of Worker.runReplayHistories(options, histories)) results.push(result);
  expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
  expect(results).toHaveLength(files.length);
});
