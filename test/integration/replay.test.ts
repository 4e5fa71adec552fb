import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { caseIdOf, caseWorkflowId } from '../../domain/case-id';
import { submitImport } from '../../client/cohort-import';
import { addressRegisteredSignal } from '../../workflows/youth-case/workflow';
import { openStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Histories recorded from real runs replay against today's workflow code: a change that would break
 * running cases fails here. Record new ones with RECORD_HISTORIES=1 after a deliberate, versioned change.
 */
const DIR = path.join(__dirname, '..', 'replay', 'histories');
const recording = Boolean(process.env.RECORD_HISTORIES);

(recording ? it : it.skip)('records histories of every kind of case and an import', async () => {
  const stack = await openStack({ taskQueue: 'replay-recording' });
  try {
    await stack.startWorker();
    const nextId = idFactory();
    const rows = {
      awaitingLetter: { id: nextId('2010-04-04') },
      needsAddressThenAddress: { id: nextId('2010-05-05'), address: null },
      caseworkerFollowUp: { id: nextId('2009-06-06'), status: 'OTOV', caseworker: 'Rådgjevar' },
      notInTargetGroup: { id: nextId('2009-07-07'), status: 'OTFU' },
      feil: { id: '88888888888', address: null },
    } as const;
    const year = 2027;
    const handle = await submitImport(stack, { fileName: 'replay.csv', content: transferFile(Object.values(rows)), schoolYear: year, strict: false });
    await handle.result();
    const caseHandle = (id: string) => stack.client.workflow.getHandle(caseWorkflowId(year, caseIdOf(id, year, stack.config.caseIdKey)));
    await caseHandle(rows.needsAddressThenAddress.id).signal(addressRegisteredSignal);
    await eventually(async () => {
      const r = await stack.pool.query(`SELECT count(*)::int AS n FROM cases WHERE school_year = $1 AND stage = 'awaitingLetter'`, [year]);
      return r.rows[0].n === 2 ? true : undefined;
    }, 'the address to be registered');
    mkdirSync(DIR, { recursive: true });
    // Stored as the protobuf bytes the server sent: the SDK's JSON reader trips over the two copies of protobufjs npm installs.
    const save = async (name: string, h: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }) =>
      writeFileSync(path.join(DIR, `${name}.binpb`), temporal.api.history.v1.History.encode(await h.fetchHistory()).finish());
    await save('cohort-import', handle);
    for (const [name, row] of Object.entries(rows)) await save(`youth-case-${name}`, caseHandle(row.id));
  } finally {
    await stack.close();
  }
});

it('replays every recorded history with the current workflow code', async () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.binpb'));
  expect(files.length).toBeGreaterThanOrEqual(6);
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.binpb$/, ''),
    history: temporal.api.history.v1.History.decode(readFileSync(path.join(DIR, f))),
  }));
  const results = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../../workflows') }, histories)) results.push(result);
  expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.message}`)).toEqual([]);
  expect(results).toHaveLength(files.length);
});
