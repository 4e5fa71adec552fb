import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { setCalendar } from '../../client/use-cases/calendar';
import { registerAction } from '../../client/use-cases/case-actions';
import { showCase } from '../../client/use-cases/case-queries';
import { submitImport } from '../../client/use-cases/cohort-import';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The cooperation meeting with NAV on the real stack: a caseworker exports the unit's OTUK youth with their contact details,
 * the meeting writes what it learned over the file, and the same file is imported back: each row checked on its own, a bad
 * row refused by its line and the rest applied as the caseworker's own Updates (CONTACT from NAV, OUTCOME by NAV), once.
 */
const YEAR = 2088;
const UNIT = '12250';
const OTHER = '12256';
const NILS = 'Nils Rådgjevar';
const by = 'Siri Systemansvarleg';
const nextId = idFactory();
const youth = {
  ase: { id: nextId('2031-01-02'), first: 'Åse', last: 'Aas', mobile: '+4791111111' },
  bo: { id: nextId('2031-02-03'), first: 'Bo', last: 'Berg' },
  cato: { id: nextId('2031-03-04'), first: 'Cato', last: 'Carlsen', mobile: '+4793333333' },
  dag: { id: nextId('2031-04-05'), first: 'Dag', last: 'Dahl', mobile: '+4794444444' },
  eli: { id: nextId('2031-05-06'), first: 'Eli', last: 'Eide', mobile: '+4795555555' },
  fia: { id: nextId('2031-06-07'), first: 'Fia', last: 'Fjell', unit: OTHER },
} as const;
type Youth = keyof typeof youth;
const OTUK_YOUTH: Youth[] = ['ase', 'bo', 'cato', 'dag', 'eli'];

let stack: TestStack;
let api: FastifyInstance;
let asNils: ApiCall;
let nilsUser: string;
const caseOf = (who: Youth) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const rowOf = async (who: Youth) =>
  (
    await stack.pool.query('SELECT c.stage, c.ot_status, p.mobile, p.address FROM cases c JOIN persons p USING (case_id) WHERE case_id = $1', [
      caseOf(who),
    ])
  ).rows[0];

beforeAll(async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'ot-nav-meeting-'));
  stack = await openStack({ taskQueue: 'nav-meeting', dataDir: outDir });
  await stack.startWorker();
  const started = await startApi(stack);
  api = started.app;
  const nils = await userWithToken(stack, started.url, { role: 'caseworker', units: [UNIT], name: NILS });
  asNils = nils.call;
  nilsUser = nils.username;
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 70) ON CONFLICT (school_year) DO UPDATE SET age_limit = 70', [
    YEAR,
  ]);
  // The OSON letters are due at once; the phone campaigns and the year end are far off.
  await setCalendar(
    stack,
    YEAR,
    yearInSteps(YEAR, Date.now(), 600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
  );
  await (await submitImport(stack, { fileName: 'nav.csv', content: transferFile(Object.values(youth)), schoolYear: YEAR, strict: true })).result();
  for (const who of OTUK_YOUTH) await eventually(async () => ((await rowOf(who)).stage === 'letterDue' ? true : undefined), `${who}'s letter due`);
  await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by, outDir });
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: new Date().toISOString(), by });
  for (const who of OTUK_YOUTH) await eventually(async () => ((await rowOf(who)).ot_status === 'OTUK' ? true : undefined), `${who} recoded to OTUK`);
  // Eli replied and was passed to Nils: still OTUK, now Nils's to follow up.
  await registerAction(stack.pool, stack.client, caseOf('eli'), { type: 'REPLY', channel: 'phone', forwardTo: NILS, by });
  await eventually(async () => ((await rowOf('eli')).stage === 'contactEstablished' ? true : undefined), 'eli forwarded');
}, 180_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

/** The CSV as lines of cells (the export's names and codes hold no separator or quote). */
const cellsOf = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(';'));

let exported: string[][];

describe('the NAV meeting', () => {
  it("exports the unit's OTUK youth with their contact details, as a read of each one's data", async () => {
    const r = await asNils('GET', `/nav/${YEAR}/${UNIT}/csv`);
    expect(r.status).toBe(200);
    exported = cellsOf(r.body as string);
    expect(exported[0]).toEqual([
      'saksref',
      'namn',
      'fødd',
      'ot_eining',
      'status',
      'saksbehandlar',
      'ringjar',
      'adresse',
      'postnummer',
      'poststad',
      'mobil',
      'andre_nummer',
      'epost',
    ]);
    expect(exported.slice(1).map((c) => c[1])).toEqual(['Åse Aas', 'Bo Berg', 'Cato Carlsen', 'Dag Dahl', 'Eli Eide']);
    expect(exported[1]).toEqual([
      caseOf('ase'),
      'Åse Aas',
      '2031-01-02',
      UNIT,
      'OTUK',
      '',
      '',
      'Strandgaten 1',
      '5013',
      'Bergen',
      '91111111',
      '',
      '',
    ]);
    expect(exported[2][10]).toBe('');
    for (const y of Object.values(youth)) expect(r.body).not.toContain(y.id);
    // This year's only: the database is shared within a run (the access test exports too).
    const audit = await stack.pool.query(`SELECT kind, case_ids, list FROM audit_log WHERE action = 'nav.export' AND status = 200 AND list LIKE $1`, [
      `nav:${YEAR}:%`,
    ]);
    expect(audit.rows).toEqual([{ kind: 'read', case_ids: expect.arrayContaining(OTUK_YOUTH.map(caseOf)), list: `nav:${YEAR}:${UNIT}` }]);
    expect(audit.rows[0].case_ids).toHaveLength(5);
  });

  it("exports one counsellor's share: the OTUK youth they hold", async () => {
    const r = await asNils('GET', `/nav/${YEAR}/${UNIT}/csv?caseworker=${encodeURIComponent(NILS)}`);
    expect(
      cellsOf(r.body as string)
        .slice(1)
        .map((c) => [c[1], c[5]]),
    ).toEqual([['Eli Eide', NILS]]);
    // Another unit's list is not this caseworker's.
    expect((await asNils('GET', `/nav/${YEAR}/${OTHER}/csv`)).status).toBe(404);
  });

  /** The exported file with what the meeting learned written over it, and a row about another unit's youth. */
  function meetingFile(): string {
    const rows = exported.map((c) => [...c]);
    const line = (who: Youth) => rows.findIndex((c) => c[0] === caseOf(who));
    rows[line('ase')][10] = '922 22 222';
    rows[line('bo')].splice(7, 3, 'Nygata 2', '5003', 'Bergen');
    rows[line('bo')][4] = 'OTAR';
    rows[line('dag')][10] = '12345';
    rows.push([caseOf('fia'), 'Fia Fjell', '', OTHER, 'OTAR', '', '', '', '', '', '', '', '']);
    return `\uFEFF${rows.map((c) => c.join(';')).join('\r\n')}\r\n`;
  }
  const lineOf = (who: Youth) => exported.findIndex((c) => c[0] === caseOf(who)) + 1;

  it('refuses the bad row by its line, applies the rest as from NAV, and says what changed', async () => {
    const r = await asNils('POST', `/nav/imports?schoolYear=${YEAR}`, meetingFile());
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      schoolYear: YEAR,
      rows: 6,
      applied: [
        { line: lineOf('ase'), caseId: caseOf('ase'), changes: ['mobile'] },
        { line: lineOf('bo'), caseId: caseOf('bo'), changes: ['address', 'status OTUK → OTAR'] },
      ],
      unchanged: [lineOf('cato'), lineOf('eli')],
      rejected: [
        { line: lineOf('dag'), reason: 'mobil is not a Norwegian mobile number (8 digits starting with 4 or 9)' },
        { line: 7, reason: `no case ${caseOf('fia')} in school year ${YEAR}` },
      ],
      warnings: [],
      refused: false,
    });

    expect(await rowOf('ase')).toMatchObject({ mobile: '+4792222222', ot_status: 'OTUK' });
    expect(await rowOf('bo')).toMatchObject({ address: { street: 'Nygata 2', postcode: '5003', city: 'Bergen' } });
    await eventually(async () => ((await rowOf('bo')).stage === 'resolved' ? true : undefined), 'bo resolved');
    expect(await rowOf('dag')).toMatchObject({ mobile: '+4794444444' });
    expect(await rowOf('fia')).toMatchObject({ ot_status: 'OSON' });

    // The same Updates a caseworker makes, journalled with who: a contact from NAV, an outcome by NAV.
    const ase = (await showCase(stack.pool, stack.client, caseOf('ase')))!;
    expect(ase.journal.filter((e) => e.event === 'CONTACT')).toEqual([
      expect.objectContaining({ by: NILS, detail: { kind: 'mobile', source: 'nav' } }),
    ]);
    const bo = (await showCase(stack.pool, stack.client, caseOf('bo')))!;
    expect(bo.journal.filter((e) => e.event === 'CONTACT' || e.event === 'OUTCOME')).toEqual([
      expect.objectContaining({ event: 'CONTACT', by: NILS, detail: { kind: 'address', source: 'nav' } }),
      expect.objectContaining({ event: 'OUTCOME', by: NILS, channel: 'nav', to: { stage: 'resolved', status: 'OTAR' } }),
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    const versions = await Promise.all(OTUK_YOUTH.map(async (w) => (await showCase(stack.pool, stack.client, caseOf(w)))!.version));
    const r = await asNils('POST', `/nav/imports?schoolYear=${YEAR}`, meetingFile());
    expect(r.body).toMatchObject({
      applied: [],
      unchanged: [lineOf('ase'), lineOf('bo'), lineOf('cato'), lineOf('eli')],
      rejected: [{ line: lineOf('dag') }, { line: 7 }],
    });
    expect(await Promise.all(OTUK_YOUTH.map(async (w) => (await showCase(stack.pool, stack.client, caseOf(w)))!.version))).toEqual(versions);
  });

  it('with strict=true refuses the whole file for one bad row, and applies nothing', async () => {
    const rows = exported.filter((c, i) => i === 0 || c[0] === caseOf('cato') || c[0] === caseOf('dag')).map((c) => [...c]);
    rows[1][10] = '93 00 00 00';
    rows[2][10] = '12345';
    const r = await asNils('POST', `/nav/imports?schoolYear=${YEAR}&strict=true`, `${rows.map((c) => c.join(';')).join('\r\n')}\r\n`);
    expect(r.body).toMatchObject({ applied: [], rejected: [{ line: 3 }], refused: true });
    expect(await rowOf('cato')).toMatchObject({ mobile: '+4793333333' });
  });

  it('does the same from the CLI: `ot nav export` writes the list, `ot nav import` applies the good rows and exits 1 for the bad one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ot-nav-cli-'));
    const env = { OT_TASK_QUEUE: 'nav-meeting', OT_DATA_DIR: stack.config.dataDir };
    const exportRun = await ot(
      ['nav', 'export', '--unit', UNIT, '--school-year', String(YEAR), '--out', path.join(dir, 'mote'), '--as', nilsUser],
      env,
    );
    expect(exportRun).toMatchObject({ code: 0, stderr: '' });
    expect(exportRun.stdout).toContain('4 youth still OTUK in unit 12250');
    const rows = cellsOf(readFileSync(path.join(dir, 'mote.csv'), 'utf8'));
    expect(statSync(path.join(dir, 'mote.xlsx')).mode & 0o777).toBe(0o600);
    const cato = rows.findIndex((c) => c[0] === caseOf('cato'));
    const dag = rows.findIndex((c) => c[0] === caseOf('dag'));
    rows[cato][10] = '93000000';
    rows[dag][4] = 'OSON';
    const file = path.join(dir, 'mote-etter.csv');
    writeFileSync(file, `${rows.map((c) => c.join(';')).join('\r\n')}\r\n`);
    const run = await ot(['nav', 'import', file, '--school-year', String(YEAR), '--as', nilsUser], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`line ${cato + 1}: ${caseOf('cato')}: mobile`);
    expect(run.stdout).toContain(`line ${dag + 1}: rejected: status "OSON" is an OS code`);
    expect(run.stderr).toBe(`ot: 1 row(s) rejected (line ${dag + 1})\n`);
    expect(await rowOf('cato')).toMatchObject({ mobile: '+4793000000' });
    // The same exit with --json, and now nothing more to apply.
    const again = await ot(['--json', 'nav', 'import', file, '--school-year', String(YEAR), '--as', nilsUser], env);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: [], rejected: [{ line: dag + 1 }] });
  });

  it('refuses a file without its saksref column, naming what is missing', async () => {
    const r = await asNils('POST', `/nav/imports?schoolYear=${YEAR}`, 'namn;mobil\r\nÅse;91234567\r\n');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/saksref/);
  });
});
