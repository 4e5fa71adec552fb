import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { caseIdOf } from '../../domain/case-id';
import { defaultCalendar } from '../../workflows/calendar';
import { ot, type CliRun } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Every refusal of the CLI we know of, through the real `ot` executable, once as people run it and once with
 * --json as scripts do: the same non-zero exit code and the same one line on stderr both times, and no JSON
 * answer that a script could take for a success. (`ot letters confirm` once printed {"cases":0} and exited 0.)
 */
const YEAR = 2080;
const Y = String(YEAR);
const nextId = idFactory();
const dir = mkdtempSync(path.join(tmpdir(), 'ot-refusals-'));
const youth = { id: nextId('2015-08-17'), first: 'Ruth', mobile: '94567890' };
/** A valid fødselsnummer of nobody imported. */
const stranger = nextId('2014-12-24');
let stack: TestStack;
let caseId: string;

beforeAll(async () => {
  stack = await openStack();
  await stack.startWorker();
  // The default calendar of a year far ahead: the case waits for its letter all through this test.
  await setCalendar(stack, YEAR, defaultCalendar(YEAR));
  // Test ids are born by 2039 at the latest (makeNationalId), far over the age limit of a cohort so late: let them in.
  await stack.pool.query('UPDATE cohorts SET age_limit = 80 WHERE school_year = $1', [YEAR]);
  await (await submitImport(stack, { fileName: 'refusals.csv', content: transferFile([youth]), schoolYear: YEAR, strict: false })).result();
  caseId = caseIdOf(youth.id, YEAR, stack.config.caseIdKey);
  await eventually(async () => {
    const r = await stack.pool.query('SELECT stage FROM cases WHERE case_id = $1', [caseId]);
    return r.rows[0]?.stage === 'awaitingLetter' ? true : undefined;
  }, 'the case waiting for its letter');
  // Not 11 digits: rejected (11 digits that are no fødselsnummer would be a fictitious id, imported as Feil).
  writeFileSync(path.join(dir, 'bad.csv'), transferFile([{ id: '12345', first: 'Feil' }]));
  writeFileSync(path.join(dir, 'calendar.json'), '{ not json');
}, 120_000);
afterAll(() => stack?.close());

const today = () => new Date().toISOString().slice(0, 10);
const unknownCase = 'f'.repeat(24);

/** Each refusal: what it is, and the arguments after `ot` (and after `--json`). */
const REFUSALS: [string, () => string[]][] = [
  [
    'letters confirm with nothing printed',
    () => ['letters', 'confirm', '--unit', '12250', '--code', 'OSON', '--sent-on', today(), '--school-year', Y],
  ],
  ['sms confirm with nothing exported', () => ['sms', 'confirm', '--unit', '12250', '--sent-on', today(), '--school-year', Y]],
  ['letters batch with no letter due', () => ['letters', 'batch', '--unit', '12250', '--code', 'OSON', '--school-year', Y, '--out', dir]],
  ['letters batch of an unknown unit', () => ['letters', 'batch', '--unit', '99999', '--code', 'OSON', '--school-year', Y]],
  ['letters preview of no case', () => ['letters', 'preview', unknownCase, '--out', path.join(dir, 'p.pdf')]],
  ['sms export of an empty outbox', () => ['sms', 'export', '--unit', '12250', '--school-year', Y, '--out', path.join(dir, 'sms.csv')]],
  ['sms assign of no message', () => ['sms', 'assign', '00000000-0000-0000-0000-000000000000', '--case', caseId]],
  ['calls list before any campaign', () => ['calls', 'list', '--unit', '12250', '--school-year', Y]],
  ['calls register not reached with an outcome', () => ['calls', 'register', caseId, '--result', 'not-reached', '--status', 'OTAP']],
  ['calls register with a national id in the note', () => ['calls', 'register', caseId, '--result', 'not-reached', '--note', 'fnr 01010112345']],
  ['report not stored yet', () => ['report', '--school-year', Y, '--report', 'november']],
  ['evaluation into a folder that cannot be made', () => ['evaluation', '--school-year', Y, '--out', '/dev/null/evaluation']],
  ['cases of an unknown unit', () => ['cases', '--school-year', Y, '--unit', '99999']],
  ['cases without a school year', () => ['cases']],
  ['cases both unreached and awaiting an outcome', () => ['cases', '--school-year', Y, '--unreached', '--awaiting-outcome']],
  ['case show of no case', () => ['case', 'show', unknownCase]],
  ['case show of a malformed id', () => ['case', 'show', 'nope']],
  ['case find of no fødselsnummer', () => ['case', 'find', '123', '--school-year', Y]],
  ['case find of a stranger', () => ['case', 'find', stranger, '--school-year', Y]],
  ['case outcome OTUK', () => ['case', 'outcome', caseId, '--status', 'OTUK', '--channel', 'phone']],
  ['case outcome with an OS code', () => ['case', 'outcome', caseId, '--status', 'OSON', '--channel', 'phone']],
  ['case returned with no letter printed', () => ['case', 'returned', caseId]],
  ['case contact with neither address nor mobile', () => ['case', 'contact', caseId, '--source', 'nav']],
  ['case reply with a national id in the note', () => ['case', 'reply', caseId, '--channel', 'phone', '--note', 'fnr 01010112345']],
  ['calendar set with nothing to set', () => ['calendar', 'set', '--school-year', Y]],
  ['calendar set with a date that is none', () => ['calendar', 'set', '--school-year', Y, 'letters.OSON=soon']],
  ['calendar set from a file that is not JSON', () => ['calendar', 'set', '--school-year', Y, '--file', path.join(dir, 'calendar.json')]],
  ['crosscheck of a missing file', () => ['crosscheck', path.join(dir, 'missing.csv'), '--school-year', Y, '--list', 'exchange']],
  ['cohort import of a missing file', () => ['cohort', 'import', path.join(dir, 'missing.csv'), '--school-year', Y]],
  ['cohort import --strict of a file with a bad row', () => ['cohort', 'import', path.join(dir, 'bad.csv'), '--school-year', Y, '--strict']],
  ['person export of no fødselsnummer', () => ['person', 'export', '123']],
  ['person export of a stranger', () => ['person', 'export', stranger, '--out', dir]],
  ['person erase of a stranger', () => ['person', 'erase', stranger]],
  ['retention run before the period ends', () => ['retention', 'run', '--school-year', Y]],
  ['payload-keys rotate with the keys from the environment', () => ['payload-keys', 'rotate']],
  ['users add of a caseworker without a unit', () => ['users', 'add', 'mends-refused', '--role', 'caseworker', '--name', 'Ingen Eining']],
  ['users disable of oneself', () => ['users', 'disable', 'test-operator']],
  ['a command as an account that does not exist', () => ['cases', '--school-year', Y, '--as', 'nobody']],
  ['an unknown command', () => ['nonsense']],
];

describe('every refusal of the CLI', () => {
  it.each(REFUSALS)('%s: the same exit code and line with and without --json', async (_what, args) => {
    const plain: CliRun = await ot(args());
    const json: CliRun = await ot(['--json', ...args()]);
    expect(plain.code).not.toBe(0);
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: plain.code, stderr: plain.stderr });
    if (plain.stderr) expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    // A refusal with a summary of its own (an import refused under --strict) prints it; no other answers on stdout.
    if (!args().includes('--strict')) expect(json.stdout).toBe('');
  });

  it('changed nothing', async () => {
    const r = await stack.pool.query('SELECT stage, ot_status FROM cases WHERE case_id = $1', [caseId]);
    expect(r.rows[0]).toEqual({ stage: 'awaitingLetter', ot_status: 'OSON' });
    expect((await stack.pool.query(`SELECT count(*)::int AS n FROM mailings WHERE school_year = $1`, [YEAR])).rows[0].n).toBe(0);
    expect((await stack.pool.query(`SELECT count(*)::int AS n FROM users WHERE username = 'mends-refused'`)).rows[0].n).toBe(0);
  });
});
