import type { FastifyInstance } from 'fastify';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { caller, startApi, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The whole day's work over the API alone, as the console will do it: an operator makes the users, imports
 * the cohort and sets the calendar; office staff print the letters and download the PDF, confirm them, and
 * export the SMS (a retry with the same key gets the same file); a caseworker works their unit's cases and
 * gets 404 for another unit's; every change shows who made it, and the reads are in the audit.
 */
const YEAR = 2047;
const nextId = idFactory();
const youth = {
  ida: { id: nextId('2026-02-01'), first: 'Ida', last: 'Ås', unit: '12250', os: 'OSON', mobile: '+4791230001' },
  jon: { id: nextId('2026-03-01'), first: 'Jon', last: 'Berg', unit: '12250', os: 'OSON', mobile: '+4791230002' },
  kai: { id: nextId('2026-04-01'), first: 'Kai', last: 'Dal', unit: '12256', os: 'OSON', mobile: '+4791230003' },
};
const caseOf = (k: keyof typeof youth) => caseIdOf(youth[k].id, YEAR, stack.config.caseIdKey);

let stack: TestStack;
let api: FastifyInstance;
let base: string;
const as: Record<'siri' | 'kari' | 'nils', ApiCall> = {} as never;

/** Signs in with a local account as a browser does: the session cookie, and the CSRF token on every write. */
async function signIn(username: string, password: string): Promise<ApiCall> {
  const r = await caller(base)('POST', '/auth/sign-in', { username, password });
  expect(r.status).toBe(200);
  const cookie = r.headers.get('set-cookie')!.split(';')[0];
  return caller(base, { cookie, 'x-csrf-token': r.body.csrfToken });
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'api-workday' });
  await stack.startWorker();
  process.env.OT_LOG_LEVEL = 'warn';
  ({ app: api, url: base } = await startApi(stack));
  // The operator comes from the CLI (the test run's own operator makes them); then everything is the API.
  const made = await ot(['--json', 'users', 'add', 'siri.api', '--role', 'operator', '--name', 'Siri Systemansvarleg']);
  expect(made.code).toBe(0);
  as.siri = await signIn('siri.api', JSON.parse(made.stdout).password);
  for (const [username, role, unit, name] of [
    ['kari.api', 'officeStaff', '12250', 'Kari Kontor'],
    ['nils.api', 'caseworker', '12250', 'Nils Rådgjevar'],
  ] as const) {
    const r = await as.siri('POST', '/users', {
      username,
      displayName: name,
      role,
      units: [unit],
      password: `${name.split(' ')[0]}s eige lange passord`,
    });
    expect(r.status).toBe(201);
  }
  as.kari = await signIn('kari.api', 'Karis eige lange passord');
  as.nils = await signIn('nils.api', 'Nilss eige lange passord');
}, 120_000);
afterAll(async () => {
  await api.close();
  await stack.close();
});

it('imports the cohort by upload and reports its progress and summary', async () => {
  const t0 = Date.now();
  const calendar = yearInSteps(YEAR, t0, 600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 });
  expect((await as.kari('PUT', `/calendar/${YEAR}`, { calendar })).status).toBe(403);
  expect((await as.siri('PUT', `/calendar/${YEAR}`, { calendar })).status).toBe(200);
  const upload = await as.siri('POST', `/imports?schoolYear=${YEAR}&fileName=haust.csv`, transferFile(Object.values(youth)));
  expect(upload.status).toBe(202);
  const done = await eventually(async () => {
    const s = await as.siri('GET', upload.body.status);
    return s.body.state === 'completed' ? s.body : undefined;
  }, 'the import');
  expect(done.summary).toMatchObject({ fileName: 'haust.csv', rows: 3, created: 3, rejected: [] });
  expect(JSON.stringify(done)).not.toMatch(/Ida|Ås|Berg/);
});

it("lets office staff print their unit's letters, download the PDF and confirm the mailing, in their name", async () => {
  await eventually(async () => {
    const r = await as.kari('GET', `/cases?schoolYear=${YEAR}&stage=letterDue`);
    return r.body.cases?.length === 2 ? true : undefined;
  }, 'the letters due');
  expect((await as.kari('POST', '/letters/batches', { schoolYear: YEAR, unit: '12256', osCode: 'OSON' })).status).toBe(404);
  const batch = await as.kari('POST', '/letters/batches', { schoolYear: YEAR, unit: '12250', osCode: 'OSON' });
  expect(batch.status).toBe(200);
  expect(batch.body).toMatchObject({ number: 1, standard: 2 });
  const pdfUrl = (batch.body.files as string[]).find((f) => f.endsWith('.pdf'))!;
  const res = await fetch(`${base}${pdfUrl}`, { headers: { authorization: '' } });
  expect(res.status).toBe(401);
  const pdf = await as.kari('GET', pdfUrl);
  expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf']);
  expect(String(pdf.body).startsWith('%PDF')).toBe(true);
  expect((await as.nils('GET', pdfUrl)).status).toBe(403);

  const confirmed = await as.kari('POST', '/letters/confirm', {
    schoolYear: YEAR,
    unit: '12250',
    osCode: 'OSON',
    sentOn: new Date().toISOString().slice(0, 10),
  });
  expect(confirmed.body).toMatchObject({ cases: 2, firstConfirmation: true });
  const ida = await eventually(async () => {
    const r = await as.nils('GET', `/cases/${caseOf('ida')}`);
    return r.body.otStatus === 'OTUK' ? r.body : undefined;
  }, 'the recode');
  expect(ida.journal.find((e: { event: string }) => e.event === 'LETTERS_SENT')).toMatchObject({ by: 'Kari Kontor', byUserId: expect.any(String) });
});

it('exports the SMS once, and gives a retry with the same key the same file', async () => {
  // The unit's campaign queues both messages a moment after the mailing.
  await eventually(async () => {
    const q = await stack.pool.query(`SELECT count(*)::int AS n FROM sms_messages WHERE school_year = $1 AND unit = '12250' AND status = 'queued'`, [
      YEAR,
    ]);
    return q.rows[0].n === 2 ? true : undefined;
  }, 'the SMS outbox');
  const key = { 'idempotency-key': 'sms-export-12250' };
  const file = await as.siri('POST', '/sms/export', { schoolYear: YEAR, unit: '12250' }, key);
  expect(file.status).toBe(200);
  expect(String(file.body).trim().split('\n')).toHaveLength(3); // a header and the two messages
  expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
  const again = await as.siri('POST', '/sms/export', { schoolYear: YEAR, unit: '12250' }, key);
  expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([200, file.body, 'true']);
  expect((await as.siri('POST', '/sms/export', { schoolYear: YEAR, unit: '12250' }, { 'idempotency-key': 'another' })).status).toBe(422);
  expect((await as.siri('POST', '/sms/export', { schoolYear: YEAR, unit: '12250' })).status).toBe(400);
});

it("lets a caseworker work their unit's cases, not another's, and records who did what", async () => {
  const list = await as.nils('GET', `/cases?schoolYear=${YEAR}`);
  expect((list.body.cases as { caseId: string }[]).map((c) => c.caseId).sort()).toEqual([caseOf('ida'), caseOf('jon')].sort());
  expect((await as.nils('GET', `/cases/${caseOf('kai')}`)).status).toBe(404);
  expect((await as.nils('POST', `/cases/${caseOf('kai')}/outcome`, { status: 'OTAR', channel: 'phone' })).status).toBe(404);
  const outcome = await as.nils('POST', `/cases/${caseOf('jon')}/outcome`, { status: 'OTAR', channel: 'phone', note: 'har fått jobb' });
  expect(outcome.status).toBe(200);
  // The action answers the case without its journal; the case view has it, the note's text with it.
  expect(outcome.body).not.toHaveProperty('journal');
  const jon = await as.nils('GET', `/cases/${caseOf('jon')}`);
  expect(jon.body.journal.at(-1)).toMatchObject({ event: 'OUTCOME', by: 'Nils Rådgjevar', byUserId: expect.any(String), note: 'har fått jobb' });
  const audit = await as.siri('GET', `/audit?caseId=${caseOf('jon')}`);
  const actions = (audit.body.entries as { action: string }[]).map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['case.outcome', 'cases.search']));
  expect((await as.nils('GET', '/audit')).status).toBe(403);
});
