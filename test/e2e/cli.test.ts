import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CaseListRow } from '../../client/use-cases/case-queries';
import { ot, otJson } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { type ImportSummary } from '../../workflows/contracts/cohort-import';

const YEAR = 2029;
let stack: TestStack;
const dir = mkdtempSync(path.join(tmpdir(), 'ot-cli-'));

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
});
afterAll(() => stack.close());

/** One line, no stack trace. */
function expectCleanError(r: { code: number; stderr: string }, message: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('the operator CLI', () => {
  const file = path.join(dir, 'transfer.csv');

  it('reports every check green while the stack is up', async () => {
    const status = await eventually(async () => {
      const s = await otJson<{ ok: boolean; checks: { name: string; ok: boolean }[] }>(['status']);
      return s.ok ? s : undefined;
    }, 'ot status to be green');
    expect(status.checks.map((c) => c.name)).toEqual([
      'temporal',
      'namespace',
      'namespace retention',
      'search attributes',
      'worker',
      'database',
      'case-id key',
    ]);
    expect((await ot(['status'])).stdout).toMatch(/✓ worker/);
  });

  it('generates a demo cohort, imports it once, and creates nothing the second time', async () => {
    const gen = await ot(['demo', 'generate', '--size', '300', '--school-year', String(YEAR), '--seed', '7', '--out', file]);
    expect(gen.code).toBe(0);
    const rows = readFileSync(file, 'utf8').trim().split('\n').length - 1;
    expect(rows).toBe(300);

    const first = await otJson<ImportSummary>(['cohort', 'import', file, '--school-year', String(YEAR)]);
    expect(first.rows).toBe(300);
    expect(first.created + first.rejected.length + first.outsideTargetGroup.length).toBe(300);
    expect(first.created).toBeGreaterThan(250);
    for (const r of first.rejected) expect(r.reason).not.toMatch(/\d{11}/);

    const again = await otJson<ImportSummary>(['cohort', 'import', file, '--school-year', String(YEAR)]);
    expect(again).toMatchObject({ created: 0, existing: first.created });
    const human = await ot(['cohort', 'import', file, '--school-year', String(YEAR)]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/created 0, already there \d+, rejected \d+/);
  });

  it('lists, finds and shows cases, filtered by unit and status', async () => {
    const all = await eventually(async () => {
      const list = await otJson<CaseListRow[]>(['cases', '--school-year', String(YEAR)]);
      const staged = await stack.pool.query('SELECT count(*)::int AS n FROM persons WHERE school_year = $1', [YEAR]);
      return list.length === staged.rows[0].n ? list : undefined;
    }, 'every imported case in the list');
    const inUnit = await otJson<CaseListRow[]>(['cases', '--school-year', String(YEAR), '--unit', '12250', '--status', 'OSON']);
    expect(inUnit.length).toBe(all.filter((c) => c.unit === '12250' && c.otStatus === 'OSON').length);
    expect(inUnit.length).toBeGreaterThan(0);
    expect(inUnit.every((c) => c.unit === '12250' && c.otStatus === 'OSON')).toBe(true);

    const person = await stack.pool.query('SELECT case_id, national_id, first_name FROM persons WHERE school_year = $1 LIMIT 1', [YEAR]);
    const { case_id: caseId, national_id: nationalId, first_name: firstName } = person.rows[0];
    const found = await ot(['--json', 'case', 'find', nationalId, '--school-year', String(YEAR)]);
    expect(found.code).toBe(0);
    const view = JSON.parse(found.stdout) as CaseListRow;
    expect(view).toMatchObject({ caseId, schoolYear: YEAR });
    expect(view.name.startsWith(firstName)).toBe(true);
    expect(['OSON', 'OSUT', 'OSNP', 'OSVE', 'Feil', 'OTOV', 'OTEV', 'OTFU_IM', 'OTAR_IM']).toEqual(expect.arrayContaining([view.otStatus]));
    expect(found.stdout).not.toContain(nationalId);

    const shown = await ot(['case', 'show', caseId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`case\\s+${caseId}`));
    expect(shown.stdout).toMatch(/stage\s+\w+/);
  });

  it('refuses bad input with one clear line and a non-zero exit', async () => {
    const unknownId = idFactory()('2010-10-10');
    expectCleanError(
      await ot(['cohort', 'import', path.join(dir, 'nope.csv'), '--school-year', String(YEAR)]),
      /cannot read .*nope\.csv: no such file/,
    );
    expectCleanError(await ot(['cases', '--school-year', 'next']), /school year/);
    expectCleanError(await ot(['cases', '--school-year', String(YEAR), '--status', 'OTXX']), /neither an OS code nor a UDIR OT status code/);
    expectCleanError(await ot(['cases', '--school-year', String(YEAR), '--unit', '99999']), /not a configured OT unit/);
    expectCleanError(await ot(['cases', '--school-year', String(YEAR), '--stage', 'lost']), /Allowed choices are feil, notInTargetGroup/);
    expectCleanError(await ot(['case', 'find', '123', '--school-year', String(YEAR)]), /11 digits/);
    const unknown = await ot(['case', 'find', unknownId, '--school-year', String(YEAR)]);
    expectCleanError(unknown, /no case for that fodselsnummer/);
    expect(unknown.stderr).not.toContain(unknownId);
    expectCleanError(await ot(['case', 'show', 'not-a-case']), /24 hexadecimal/);
    expectCleanError(await ot(['frobnicate']), /unknown command/);

    const latin1 = path.join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('fodselsnummer;fornavn;etternavn;ot_eining;os_kode\n12345678901;\xc5se;B\xf8;12250;OSON\n', 'latin1'));
    expectCleanError(await ot(['cohort', 'import', latin1, '--school-year', String(YEAR)]), /not UTF-8/);

    const noHeader = path.join(dir, 'no-header.csv');
    writeFileSync(noHeader, 'fornavn;etternavn\nÅse;Bø\n');
    expectCleanError(
      await ot(['cohort', 'import', noHeader, '--school-year', String(YEAR)]),
      /lacks the required columns fodselsnummer, ot_eining, os_kode/,
    );
  });

  it('refuses a file with a bad row under --strict and imports none of it', async () => {
    const nextId = idFactory();
    const strictFile = path.join(dir, 'strict.csv');
    const fresh = nextId('2011-01-01');
    writeFileSync(strictFile, transferFile([{ id: fresh }, { id: nextId('2011-01-02'), mobile: '123' }]));
    const r = await ot(['cohort', 'import', strictFile, '--school-year', String(YEAR), '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/line 3: rejected: mobil is not a Norwegian mobile number/);
    expect(r.stdout).toMatch(/nothing was imported/);
    const stored = await stack.pool.query('SELECT 1 FROM persons WHERE national_id = $1', [fresh]);
    expect(stored.rowCount).toBe(0);
  });

  it('says plainly when Temporal cannot be reached', async () => {
    const r = await ot(['status'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ temporal/);
    expect(r.stdout).not.toMatch(/^\s+at /m);
  });
});
