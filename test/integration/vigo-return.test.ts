import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { submitImport } from '../../client/use-cases/cohort-import';
import { runCrosscheck } from '../../client/use-cases/crosscheck';
import { showCase } from '../../client/use-cases/case-queries';
import { caseIdOf } from '../../domain/case-id';
import { vigoReturnFolder } from '../../domain/cohort-files';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The return to VIGO on the real stack: the cases out of the target group (Feil from washing, OTFU from washing, an *_IM code
 * from a cross-check) make a unit's list; the file for VIGO and the admissions office's list of the Feil cases are written
 * and exactly those cases marked returned, journalled once with who and when; marking again changes nothing.
 */
const YEAR = 2087;
const UNIT = '12250';
const OTHER = '12256';
const nextId = idFactory();
/** Eleven digits with a birth date whose last control digit fails: a fictitious id, as VIGO carries them. */
const fictitious = (valid: string) => `${valid.slice(0, 10)}${(Number(valid[10]) + 1) % 10}`;
const youth = {
  feil: { id: fictitious(nextId('2030-02-03')), first: 'Frida', last: 'Feilsen', address: null },
  abroad: { id: nextId('2030-04-05'), first: 'Ulla', last: 'Utland', status: 'OTFU' },
  exchange: { id: nextId('2030-06-07'), first: 'Eirik', last: 'Utveksling' },
  staying: { id: nextId('2030-08-09'), first: 'Siri', last: 'Heime' },
  otherUnit: { id: fictitious(nextId('2030-10-11')), first: 'Olav', last: 'Annan', address: null, unit: OTHER },
} as const;
type Youth = keyof typeof youth;

let stack: TestStack;
let api: FastifyInstance;
let asNils: ApiCall;
const NILS = 'Nils Rådgjevar';
const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const stageOf = async (who: Youth) => (await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseOf(who)])).rows[0]?.stage;

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ot-vigo-return-'));
  stack = await openStack({ taskQueue: 'vigo-return', dataDir });
  await stack.startWorker();
  const started = await startApi(stack);
  api = started.app;
  asNils = (await userWithToken(stack, started.url, { role: 'caseworker', units: [UNIT], name: NILS })).call;
  // The test's ids are born around 2030: lift the age limit so school year 2087 takes them.
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 70) ON CONFLICT (school_year) DO UPDATE SET age_limit = 70', [
    YEAR,
  ]);
  const file = transferFile(Object.values(youth).map((y) => ({ ...y, address: 'address' in y ? y.address : undefined })));
  const summary = await (await submitImport(stack, { fileName: 'vigo.csv', content: file, schoolYear: YEAR, strict: true })).result();
  expect(summary.created).toBe(5);
  await runCrosscheck(stack, YEAR, 'exchange', [{ line: 2, nationalId: youth.exchange.id }], 'Test Operator');
  await eventually(async () => ((await stageOf('exchange')) === 'notInTargetGroup' ? true : undefined), 'the cross-check to be projected');
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const names = (body: { entries: { name: string }[] }) => body.entries.map((e) => e.name).sort();

describe('the return to VIGO', () => {
  it("lists the unit's cases out of the target group, by name and birth date, never the national id", async () => {
    const r = await asNils('GET', `/vigo-returns/${YEAR}?unit=${UNIT}`);
    expect(r.status).toBe(200);
    expect(names(r.body)).toEqual(['Eirik Utveksling', 'Frida Feilsen', 'Ulla Utland']);
    expect(r.body.entries.find((e: { name: string }) => e.name === 'Frida Feilsen')).toMatchObject({
      otStatus: 'Feil',
      stage: 'feil',
      fictitiousId: true,
      birthDate: '2030-02-03',
    });
    expect(r.body.entries.find((e: { name: string }) => e.name === 'Eirik Utveksling')).toMatchObject({ otStatus: 'OTEV_IM' });
    for (const y of Object.values(youth)) expect(JSON.stringify(r.body)).not.toContain(y.id);
    // Another unit's Feil case is not this caseworker's: it is not there, and asking for the unit answers as if it did not exist.
    expect((await asNils('GET', `/vigo-returns/${YEAR}?unit=${OTHER}`)).status).toBe(404);
    expect(names((await asNils('GET', `/vigo-returns/${YEAR}`)).body)).not.toContain('Olav Annan');
  });

  it('exports the file for VIGO with the fødselsnummer VIGO knows, and the Feil cases for the admissions office without it', async () => {
    const vigo = await asNils('GET', `/vigo-returns/${YEAR}/${UNIT}/vigo.csv`);
    expect(vigo.status).toBe(200);
    expect(vigo.headers.get('content-disposition')).toBe(`attachment; filename="vigo-retur-${YEAR}-${UNIT}.csv"`);
    const lines = (vigo.body as string)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('fodselsnummer;etternavn;fornavn;fødd;ot_eining;os_kode;ot_status;fiktivt_id;sendt_tilbake;saksref');
    expect(lines.slice(1).sort()).toEqual(
      [
        `${youth.feil.id};Feilsen;Frida;2030-02-03;${UNIT};OSON;Feil;ja;;${caseOf('feil')}`,
        `${youth.abroad.id};Utland;Ulla;2030-04-05;${UNIT};OSON;OTFU_IM;nei;;${caseOf('abroad')}`,
        `${youth.exchange.id};Utveksling;Eirik;2030-06-07;${UNIT};OSON;OTEV_IM;nei;;${caseOf('exchange')}`,
      ].sort(),
    );
    const feil = await fetchRaw(`/vigo-returns/${YEAR}/${UNIT}/admissions-office.xlsx`);
    expect(feil.status).toBe(200);
    const book = new ExcelJS.Workbook();
    // exceljs types its argument as the older Buffer type.
    await book.xlsx.load(Buffer.from(await feil.arrayBuffer()) as unknown as Parameters<typeof book.xlsx.load>[0]);
    const rows = (book.worksheets[0].getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1, 3));
    expect(rows).toEqual([
      ['namn', 'fødd'],
      ['Frida Feilsen', '2030-02-03'],
    ]);
    expect(JSON.stringify(book.worksheets[0].getSheetValues())).not.toContain(youth.feil.id);
  });

  it('marks exactly the listed cases returned, journalled with who and when, and writes their files owner-only', async () => {
    const before = Date.now();
    const r = await asNils('POST', '/vigo-returns', { schoolYear: YEAR, unit: UNIT });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ schoolYear: YEAR, alreadyReturned: 0, closed: [] });
    expect(r.body.units).toHaveLength(1);
    expect(r.body.units[0]).toMatchObject({ unit: UNIT, feil: 1 });
    expect(r.body.units[0].returned.map((e: { caseId: string }) => e.caseId).sort()).toEqual(
      [caseOf('feil'), caseOf('abroad'), caseOf('exchange')].sort(),
    );

    for (const who of ['feil', 'abroad', 'exchange'] as const) {
      const d = (await showCase(stack.pool, stack.client, caseOf(who)))!;
      const returns = d.journal.filter((e) => e.event === 'RETURNED_TO_VIGO');
      expect(returns).toHaveLength(1);
      expect(returns[0]).toMatchObject({ by: NILS, byUserId: expect.any(String), from: { status: d.otStatus }, to: { status: d.otStatus } });
      expect(Date.parse(returns[0].at)).toBeGreaterThanOrEqual(before - 1000);
    }
    // A case still in the target group is on no list and was told nothing.
    expect((await showCase(stack.pool, stack.client, caseOf('staying')))!.journal.map((e) => e.event)).not.toContain('RETURNED_TO_VIGO');

    const folder = vigoReturnFolder(stack.config.dataDir, YEAR, UNIT);
    const files = readdirSync(folder).sort();
    expect(files).toEqual([
      expect.stringMatching(new RegExp(`^inntakskontoret-feil-${YEAR}-${UNIT}-\\d{8}T\\d{6}\\.csv$`)),
      expect.stringMatching(new RegExp(`^inntakskontoret-feil-${YEAR}-${UNIT}-\\d{8}T\\d{6}\\.xlsx$`)),
      expect.stringMatching(new RegExp(`^vigo-retur-${YEAR}-${UNIT}-\\d{8}T\\d{6}\\.csv$`)),
      expect.stringMatching(new RegExp(`^vigo-retur-${YEAR}-${UNIT}-\\d{8}T\\d{6}\\.xlsx$`)),
    ]);
    for (const f of files) expect(statSync(path.join(folder, f)).mode & 0o777).toBe(0o600);
    const written = readFileSync(
      path.join(
        folder,
        files.find((f) => f.startsWith('vigo-retur') && f.endsWith('.csv'))!,
      ),
      'utf8',
    );
    expect(written).toContain(youth.abroad.id);
    expect(readFileSync(path.join(folder, files[0]), 'utf8')).not.toContain(youth.feil.id);

    // The audit names the cases marked (the first run; the second below marks none).
    // This year's only: the database is shared within a run (the access test marks too).
    const audit = await stack.pool.query(`SELECT kind, case_ids FROM audit_log WHERE action = 'vigo.return' AND status = 200 AND list = $1`, [
      `vigo:${YEAR}:${UNIT}`,
    ]);
    expect(audit.rows).toEqual([{ kind: 'write', case_ids: expect.arrayContaining([caseOf('feil'), caseOf('abroad'), caseOf('exchange')]) }]);
  });

  it('marks nothing more when run again: the list is empty, and with all=true shows who sent each back', async () => {
    const again = await asNils('POST', '/vigo-returns', { schoolYear: YEAR, unit: UNIT });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ units: [], alreadyReturned: 3, closed: [] });
    expect((await asNils('GET', `/vigo-returns/${YEAR}?unit=${UNIT}`)).body.entries).toEqual([]);
    const all = (await asNils('GET', `/vigo-returns/${YEAR}?unit=${UNIT}&all=true`)).body;
    expect(names(all)).toEqual(['Eirik Utveksling', 'Frida Feilsen', 'Ulla Utland']);
    for (const e of all.entries) expect(e.returned).toEqual({ at: expect.any(String), by: NILS });
    // A signal sent again (a retried run, a direct Temporal client) is not journalled twice: the case decides.
    await stack.client.workflow.getHandle(`youth-case-${YEAR}-${caseOf('feil')}`).signal('returnedToVigo', { operator: 'Someone Else' });
    await new Promise((r) => setTimeout(r, 1500));
    const d = (await showCase(stack.pool, stack.client, caseOf('feil')))!;
    expect(d.journal.filter((e) => e.event === 'RETURNED_TO_VIGO').map((e) => e.by)).toEqual([NILS]);
    expect(readdirSync(vigoReturnFolder(stack.config.dataDir, YEAR, UNIT))).toHaveLength(4);
  });

  it('does the same from the CLI: `ot vigo return` writes the files and marks the cases, and a second run marks nothing', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'ot-vigo-cli-'));
    // The CLI starts the vigoReturn workflow on this test's task queue, where its worker polls.
    const env = { OT_TASK_QUEUE: 'vigo-return', OT_DATA_DIR: stack.config.dataDir };
    const listed = await ot(['--json', 'vigo', 'list', '--school-year', String(YEAR), '--unit', OTHER], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).rows.map((r: { name: string }) => r.name)).toEqual(['Olav Annan']);
    const first = await ot(['vigo', 'return', '--school-year', String(YEAR), '--unit', OTHER, '--out', out], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`unit ${OTHER}: 1 case(s) sent back to VIGO and marked returned`);
    expect(first.stdout).toContain('for the admissions office (1 Feil)');
    expect(readdirSync(out)).toHaveLength(4);
    const second = await ot(['vigo', 'return', '--school-year', String(YEAR), '--unit', OTHER, '--out', out], env);
    expect(second).toMatchObject({ code: 0, stdout: `nothing new to send back to VIGO in school year ${YEAR}\n1 case(s) were sent back before\n` });
    const all = await ot(['--json', 'vigo', 'list', '--school-year', String(YEAR), '--unit', OTHER, '--all'], env);
    expect(JSON.parse(all.stdout).rows).toEqual([
      expect.objectContaining({ caseId: caseOf('otherUnit'), returned: { at: expect.any(String), by: 'Test Operator' } }),
    ]);
    expect(all.stdout).not.toContain(youth.otherUnit.id);
  });
});

/** The raw download (a binary file), as the API sends it. */
let rawToken: string | undefined;
async function fetchRaw(url: string): Promise<Response> {
  if (!rawToken) {
    const { createApiToken, addUser } = await import('../../client/use-cases/users');
    const username = `vigo-raw-${Date.now()}`;
    await addUser(stack.pool, stack.config.units, { username, displayName: 'Raw Reader', role: 'caseworker', units: [UNIT] }, 'a-long-password-1');
    rawToken = (await createApiToken(stack.pool, username, { name: 'raw' })).token;
  }
  const address = api.server.address() as { port: number };
  return fetch(`http://127.0.0.1:${address.port}${url}`, { headers: { authorization: `Bearer ${rawToken}` } });
}
