import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { caseIdOf } from '../../domain/case-id';
import { PROJECT_ROOT } from '../../domain/project-root';
import { caller, userWithToken } from '../support/api';
import { ot, type CliRun } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { spawnWorker } from '../../bench/worker-process';

/**
 * Safe exports and the case-id key, through the real CLI (and the real worker and API programs): a cohort whose names start
 * like formulas and hold terminal escapes, its SMS export and call list written escaped, typed as text and owner-only; a
 * note with an ANSI escape printed without it; a CLI or worker with another key refused;
 * the API without a key still finding a case by national id.
 */
const YEAR = 2067;
const Y = String(YEAR);
const TASK_QUEUE = 'safe-exports';
const dir = mkdtempSync(path.join(tmpdir(), 'ot-safe-exports-'));
const dataDir = path.join(dir, 'data');
const nextId = idFactory();
const ESC = '\u001b';
const NOTE = `${ESC}[31mring${ESC}[0m etter kl 16${ESC}]0;owned${ESC}\\`;

const youth = {
  link: {
    id: nextId('2020-01-10'),
    first: '"=HYPERLINK(""http://evil.example/"")"',
    stored: '=HYPERLINK("http://evil.example/")',
    mobile: '91230001',
  },
  sum: { id: nextId('2020-02-11'), first: '@SUM(A1:A9)', stored: '@SUM(A1:A9)', mobile: '91230002' },
  escape: { id: nextId('2020-03-12'), first: `Ola${ESC}[2J${ESC}]0;owned${ESC}\\`, stored: `Ola${ESC}[2J${ESC}]0;owned${ESC}\\`, mobile: '91230003' },
};
type Who = keyof typeof youth;
let stack: TestStack;
const caseOf = (who: Who) => caseIdOf(youth[who].id, YEAR, stack.config.caseIdKey);
const env = { OT_TASK_QUEUE: TASK_QUEUE, OT_DATA_DIR: dataDir };
const run = (args: string[], more: NodeJS.ProcessEnv = {}): Promise<CliRun> => ot(args, { ...env, ...more });
const mode = (f: string) => statSync(f).mode & 0o777;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const noControls = (s: string) => expect(s).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);

/**
 * Youth born by 2039 (what makeNationalId can make) are outside the target group of school year 2067, so the import stores
 * none of them as a case: the test imports the file through the CLI (its summary printed clean), then stands in what a
 * year of the campaign leaves behind (the persons, their cases on the autumn call list, a call with a note, the SMS in the
 * outbox) and exports it all through the real CLI.
 */
async function seedCampaign(): Promise<void> {
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 24) ON CONFLICT DO NOTHING', [YEAR]);
  let seq = 0;
  for (const [who, y] of Object.entries(youth) as [Who, (typeof youth)[Who]][]) {
    const caseId = caseOf(who);
    await stack.pool.query(
      `INSERT INTO persons (case_id, school_year, national_id, id_kind, first_name, last_name, mobile)
       VALUES ($1, $2, $3, 'fnr', $4, 'Bø', $5) ON CONFLICT DO NOTHING`,
      [caseId, YEAR, y.id, y.stored, `+47${y.mobile}`],
    );
    await stack.pool.query(
      `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, flags, seq, phone_campaign)
       VALUES ($1, $2, '12250', 'OSON', 'OTUK', 'phoneCampaign', '{}', 1, 'autumn')`,
      [caseId, YEAR],
    );
    await stack.pool.query("INSERT INTO call_list (school_year, campaign, case_id, unit) VALUES ($1, 'autumn', $2, '12250')", [YEAR, caseId]);
    await stack.pool.query(
      `INSERT INTO sms_messages (message_key, case_id, school_year, unit, step, mobile, body, provider, status)
       VALUES ($1, $2, $3, '12250', 'sms1', $4, $5, 'outbox', 'queued')`,
      [`${caseId}:sms1`, caseId, YEAR, `+47${y.mobile}`, `${y.stored}: svar gjerne på denne SMS-en. Helsing OT`],
    );
    await stack.pool.query(
      `INSERT INTO case_events (case_id, seq, at, event, by_user, note, detail, from_stage, from_status, to_stage, to_status)
       VALUES ($1, $2, now(), 'CALL', 'Kari Ringjar', $3, '{"result":"notReached"}', 'phoneCampaign', 'OTUK', 'phoneCampaign', 'OTUK')`,
      [caseId, ++seq, NOTE],
    );
  }
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: TASK_QUEUE });
  await stack.startWorker();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

describe('safe exports', () => {
  it('imports the cohort file through the CLI and prints its summary without control characters', async () => {
    const file = path.join(dir, 'transfer.csv');
    writeFileSync(file, transferFile(Object.values(youth).map((y) => ({ id: y.id, first: y.first, last: 'Bø', mobile: y.mobile }))));
    const imported = await run(['cohort', 'import', file, '--school-year', Y]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    noControls(imported.stdout);
    await seedCampaign();
    const listed = await run(['cases', '--school-year', Y]);
    expect(listed.code).toBe(0);
    noControls(listed.stdout);
    expect(listed.stdout).toContain('Ola Bø');
    expect(listed.stdout).toContain('=HYPERLINK("http://evil.example/") Bø');
  });

  it('exports the SMS for PSWin: mobiles as 8 digits, a text that opens like a formula defused, the file owner-only', async () => {
    const file = path.join(dir, 'sms.csv');
    const exported = await run(['sms', 'export', '--unit', '12250', '--school-year', Y, '--out', file]);
    expect(exported.stderr).toBe('');
    expect(mode(file)).toBe(0o600);
    const rows = parse(readFileSync(file, 'utf8'), { bom: true, delimiter: ';' });
    expect(rows[0]).toEqual(['mobil', 'melding']);
    const byMobile = new Map(rows.slice(1).map(([m, text]) => [m, text]));
    expect([...byMobile.keys()].sort()).toEqual(['91230001', '91230002', '91230003']);
    expect(byMobile.get('91230001')).toBe(`'=HYPERLINK("http://evil.example/"): svar gjerne på denne SMS-en. Helsing OT`);
    expect(byMobile.get('91230002')).toMatch(/^'@SUM\(A1:A9\): /);
  });

  it('writes the call list as CSV and XLSX, escaped and typed as text, and prints a note without its ANSI escape', async () => {
    const xlsx = path.join(dir, 'calls.xlsx');
    const listed = await run(['calls', 'list', '--unit', '12250', '--school-year', Y, '--xlsx', xlsx]);
    expect(listed.stderr).toBe('');
    noControls(listed.stdout);
    expect(listed.stdout).toContain('ring etter kl 16');
    expect(listed.stdout).toContain('Ola Bø');
    const csvFile = xlsx.replace(/xlsx$/, 'csv');
    expect(listed.stdout).toContain(`written to ${xlsx} and ${csvFile}`);
    expect([mode(xlsx), mode(csvFile)]).toEqual([0o600, 0o600]);
    const csv = readFileSync(csvFile, 'utf8');
    expect(csv).toContain(`;"'=HYPERLINK(""http://evil.example/"") Bø";`);
    expect(csv).toContain(`;"'@SUM(A1:A9) Bø";`);
    // A mobile as the call list shows it (+47...) is text for people: defused like any other cell.
    expect(csv).toContain(`;"'+4791230001";`);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const nameColumn = header.indexOf('name') + 1;
    const names: string[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const cell = row.getCell(nameColumn);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      expect(cell.numFmt).toBe('@');
      names.push(String(cell.value));
    });
    expect(names).toEqual(expect.arrayContaining([`${youth.link.stored} Bø`, `${youth.sum.stored} Bø`]));
    expect(names).toHaveLength(3);
  });
});

describe('the case-id key', () => {
  const OTHER_KEY = 'another-county-s-case-id-key-0123';

  it('is checked by ot status', async () => {
    const good = await run(['status']);
    expect(good.stdout).toMatch(/✓ case-id key\s+fingerprint [0-9a-f]{16}, the key the cases were made with/);
    const bad = await run(['status'], { OT_CASE_ID_KEY: OTHER_KEY });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ case-id key\s+this case-id key \(fingerprint [0-9a-f]{16}\) is not the one the cases were made with/);
  });

  it('refuses a CLI with another key, in one line and a non-zero exit', async () => {
    const r = await run(['cases', '--school-year', '2068'], { OT_CASE_ID_KEY: OTHER_KEY });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^ot: refused: this case-id key \(fingerprint [0-9a-f]{16}\) is not the one the cases were made with \(fingerprint [0-9a-f]{16}\): set OT_CASE_ID_KEY/,
    );
    expect(r.stderr).not.toContain(OTHER_KEY);
  });

  it('refuses to start a worker with another key', async () => {
    const worker = spawnWorker({ OT_CASE_ID_KEY: OTHER_KEY, OT_TASK_QUEUE: 'safe-exports-other-key', OT_LOG_LEVEL: 'info' });
    const code = await new Promise<number | null>((resolve) => worker.child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(worker.output()).toMatch(/is not the one the cases were made with/);
    expect(worker.output()).not.toContain(OTHER_KEY);
  });

  it('is not needed by the API: started without one, it finds a case by national id and makes no key', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const apiData = path.join(dir, 'api-data');
    const apiEnv: NodeJS.ProcessEnv = { ...process.env, OT_DATA_DIR: apiData, OT_API_PORT: String(port), OT_LOG_LEVEL: 'warn' };
    delete apiEnv.OT_CASE_ID_KEY;
    const api: ChildProcess = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'client', 'api', 'main.js')], {
      env: apiEnv,
      stdio: 'ignore',
    });
    try {
      const url = `http://127.0.0.1:${port}`;
      await eventually(async () => ((await fetch(`${url}/health`).catch(() => undefined))?.status ? true : undefined), 'the API up');
      const { call } = await userWithToken(stack, url, { role: 'operator' });
      const found = await call('POST', '/cases/lookup', { nationalId: youth.sum.id, schoolYear: YEAR });
      expect(found).toMatchObject({ status: 200, body: { caseId: caseOf('sum'), unit: '12250' } });
      expect((await call('POST', '/cases/lookup', { nationalId: youth.sum.id, schoolYear: 2068 })).status).toBe(404);
      const health = await caller(url)('GET', '/health');
      expect(health.status).toBeLessThan(600);
      expect(existsSync(path.join(apiData, 'case-id.key'))).toBe(false);
    } finally {
      api.kill('SIGTERM');
    }
  });
});
