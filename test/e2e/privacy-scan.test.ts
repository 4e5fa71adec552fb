import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Client } from '@temporalio/client';
import { PROJECT_ROOT } from '../../domain/project-root';
import { yearInSteps } from '../../domain/trial-calendar';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { devServerSearchAttributeArgs } from '../../workflows/search-attributes';
import { youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import { caller, userWithToken } from '../support/api';
import { ensureAccount, ot, type CliRun } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { spawnWorker, type WorkerProcess } from '../../bench/worker-process';

/**
 * The scan that proves personal data stays in PostgreSQL: a compressed school year with letters, SMS, an SMS
 * reply, notes, calls, a returned letter and outcomes, run by the real worker, API and CLI processes against a
 * Temporal dev server of its own that keeps its state in a file. Then every byte of that file, every log line of
 * every process, every search attribute and memo, and every name of a file the system wrote is searched for
 * every national id, name, mobile, address and note of the input: none may be there in plaintext.
 */
const YEAR = 2077;
const Y = String(YEAR);
const ZONE = 'Europe/Oslo';
const STEP_MS = 15_000;
const dir = mkdtempSync(path.join(tmpdir(), 'ot-privacy-scan-'));
const dataDir = path.join(dir, 'data');
const dbFile = path.join(dir, 'temporal.db');
const nextId = idFactory();

/** Names, streets and notes no other test uses, so a hit can only come from this test's input. */
const youth = {
  ask: { id: nextId('2039-01-11'), first: 'Skjoldvor', last: 'Tveitaflaten', mobile: '41572936', street: 'Kvernhusvegen 17' },
  bre: { id: nextId('2039-02-12'), first: 'Ragnvild', last: 'Holmefjordli', mobile: '46813729', street: 'Sjøbuvegen 42' },
  cas: { id: nextId('2039-03-13'), first: 'Torbjørg', last: 'Nautsundet', mobile: '47925318', street: 'Lyngbakken 9' },
  dag: { id: nextId('2039-04-14'), first: 'Hallstein', last: 'Ospedalen', mobile: '48036147', street: 'Gjerdeholen 3' },
};
type Youth = keyof typeof youth;
const guardians: Record<Youth, [string, string, string, string]> = {
  ask: ['Gudveig Tveitaflaten', 'Myrdalsvegen 88', '5011', 'Bergen'],
  bre: ['Asbjørn Holmefjordli', 'Sjøbuvegen 42', '5012', 'Bergen'],
  cas: ['Sigrunn Nautsundet', 'Lyngbakken 9', '5013', 'Bergen'],
  dag: ['Eilev Ospedalen', 'Gjerdeholen 3', '5014', 'Bergen'],
};
const notes = {
  smsReply: 'Hei, det er Skjoldvor: eg har byrja på kurs hjå Vestlandsmeieriet',
  reply: 'Ragnvild ringde, mora seier ho er sjuk med kyssesjuke',
  outcome: 'Avtalt oppstart hos Fjellheim snekkarverkstad',
  apiOutcome: 'Ragnvild byrjar i praksis hjå Storevikja gardsbutikk',
  returned: 'Ukjend på adressa, naboen meiner ho flytta til Odda',
  callNotReached: 'Telefonsvar, prøv etter klokka 16 onsdag',
  callReached: 'Torbjørg har fått lærlingplass i Kyrkjebø bakeri',
  claim: 'Kjenner familien frå Tveitahagen ungdomsklubb',
};

const rows: TestRow[] = (Object.keys(youth) as Youth[]).map((k) => ({
  id: youth[k].id,
  first: youth[k].first,
  last: youth[k].last,
  mobile: youth[k].mobile,
  address: [youth[k].street, '5015', 'Bergen'],
  guardian: guardians[k],
}));

/** Everything of the input that is personal: each as it was given, and the mobiles as stored (+47...). */
function needles(): { what: string; text: string }[] {
  const list: { what: string; text: string }[] = [];
  for (const [k, y] of Object.entries(youth)) {
    list.push({ what: `${k}: national id`, text: y.id });
    list.push(
      { what: `${k}: first name`, text: y.first },
      { what: `${k}: last name`, text: y.last },
      { what: `${k}: name`, text: `${y.first} ${y.last}` },
    );
    list.push({ what: `${k}: mobile`, text: `+47${y.mobile}` }, { what: `${k}: street`, text: y.street });
  }
  for (const [k, g] of Object.entries(guardians)) list.push({ what: `${k}: guardian`, text: g[0] }, { what: `${k}: guardian's street`, text: g[1] });
  for (const [k, n] of Object.entries(notes)) list.push({ what: `note ${k}`, text: n });
  return list;
}

/**
 * Where the input shows up in a text or in bytes. Mobiles are also looked for as 8 digits of their own: with
 * no digit on either side, so a timestamp that happens to hold the same eight digits does not count.
 */
function found(haystack: Buffer | string, where: string): string[] {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  const hits = needles()
    .filter((n) => bytes.includes(Buffer.from(n.text, 'utf8')))
    .map((n) => `${n.what} in ${where}`);
  const latin = bytes.toString('latin1');
  for (const [k, y] of Object.entries(youth))
    if (new RegExp(`(?<!\\d)${y.mobile}(?!\\d)`).test(latin)) hits.push(`${k}: mobile (8 digits) in ${where}`);
  return hits;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Proc {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every file below a folder (names only). */
function filesBelow(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((name) => {
    const p = path.join(folder, name);
    return statSync(p).isDirectory() ? [p, ...filesBelow(p)] : [p];
  });
}

describe('the privacy scan after a compressed school year', () => {
  let stack: TestStack;
  let client: Client;
  let temporal: Proc;
  let worker: WorkerProcess;
  let api: Proc;
  let base: string;
  let env: NodeJS.ProcessEnv;
  const stderrs: string[] = [];
  const caseIds = new Map<Youth, string>();

  async function run(args: string[]): Promise<CliRun> {
    const r = await ot(args, env);
    stderrs.push(r.stderr);
    return r;
  }
  async function runOk(args: string[]): Promise<CliRun> {
    const r = await run(args);
    if (r.code !== 0) throw new Error(`ot ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r;
  }
  async function caseOf(who: Youth): Promise<string> {
    if (!caseIds.has(who)) {
      const r = await runOk(['--json', 'case', 'find', youth[who].id, '--school-year', Y]);
      caseIds.set(who, (JSON.parse(r.stdout) as { caseId: string }).caseId);
    }
    return caseIds.get(who)!;
  }
  async function stageOf(who: Youth): Promise<string> {
    const r = await runOk(['--json', 'case', 'show', await caseOf(who)]);
    return (JSON.parse(r.stdout) as { stage: string }).stage;
  }
  const stageReached = (who: Youth, stage: string) =>
    eventually(async () => ((await stageOf(who)) === stage ? stage : undefined), `${who} to reach ${stage}`, 120_000);
  const osloNow = () => DateTime.now().setZone(ZONE).minus({ seconds: 1 }).toFormat("yyyy-LL-dd'T'HH:mm:ss");

  beforeAll(async () => {
    const [port, httpPort, metricsPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    temporal = spawnProcess(
      temporalCliPath(),
      [
        'server',
        'start-dev',
        '--headless',
        '--db-filename',
        dbFile,
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--http-port',
        String(httpPort),
        '--metrics-port',
        String(metricsPort),
        '--namespace',
        'default',
        '--log-level',
        'info',
        '--log-format',
        'json',
        ...devServerSearchAttributeArgs(),
      ],
      {},
    );
    const address = `127.0.0.1:${port}`;
    env = { TEMPORAL_ADDRESS: address, OT_DATA_DIR: dataDir, OT_API_PORT: String(apiPort), OT_USER: 'siri' };
    stack = await eventually(() => openStack({ temporalAddress: address }).catch(() => undefined), 'the dev server to answer', 60_000);
    client = stack.client;
    await ensureAccount(stack, 'siri', 'Siri Systemansvarleg');
    worker = spawnWorker(env);
    api = spawnProcess(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'client', 'api', 'main.js')], env);
    base = `http://127.0.0.1:${apiPort}`;
    await eventually(
      () =>
        fetch(`${base}/health`).then(
          (r) => (r.ok ? r : undefined),
          () => undefined,
        ),
      'the API and the worker',
      60_000,
    );
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await worker?.kill('SIGTERM');
    await stack?.close();
    await temporal?.stop();
  });

  it('runs a school year with every kind of personal data, and none of it reaches Temporal, a log or a file name', async () => {
    // The calendar first, then the cohort: the OSON letters are due at once, the autumn phone campaign runs in
    // steps 3 to 5, and the year ends at step 9 (2 min 15 s from now).
    const t0 = Date.now() + 5_000;
    const calendarFile = path.join(dir, 'calendar.json');
    const calendar = yearInSteps(YEAR, t0, STEP_MS, { otherLetters: 1, autumnCampaign: [3, 5], winterCampaign: [6, 7], schoolYearEnd: 9 });
    writeFileSync(calendarFile, JSON.stringify(calendar));
    await runOk(['calendar', 'set', '--school-year', Y, '--file', calendarFile]);
    // Test ids are born by 2039 at the latest (makeNationalId), far over the age limit of a cohort so late: let them in.
    expect((await stack.pool.query('UPDATE cohorts SET age_limit = 60 WHERE school_year = $1', [YEAR])).rowCount).toBe(1);
    const transfer = path.join(dir, 'transfer.csv');
    writeFileSync(transfer, transferFile(rows));
    await runOk(['cohort', 'import', transfer, '--school-year', Y]);

    // A caseworker takes one case before the letters, with a note.
    const caseworker = await userWithToken(stack, base, { role: 'caseworker', units: ['12250'], name: 'Nils Rådgjevar' });
    await runOk(['case', 'claim', await caseOf('dag'), '--caseworker', 'Nils Rådgjevar', '--note', notes.claim]);

    // The letters: printed into the data folder, confirmed; one comes back, with a note.
    for (const who of ['ask', 'bre', 'cas'] as Youth[]) await stageReached(who, 'letterDue');
    const letters = path.join(dataDir, 'letters');
    await runOk(['letters', 'batch', '--unit', '12250', '--code', 'OSON', '--school-year', Y, '--out', letters]);
    await runOk(['letters', 'confirm', '--unit', '12250', '--code', 'OSON', '--sent-on', osloNow(), '--school-year', Y]);

    // The SMS: the campaign fills the outbox 2 s after the mailing; exported, confirmed, and one youth answers.
    for (const who of ['ask', 'bre', 'cas'] as Youth[]) await stageReached(who, 'smsDue').catch(() => undefined);
    await eventually(
      async () => {
        const r = await run(['sms', 'export', '--unit', '12250', '--school-year', Y, '--out', path.join(dataDir, 'sms.csv')]);
        return r.code === 0 ? r : undefined;
      },
      'the outbox to hold the SMS',
      60_000,
    );
    await runOk(['sms', 'confirm', '--unit', '12250', '--sent-on', osloNow(), '--school-year', Y]);
    await stageReached('ask', 'smsSent');
    const inbound = await caller(base)('POST', '/sms/inbound', {
      source: `+47${youth.ask.mobile}`,
      destination: Y,
      userData: notes.smsReply,
      messageId: `privacy-scan-${Date.now()}`,
    });
    expect(inbound.status).toBe(200);
    await stageReached('ask', 'contactEstablished');
    await runOk(['case', 'outcome', await caseOf('ask'), '--status', 'OTAR', '--channel', 'sms', '--note', notes.outcome]);

    // A reply by phone registered in the CLI, its outcome through the API.
    const bre = await caseOf('bre');
    await runOk(['case', 'reply', bre, '--channel', 'phone', '--note', notes.reply]);
    const seen = await caseworker.call('GET', `/cases/${bre}`);
    expect(seen.status).toBe(200);
    const set = await caseworker.call(
      'POST',
      `/cases/${bre}/outcome`,
      { status: 'OTOV', channel: 'phone', note: notes.apiOutcome },
      { 'if-match': `"${(seen.body as { version: number }).version}"`, 'idempotency-key': `scan-${Date.now()}` },
    );
    expect(set.status).toBe(200);
    await runOk(['case', 'returned', await caseOf('cas'), '--note', notes.returned]);

    // The autumn phone campaign: one call not reached, then reached.
    const cas = await caseOf('cas');
    await stageReached('cas', 'phoneCampaign');
    await runOk(['calls', 'register', cas, '--result', 'not-reached', '--note', notes.callNotReached]);
    await runOk(['calls', 'register', cas, '--result', 'reached', '--status', 'OTAP', '--note', notes.callReached]);

    // The year ends: every case workflow closes.
    for (const who of Object.keys(youth) as Youth[]) {
      const handle = client.workflow.getHandle(youthCaseWorkflowId(YEAR, await caseOf(who)));
      await eventually(
        async () => ((await handle.describe()).status.name !== 'RUNNING' ? true : undefined),
        `${who}'s case to close at the year end`,
        240_000,
      );
    }

    // What PostgreSQL holds is where it belongs: the notes are in the read model's journal.
    const journal = await stack.pool.query<{ note: string | null }>(
      `SELECT coalesce(n.text, j.note) AS note FROM case_events j JOIN cases c ON c.case_id = j.case_id
         LEFT JOIN case_notes n ON n.id = j.note_id WHERE c.school_year = $1`,
      [YEAR],
    );
    const held = JSON.stringify(journal.rows);
    for (const n of Object.values(notes)) expect(held).toContain(n);

    // Search attributes and memos of every workflow of the year.
    const listed: string[] = [];
    for await (const w of client.workflow.list({ query: `SchoolYear = ${YEAR}` })) {
      listed.push(w.workflowId, JSON.stringify(w.searchAttributes), JSON.stringify(w.memo ?? {}));
    }
    expect(listed.length).toBeGreaterThanOrEqual(12);

    await api.stop();
    await worker.kill('SIGTERM');
    await temporal.stop();

    const hits: string[] = [];
    const dbFiles = readdirSync(dir).filter((f) => f.startsWith('temporal.db'));
    expect(dbFiles).toContain('temporal.db');
    for (const f of dbFiles) hits.push(...found(readFileSync(path.join(dir, f)), f));
    hits.push(...found(temporal.output(), "the dev server's log"));
    hits.push(...found(worker.output(), "the worker's log"));
    hits.push(...found(api.output(), "the API's log"));
    hits.push(...found(stderrs.join('\n'), "the CLI's stderr"));
    hits.push(...found(listed.join('\n'), 'search attributes and memos'));
    const written = [...filesBelow(dataDir), ...filesBelow(path.join(PROJECT_ROOT, 'data', 'exports'))];
    expect(written.length).toBeGreaterThan(0);
    hits.push(...found(written.map((f) => path.relative(dir, f)).join('\n'), 'file names'));
    expect(hits).toEqual([]);
  }, 600_000);
});
