import { submitImport } from '../../client/use-cases/cohort-import';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { spawnWorker, type WorkerProcess } from '../../bench/worker-process';
import { importProgressQuery } from '../../workflows/contracts/cohort-import';

const YEAR = 2032;
const TASK_QUEUE = 'crash-test';
const SIZE = 1500;

let stack: TestStack;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  stack = await openStack({ taskQueue: TASK_QUEUE });
});
afterAll(async () => {
  for (const w of workers) await w.kill('SIGKILL');
  await stack.close();
});

it('loses and doubles nothing when the worker is killed in the middle of an import', async () => {
  const nextId = idFactory();
  const ids = Array.from({ length: SIZE }, (_, i) =>
    nextId(`2009-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`),
  );
  const env = { OT_TASK_QUEUE: TASK_QUEUE, OT_LOG_LEVEL: 'debug' };
  workers.push(spawnWorker(env));

  const handle = await submitImport(stack, {
    fileName: 'big.csv',
    content: transferFile(ids.map((id) => ({ id }))),
    schoolYear: YEAR,
    strict: false,
  });
  // Kill it once some pages of cases are started and others are not.
  await eventually(
    async () => {
      const p = await handle.query(importProgressQuery).catch(() => undefined);
      return p && p.started >= 500 ? p : undefined;
    },
    'the first page of started cases',
    240_000,
  );
  await workers[0].kill('SIGKILL');
  const atKill = await handle.query(importProgressQuery).catch(() => undefined);
  expect(atKill?.phase).not.toBe('done');

  workers.push(spawnWorker(env));
  const summary = await handle.result();
  expect(summary.created).toBe(SIZE);
  expect(summary.rejected).toEqual([]);

  // Every case exactly once: one execution per id in visibility, one person and one staged row each, all started.
  const executions = await eventually(
    async () => {
      const n = (await stack.client.workflow.count(`SchoolYear = ${YEAR}`)).count;
      return n >= SIZE ? n : undefined;
    },
    'visibility of every case',
    120_000,
  );
  expect(executions).toBe(SIZE);
  const db = await stack.pool.query(
    `SELECT (SELECT count(*) FROM persons WHERE school_year = $1)::int AS persons,
            (SELECT count(*) FROM import_rows r JOIN imports i USING (import_id) WHERE i.school_year = $1 AND r.started)::int AS started`,
    [YEAR],
  );
  expect(db.rows[0]).toEqual({ persons: SIZE, started: SIZE });
  await eventually(
    async () => {
      const r = await stack.pool.query('SELECT count(*)::int AS n FROM cases WHERE school_year = $1', [YEAR]);
      return r.rows[0].n === SIZE ? true : undefined;
    },
    'a projection of every case',
    120_000,
  );

  // The workers logged at debug level through all of this: no national id in any line.
  const logs = workers.map((w) => w.output()).join('\n');
  for (const id of ids) expect(logs.includes(id)).toBe(false);
  // Three waits of up to two minutes each after the import itself: on Temporal's own server under load the whole
  // can pass jest's three minutes without anything being wrong.
}, 480_000);
