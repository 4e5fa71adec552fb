import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import type { CaseDetailRow } from '../../client/use-cases/case-queries';
import { addUser } from '../../client/use-cases/users';
import { personExportSchema, type PersonExport } from '../../schemas/person-export';
import { caller, startApi, userWithToken, type ApiCall } from '../support/api';
import { ot, type CliRun } from '../support/cli';
import { pdfPages } from '../support/pdf-text';
import { nationalIdsIn } from '../support/privacy';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The youth's access request (GDPR Art. 15) on the real stack, through the real CLI and the API: one youth in two
 * school years, with a letter, a reply with a note, a call, an outcome and an SMS reply; the export holds all of
 * theirs (every case, the journal with its notes, the SMS, the audit of the reads made here) and nobody else's,
 * in owner-only files whose names say nothing of whom they are about.
 */
const YEARS = [2073, 2074] as const;
const ZONE = 'Europe/Oslo';
const nextId = idFactory();
const ingrid = { id: nextId('2031-02-03'), first: 'Ingrid', last: 'Innsynsdottir' };
const mobiles = { 2073: '+4791730001', 2074: '+4791740001' };
/** Everyone else: in the same letter batch, the same lists, the same audit rows. */
const others = [
  { id: nextId('2031-05-06'), first: 'Otto', last: 'Annansen', mobile: '+4791730002', years: [2073] },
  { id: nextId('2032-07-08'), first: 'Petra', last: 'Framandvik', mobile: '+4791740002', years: [2074] },
  { id: nextId('2030-09-10'), first: 'Rune', last: 'Tvibakken', mobile: '+4791730003', years: [2073, 2074] },
];
const NOTES = { reply: 'vil ha hjelp med søknad', call: 'ring etter skuletid', outcome: 'fått jobb på kaia', sms: 'Eg vil gjerne snakke med nokon' };

const dir = mkdtempSync(path.join(tmpdir(), 'ot-person-export-'));
let stack: TestStack;
let api: Awaited<ReturnType<typeof startApi>>;
let operator: { displayName: string; call: ApiCall };
let caseworker: { displayName: string; call: ApiCall };
const caseIds: Record<number, string> = {};
const otherCaseIds: string[] = [];
const osloIso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true })!;

async function run(args: string[]): Promise<CliRun> {
  const r = await ot(args);
  expect(nationalIdsIn(r.stderr)).toEqual([]);
  return r;
}
async function runJson<T>(args: string[]): Promise<T> {
  const r = await run(['--json', ...args]);
  if (r.code !== 0) throw new Error(`ot --json ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
const show = (id: string) => runJson<CaseDetailRow>(['case', 'show', id]);
async function stageReached(id: string, stages: string[]): Promise<CaseDetailRow> {
  return eventually(
    async () => {
      const d = await show(id);
      return stages.includes(d.stage) ? d : undefined;
    },
    `${id} to reach ${stages.join(' or ')}`,
  );
}

/** A calendar with the OSON letters due already and the rest of the year far enough away (as test/e2e/campaign-cli.test.ts). */
async function trialCalendar(year: number): Promise<void> {
  // Born 2030–2032 and in the target group of 2073: the cohort's age limit is stored before it is imported.
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 60) ON CONFLICT (school_year) DO UPDATE SET age_limit = 60', [
    year,
  ]);
  expect((await run(['calendar', 'set', '--school-year', String(year), '--compressed', '3s'])).code).toBe(0);
  const shown = await runJson<{ calendar: Record<string, any> }>(['calendar', 'show', '--school-year', String(year)]);
  const t0 = Date.now();
  const cal = shown.calendar;
  cal.letters = {
    OSON: osloIso(t0 - 60 * 60_000),
    OSUT: osloIso(t0 + 20 * 60_000),
    OSNP: osloIso(t0 + 20 * 60_000),
    OSVE: osloIso(t0 + 20 * 60_000),
  };
  cal.smsAfterLetters = 'P14D';
  cal.phoneCampaigns = {
    autumn: { from: osloIso(t0 + 30 * 60_000), until: osloIso(t0 + 35 * 60_000) },
    winter: { from: osloIso(t0 + 40 * 60_000), until: osloIso(t0 + 45 * 60_000) },
  };
  cal.reports.june = osloIso(t0 + 50 * 60_000);
  cal.evaluations.spring = osloIso(t0 + 55 * 60_000);
  cal.schoolYearEnd = osloIso(t0 + 90 * 60_000);
  const file = path.join(dir, `calendar-${year}.json`);
  writeFileSync(file, JSON.stringify(shown, null, 2));
  const set = await run(['calendar', 'set', '--school-year', String(year), '--file', file]);
  expect([set.code, set.stderr]).toEqual([0, '']);
}

beforeAll(async () => {
  // The default task queue: the CLI's imports and mass steps start their workflows there.
  stack = await openStack();
  await stack.startWorker();
  api = await startApi(stack);
  operator = await userWithToken(stack, api.url, { role: 'operator', name: 'Siri Systemeigar' });
  caseworker = await userWithToken(stack, api.url, { role: 'caseworker', units: ['12250'], name: 'Nora Rådgjevar' });
  await addUser(
    stack.pool,
    stack.config.units,
    { username: 'nora-cli', displayName: 'Nora Rådgjevar', role: 'caseworker', units: ['12250'] },
    randomBytes(12).toString('hex'),
  );
  for (const year of YEARS) {
    await trialCalendar(year);
    const rows = [
      { id: ingrid.id, first: ingrid.first, last: ingrid.last, mobile: mobiles[year], os: 'OSON' },
      ...others.filter((o) => o.years.includes(year)).map((o) => ({ id: o.id, first: o.first, last: o.last, mobile: o.mobile, os: 'OSON' })),
    ];
    const file = path.join(dir, `overforing-${year}.csv`);
    writeFileSync(file, transferFile(rows));
    const summary = await runJson<{ created: number; rejected: unknown[] }>(['cohort', 'import', file, '--school-year', String(year)]);
    expect(summary).toMatchObject({ created: rows.length, rejected: [] });
    caseIds[year] = (await runJson<CaseDetailRow>(['case', 'find', ingrid.id, '--school-year', String(year)])).caseId;
    for (const o of others.filter((x) => x.years.includes(year)))
      otherCaseIds.push((await runJson<CaseDetailRow>(['case', 'find', o.id, '--school-year', String(year)])).caseId);
  }
}, 300_000);

afterAll(async () => {
  await api?.app.close();
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a youth's access request", () => {
  let exported: PersonExport;
  let files: { json: string; pdf: string };

  it('lives a bit of two school years: a letter, a reply, a call, an outcome and an SMS reply', async () => {
    const y = '2073';
    await stageReached(caseIds[2073], ['letterDue']);
    const batch = await run(['letters', 'batch', '--unit', '12250', '--code', 'OSON', '--school-year', y, '--out', path.join(dir, 'letters')]);
    expect([batch.code, batch.stderr]).toEqual([0, '']);
    const confirm = await run([
      'letters',
      'confirm',
      '--unit',
      '12250',
      '--code',
      'OSON',
      '--school-year',
      y,
      '--sent-on',
      osloIso(Date.now() - 1000),
    ]);
    expect([confirm.code, confirm.stderr]).toEqual([0, '']);
    await stageReached(caseIds[2073], ['letterSent', 'smsDue']);
    const reply = await run(['case', 'reply', caseIds[2073], '--channel', 'phone', '--note', NOTES.reply]);
    expect([reply.code, reply.stderr]).toEqual([0, '']);
    const outcome = await run(['case', 'outcome', caseIds[2073], '--status', 'OTAR', '--channel', 'phone', '--note', NOTES.outcome]);
    expect([outcome.code, outcome.stderr]).toEqual([0, '']);

    await stageReached(caseIds[2074], ['letterDue']);
    const call = await run(['calls', 'register', caseIds[2074], '--result', 'not-reached', '--note', NOTES.call]);
    expect([call.code, call.stderr]).toEqual([0, '']);
    // The youth answers by SMS from the 2074 mobile: the only open case with it is theirs of 2074.
    // As the gateway posts it: a local stack with no callback secret lets it through.
    const sms = await caller(api.url)('POST', '/sms/inbound', {
      source: mobiles[2074],
      destination: '2074',
      userData: NOTES.sms,
      messageId: `pe-${Date.now()}`,
    });
    expect(sms.status).toBe(200);
    await stageReached(caseIds[2074], ['contactEstablished']);

    // Reads of their data, county-wide and by a caseworker; and a list that names everyone.
    expect((await run(['case', 'show', caseIds[2073]])).code).toBe(0);
    expect((await caseworker.call('GET', `/cases/${caseIds[2074]}`)).status).toBe(200);
    expect((await run(['cases', '--school-year', y])).code).toBe(0);
    // The journal reaches PostgreSQL with the case projection.
    await eventually(async () => {
      const r = await stack.pool.query(
        `SELECT count(*)::int AS n FROM case_events e LEFT JOIN case_notes n ON n.id = e.note_id
         WHERE e.case_id = ANY($1) AND coalesce(n.text, e.note) = ANY($2)`,
        [Object.values(caseIds), Object.values(NOTES)],
      );
      return r.rows[0].n >= 4 ? true : undefined;
    }, 'the notes in the journal');
  });

  it('writes the JSON and the PDF into the folder named, owner-only, with names that say nothing of whom', async () => {
    const out = path.join(dir, 'innsyn');
    const r = await runJson<{ exportId: string; cases: number; files: { json: string; pdf: string } }>(['person', 'export', ingrid.id, '--out', out]);
    files = r.files;
    expect(r.cases).toBe(2);
    expect(readdirSync(out).sort()).toEqual([path.basename(files.json), path.basename(files.pdf)].sort());
    for (const f of [files.json, files.pdf]) {
      expect(path.basename(f)).toMatch(new RegExp(`^innsyn-${r.exportId}-\\d{4}-\\d\\d-\\d\\d\\.(json|pdf)$`));
      expect(statSync(f).mode & 0o777).toBe(0o600);
      expect(f).not.toContain(ingrid.id);
      expect(f.toLowerCase()).not.toContain('ingrid');
      for (const id of Object.values(caseIds)) expect(f).not.toContain(id);
    }
    exported = personExportSchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
    expect(exported.exportId).toBe(r.exportId);
  });

  it('holds every case of theirs, the journal with its notes, the letter, the SMS and the audit of the reads', () => {
    expect(exported.subject).toMatchObject({ nationalId: ingrid.id, firstName: 'Ingrid', lastName: 'Innsynsdottir', birthDate: '2031-02-03' });
    expect(exported.cases.map((c) => [c.schoolYear, c.caseId])).toEqual(YEARS.map((y) => [y, caseIds[y]]));
    const [c73, c74] = exported.cases;
    expect(c73.person).toMatchObject({ mobile: mobiles[2073], address: { street: 'Strandgaten 1', postcode: '5013', city: 'Bergen' } });
    expect(c74.person.mobile).toBe(mobiles[2074]);
    expect(c73.state).toMatchObject({ otStatus: 'OTAR', stage: 'resolved' });
    expect(c73.journal.map((e) => e.note).filter(Boolean)).toEqual(expect.arrayContaining([NOTES.reply, NOTES.outcome]));
    expect(c73.codeHistory.map((h) => h.to)).toEqual(expect.arrayContaining(['OTUK', 'OTAR']));
    expect(c73.letters.printed).toEqual([expect.objectContaining({ recipient: 'youth', batch: 1, unit: '12250', osCode: 'OSON' })]);
    expect(c73.letters.printed[0].sentOn).not.toBeNull();
    expect(c73.letters.mailings).toEqual([expect.objectContaining({ kind: 'letters', unit: '12250' })]);
    expect(c73.imports).toEqual([expect.objectContaining({ fileName: 'overforing-2073.csv', line: 2, newPerson: true })]);
    expect(c74.journal.map((e) => [e.event, e.note])).toEqual(
      expect.arrayContaining([
        ['CALL', NOTES.call],
        ['REPLY', NOTES.sms],
      ]),
    );
    expect(c74.sms.received).toEqual([expect.objectContaining({ mobile: mobiles[2074], body: NOTES.sms, status: 'registered' })]);
    // The reads made here, each with who and their own case only.
    const reads = exported.audit.filter((a) => a.kind === 'read');
    expect(reads).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ endpoint: 'ot case show', caseIds: [caseIds[2073]], user: { displayName: 'Test Operator', role: 'operator' } }),
        expect.objectContaining({
          endpoint: 'GET /cases/:caseId',
          caseIds: [caseIds[2074]],
          user: { displayName: 'Nora Rådgjevar', role: 'caseworker' },
        }),
        expect.objectContaining({ endpoint: 'ot cases', caseIds: [caseIds[2073]] }),
      ]),
    );
  });

  it("holds nobody else's name, national id or case id", () => {
    const text = readFileSync(files.json, 'utf8');
    for (const o of others) {
      expect(text).not.toContain(o.id);
      expect(text).not.toContain(o.first);
      expect(text).not.toContain(o.last);
      expect(text).not.toContain(o.mobile);
    }
    for (const id of otherCaseIds) expect(text).not.toContain(id);
    expect(nationalIdsIn(text)).toEqual(expect.arrayContaining([ingrid.id]));
    expect(new Set(nationalIdsIn(text))).toEqual(new Set([ingrid.id]));
  });

  it('reads as a PDF in Nynorsk with the name and the journal notes', async () => {
    // Lines wrap where the page ends: compared with the spaces of the text.
    const text = (await pdfPages(readFileSync(files.pdf))).join('\n').replace(/\s+/g, ' ');
    expect(text).toContain('Innsyn: opplysningar Oppfølgingstenesta har om deg');
    expect(text).toContain('Ingrid Innsynsdottir');
    expect(text).toContain('Skuleåret 2073–2074');
    expect(text).toContain('Skuleåret 2074–2075');
    for (const note of Object.values(NOTES)) expect(text).toContain(note);
    for (const o of others) expect(text).not.toContain(o.last);
  });

  it('left one audit row for the export: who, which cases, the export id, and nothing personal', async () => {
    const r = await stack.pool.query(`SELECT * FROM audit_log WHERE action = 'person.export' AND list = $1`, [`innsyn:${exported.exportId}`]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ kind: 'read', endpoint: 'ot person export', status: 0 });
    expect([...r.rows[0].case_ids].sort()).toEqual(Object.values(caseIds).sort());
    const row = JSON.stringify(r.rows[0]);
    expect(row).not.toContain(ingrid.id);
    expect(row).not.toContain('Ingrid');
  });

  it('writes into the data folder by default', async () => {
    const r = await runJson<{ files: { json: string; pdf: string } }>(['person', 'export', ingrid.id]);
    try {
      for (const f of [r.files.json, r.files.pdf]) {
        expect(path.dirname(f)).toBe(path.join(stack.config.dataDir, 'exports', 'innsyn'));
        expect(statSync(f).mode & 0o777).toBe(0o600);
      }
    } finally {
      for (const f of [r.files.json, r.files.pdf]) rmSync(f, { force: true });
    }
  });

  it('answers an operator through the API with the JSON, or the PDF', async () => {
    const json = await operator.call('POST', '/persons/export', { nationalId: ingrid.id });
    expect(json.status).toBe(200);
    const body = personExportSchema.parse(json.body);
    expect(body.cases.map((c) => c.caseId)).toEqual(YEARS.map((y) => caseIds[y]));
    expect(body.exportedBy).toEqual({ displayName: 'Siri Systemeigar', role: 'operator' });
    for (const ask of [{ url: '/persons/export?format=pdf' }, { url: '/persons/export', headers: { accept: 'application/pdf' } }]) {
      const pdf = await operator.call('POST', ask.url, { nationalId: ingrid.id }, ask.headers ?? {});
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(pdf.headers.get('content-disposition')).not.toContain(ingrid.id);
    }
  });

  it('refuses a caseworker, and says a number is unknown without repeating it', async () => {
    const denied = await caseworker.call('POST', '/persons/export', { nationalId: ingrid.id });
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toContain(ingrid.id);
    const cli = await run(['person', 'export', ingrid.id, '--as', 'nora-cli', '--out', path.join(dir, 'nora')]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/^ot: refused: .* may not export everything held about a person/);
    expect(() => readdirSync(path.join(dir, 'nora'))).toThrow();

    const stranger = nextId('2031-12-24');
    const unknown = await operator.call('POST', '/persons/export', { nationalId: stranger });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'no person with that national id in any school year' });
    const bad = await operator.call('POST', '/persons/export', { nationalId: '1234' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/nationalId/);
    expect(bad.body.error).not.toContain('1234');
    const cliUnknown = await run(['person', 'export', stranger, '--out', path.join(dir, 'none')]);
    expect([cliUnknown.code, cliUnknown.stderr]).toEqual([1, 'ot: no person with that fodselsnummer in any school year\n']);
  });
});
