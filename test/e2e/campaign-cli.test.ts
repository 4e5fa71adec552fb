import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { CaseDetailRow, CaseListRow } from '../../client/use-cases/case-queries';
import type { CrosscheckReport } from '../../client/use-cases/crosscheck';
import { ensureAccount, ot, type CliRun } from '../support/cli';
import { nationalIdsIn } from '../support/privacy';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { type ImportSummary } from '../../workflows/contracts/cohort-import';
import { type MailingResult } from '../../workflows/contracts/mass-operations';
import { type CampaignCalendar } from '../../schemas/calendar';

/**
 * The campaign commands of `ot`, run as real processes the way an operator and the office would run
 * them through a school year: the calendar, the letter and SMS mailings, the caseworkers' case
 * commands, the admissions office's cross-check, and the case list reflecting each change.
 */
const YEAR = 2034;
const Y = String(YEAR);
const ZONE = 'Europe/Oslo';
const dir = mkdtempSync(path.join(tmpdir(), 'ot-campaign-cli-'));
const nextId = idFactory();
let stack: TestStack;

const youth = {
  /** OSON with a mobile: letter, SMS, then a reply and an outcome. */
  astrid: { id: nextId('2016-01-10'), first: 'Astrid', mobile: '91234567' },
  /** OSON without a mobile: off the SMS list until the youth gives a mobile. */
  bjorn: { id: nextId('2016-02-11'), first: 'Bjørn' },
  /** Claimed by a caseworker before the letters. */
  cecilie: { id: nextId('2016-03-12'), first: 'Cecilie', mobile: '92345678' },
  /** OSUT: its letter date is later; on the private-school list. */
  dag: { id: nextId('2016-04-13'), first: 'Dag', os: 'OSUT' },
  /** A second address and no mobile: the letter comes back twice, then NAV gives a new address. */
  eli: { id: nextId('2016-05-14'), first: 'Eli', address2: ['Nygata 2', '5017', 'Bergen'] as [string, string, string] },
  /** Another unit: not in unit 12250's mailing. */
  frode: { id: nextId('2016-06-15'), first: 'Frode', unit: '12256', mobile: '93456789' },
  /** Turns up at the office after the letter: followed up (OTOV). */
  gro: { id: nextId('2016-07-16'), first: 'Gro', mobile: '94561234' },
};
type Youth = keyof typeof youth;
const nameOf = (who: Youth) => `${youth[who].first} Bø`;
const strangerId = nextId('2016-08-17');

/** Every stderr the test collects: none may hold a national id number. */
const stderrs: string[] = [];
/** 11 digits in a row, not inside a case id (24 hexadecimal characters may well hold such a run). */
const hasElevenDigits = (s: string) => nationalIdsIn(s).length > 0;

async function run(args: string[]): Promise<CliRun> {
  const r = await ot(args);
  stderrs.push(r.stderr);
  expect(hasElevenDigits(r.stderr)).toBe(false);
  for (const y of Object.values(youth)) expect(r.stdout).not.toContain(y.id);
  return r;
}

async function runJson<T>(args: string[]): Promise<T> {
  const r = await run(['--json', ...args]);
  if (r.code !== 0) throw new Error(`ot --json ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** One line, no stack trace. */
function expectCleanError(r: { code: number; stderr: string }, message: RegExp) {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

const caseIds = new Map<Youth, string>();
async function caseOf(who: Youth): Promise<string> {
  if (!caseIds.has(who)) caseIds.set(who, (await runJson<CaseDetailRow>(['case', 'find', youth[who].id, '--school-year', Y])).caseId);
  return caseIds.get(who)!;
}
const show = async (who: Youth) => runJson<CaseDetailRow>(['case', 'show', await caseOf(who)]);
const showText = async (who: Youth) => {
  const r = await run(['case', 'show', await caseOf(who)]);
  expect(r.code).toBe(0);
  return r.stdout;
};

async function stageReached(who: Youth, stage: string): Promise<CaseDetailRow> {
  return eventually(async () => {
    const d = await show(who);
    return d.stage === stage ? d : undefined;
  }, `${who} to reach ${stage}`);
}

/** The names on `ot cases` with these filters, sorted. */
async function namesListed(...filter: string[]): Promise<string[]> {
  return (await runJson<CaseListRow[]>(['cases', '--school-year', Y, ...filter])).map((c) => c.name).sort();
}

/** Waits until `ot cases --stage S` (the read model) lists exactly these youth. */
async function listedInStage(stage: string, who: Youth[]): Promise<void> {
  const want = who.map(nameOf).sort();
  await eventually(
    async () => {
      const names = await namesListed('--stage', stage);
      return JSON.stringify(names) === JSON.stringify(want) ? names : undefined;
    },
    `ot cases --stage ${stage} to list ${want.join(', ')}`,
  );
}

/** A journal line of `ot case show`: when (Oslo time to the second, during this test), what, and who. */
function journalLine(text: string, event: string, by: string): { at: number; line: string } {
  const lines = text
    .split('\n')
    .filter((l) => new RegExp(`^  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  ${event}\\b`).test(l) && l.includes(` by ${by}`));
  expect(lines).toHaveLength(1);
  const at = DateTime.fromFormat(lines[0].trim().slice(0, 19), 'yyyy-LL-dd HH:mm:ss', { zone: ZONE }).toMillis();
  expect(at).toBeGreaterThanOrEqual(testStart - 1000);
  expect(at).toBeLessThanOrEqual(Date.now());
  return { at, line: lines[0] };
}

const osloIso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true })!;
const today = () => DateTime.now().setZone(ZONE).toISODate()!;
const tomorrow = () => DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;

interface ShownCalendar {
  schoolYear: number;
  version: number;
  custom: boolean;
  calendar: CampaignCalendar;
}
const calendarShown = () => runJson<ShownCalendar>(['calendar', 'show', '--school-year', Y]);

let testStart: number;
/** The test's own calendar: the OSON letters already due, everything else at least 20 minutes away. */
let yearEnd: number;

beforeAll(async () => {
  testStart = Date.now();
  stack = await openStack();
  await stack.startWorker();
  // The people the journal names: each runs the CLI as their own account.
  await ensureAccount(stack, 'kari', 'Kari Kontor');
  await ensureAccount(stack, 'nils', 'Nils Rådgjevar');
  await ensureAccount(stack, 'siri', 'Siri Systemansvarleg');
});
afterAll(() => stack.close());

describe('the campaign calendar on the command line', () => {
  it('shows the default calendar of a school year nobody has changed', async () => {
    const r = await run(['calendar', 'show', '--school-year', Y]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/calendar of school year 2034 \(the default from the seeds/);
    expect(r.stdout).toMatch(/letters\.OSON\s+2034-09-10/);
    expect(r.stdout).toMatch(/schoolYearEnd\s+2035-07-31/);
    expect(r.stdout).toMatch(/smsAfterLetters\s+P14D/);
    expect(await calendarShown()).toMatchObject({ schoolYear: YEAR, version: 1, custom: false, calendar: { letters: { OSON: '2034-09-10' } } });
  });

  it('compresses the whole year into seconds from now with --compressed', async () => {
    const before = Date.now();
    const r = await run(['calendar', 'set', '--school-year', Y, '--compressed', '3s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/calendar of school year 2034 is now version 1; told 0 running case\(s\)/);
    const shown = await calendarShown();
    expect(shown).toMatchObject({ version: 1, custom: true });
    const cal = shown.calendar;
    expect(cal.smsAfterLetters).toBe('PT3S');
    const at = (d: string) => DateTime.fromISO(d, { zone: ZONE }).toMillis();
    // The same order as the seeds, three seconds a step, all within the next minutes.
    expect(at(cal.washing.OSON)).toBeGreaterThanOrEqual(before);
    expect(at(cal.letters.OSON) - at(cal.washing.OSON)).toBeGreaterThan(0);
    expect((at(cal.letters.OSON) - at(cal.washing.OSON)) % 3000).toBe(0);
    expect(at(cal.letters.OSUT)).toBeGreaterThan(at(cal.letters.OSON));
    expect(at(cal.phoneCampaigns.autumn.until)).toBeGreaterThan(at(cal.phoneCampaigns.autumn.from));
    expect(at(cal.schoolYearEnd)).toBeGreaterThan(at(cal.reports.june));
    expect(at(cal.schoolYearEnd)).toBeLessThan(before + 10 * 60_000);
    const human = await run(['calendar', 'show', '--school-year', Y]);
    expect(human.stdout).toMatch(/calendar of school year 2034 \(version 1, set \d{4}-\d{2}-\d{2}T/);
  });

  it('refuses a bad change with one line and changes nothing', async () => {
    const before = await calendarShown();
    const set = (...args: string[]) => run(['calendar', 'set', '--school-year', Y, ...args]);
    expectCleanError(
      await set('letters.OSOM=2026-09-10'),
      /calendar not changed: letters\.OSOM is not a calendar key; keys are .*letters\.OSON, .*schoolYearEnd.*smsAfterLetters/,
    );
    expectCleanError(await set('letters.OSON=2026-02-30'), /calendar not changed: letters\.OSON: must be a date/);
    expectCleanError(await set('letters.OSON=in a while'), /calendar not changed: letters\.OSON: must be a date/);
    expectCleanError(await set('smsAfterLetters=two weeks'), /calendar not changed: smsAfterLetters: must be an ISO duration/);
    expectCleanError(await set('letters.OSON=2099-01-01'), /calendar not changed: letters\.OSON \(2099-01-01\) is not before the school year ends/);
    expectCleanError(await set('phoneCampaigns.autumn.until=2020-01-01'), /calendar not changed: phoneCampaigns\.autumn must end after it starts/);
    expectCleanError(await set('letters.OSON'), /calendar not changed: "letters\.OSON" is not KEY=DATE/);
    expectCleanError(await set(), /give KEY=DATE settings, --file or --compressed \(one of them\)/);

    const good = path.join(dir, 'good-calendar.json');
    writeFileSync(good, JSON.stringify(before, null, 2));
    expectCleanError(await set('--file', good, 'letters.OSON=2026-09-10'), /one of them/);
    expectCleanError(await set('--file', good, '--compressed', '3s'), /one of them/);
    expectCleanError(await set('--compressed', '0s'), /a step in whole seconds, such as 20s/);

    const notJson = path.join(dir, 'calendar.txt');
    writeFileSync(notJson, 'letters.OSON: 10 September\nsmsAfterLetters: 14 days\n');
    expectCleanError(await set('--file', notJson), /calendar\.txt is not valid JSON/);
    expectCleanError(await set('--file', path.join(dir, 'missing.json')), /cannot read .*missing\.json: no such file/);
    const nullJson = path.join(dir, 'null.json');
    writeFileSync(nullJson, 'null\n');
    expectCleanError(await set('--file', nullJson), /calendar not changed: Invalid input: expected object, received null/);
    const partial = path.join(dir, 'partial-calendar.json');
    const { schoolYearEnd: _dropped, ...withoutEnd } = before.calendar;
    writeFileSync(partial, JSON.stringify(withoutEnd));
    expectCleanError(await set('--file', partial), /calendar not changed: schoolYearEnd/);
    const extra = path.join(dir, 'extra-calendar.json');
    writeFileSync(extra, JSON.stringify({ ...before.calendar, holidays: '2026-12-24' }));
    expectCleanError(await set('--file', extra), /calendar not changed: .*holidays/);

    expect(await calendarShown()).toEqual(before);
  });

  it('takes a whole calendar from a file edited from calendar show --json', async () => {
    const shown = await calendarShown();
    const t0 = Date.now();
    yearEnd = t0 + 90 * 60_000;
    const cal = shown.calendar;
    // Letters for OSON are already due; the rest of the year is far enough away that nothing else moves during the test.
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
    cal.schoolYearEnd = osloIso(yearEnd);
    const file = path.join(dir, 'calendar.json');
    writeFileSync(file, JSON.stringify(shown, null, 2));

    const r = await run(['calendar', 'set', '--school-year', Y, '--file', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/is now version 2; told 0 running case\(s\)/);
    expect(r.stdout).toContain(cal.letters.OSON);
    const after = await calendarShown();
    expect(after).toMatchObject({ version: 2, custom: true });
    expect(after.calendar).toEqual(cal);

    // Still refused once the year has an end: a date after it.
    expectCleanError(
      await run(['calendar', 'set', '--school-year', Y, `letters.OSUT=${osloIso(yearEnd + 60_000)}`]),
      /calendar not changed: letters\.OSUT \(.*\) is not before the school year ends/,
    );
    expect((await calendarShown()).version).toBe(2);
  });
});

describe('a school year of mailings and case commands', () => {
  it('imports the cohort, and the OSON cases are due for their letter at once', async () => {
    const file = path.join(dir, 'transfer.csv');
    writeFileSync(file, transferFile(Object.values(youth)));
    const summary = await runJson<ImportSummary>(['cohort', 'import', file, '--school-year', Y]);
    expect(summary).toMatchObject({ rows: 7, created: 7 });
    expect(summary.rejected).toEqual([]);
    await listedInStage('letterDue', ['astrid', 'bjorn', 'cecilie', 'eli', 'frode', 'gro']);
    await listedInStage('awaitingLetter', ['dag']);
    expect(await namesListed('--status', 'OSON')).toEqual(
      ['astrid', 'bjorn', 'cecilie', 'eli', 'frode', 'gro'].map((w) => nameOf(w as Youth)).sort(),
    );
  });

  it('lets a caseworker claim a case before the letters, and the journal says who and when', async () => {
    const id = await caseOf('cecilie');
    const r = await run(['case', 'claim', id, '--as', 'kari', '--caseworker', 'Nils Rådgjevar', '--note', 'kjenner familien']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stage\s+caseworkerFollowUp/);
    expect(r.stdout).toMatch(/caseworker\s+Nils Rådgjevar/);
    expect(r.stdout).toMatch(/OT status\s+OTOV/);
    const { line } = journalLine(await showText('cecilie'), 'CLAIM', 'Kari Kontor');
    expect(line).toMatch(/CLAIM status=OTOV caseworker=Nils Rådgjevar by Kari Kontor OSON\/letterDue → OTOV\/caseworkerFollowUp: kjenner familien$/);
    await listedInStage('caseworkerFollowUp', ['cecilie']);

    // --caseworker defaults to the one acting; a claim of a case already followed up is refused.
    expectCleanError(await run(['case', 'claim', id, '--as', 'nils']), /^ot: refused: the case is already followed up by Nils Rådgjevar/);
    expectCleanError(await run(['case', 'claim', await caseOf('frode'), '--as', 'nils', '--status', 'OSON']), /^ot: refused: OSON is an OS code/);
    expectCleanError(
      await run(['case', 'claim', await caseOf('frode'), '--as', 'nils', '--status', 'OTVF_IM']),
      /^ot: refused: OTVF_IM takes the youth out of the target group/,
    );
    expect((await show('frode')).stage).toBe('letterDue');
  });

  it('refuses a letters confirmation for a future day, an unknown unit or an unknown code', async () => {
    const confirm = (...args: string[]) => run(['letters', 'confirm', '--school-year', Y, '--as', 'siri', ...args]);
    expectCleanError(
      await confirm('--unit', '12250', '--code', 'OSON', '--sent-on', tomorrow()),
      /is in the future: confirm a mailing once it has gone/,
    );
    expectCleanError(await confirm('--unit', '12250', '--code', 'OSON', '--sent-on', 'yesterday'), /a date such as 2026-09-10/);
    expectCleanError(await confirm('--unit', '99999', '--code', 'OSON', '--sent-on', today()), /unit 99999 is not a configured OT unit/);
    expectCleanError(await confirm('--unit', '12250', '--code', 'OSXX', '--sent-on', today()), /Allowed choices are OSON, OSUT, OSNP, OSVE/);
    // Only as an account that exists: who confirmed is recorded.
    expectCleanError(
      await run(['letters', 'confirm', '--school-year', Y, '--unit', '12250', '--code', 'OSON', '--sent-on', today(), '--as', 'nobody']),
      /^ot: no enabled account nobody\n$/,
    );
    // Nothing moved.
    await listedInStage('letterDue', ['astrid', 'bjorn', 'eli', 'frode', 'gro']);
  });

  it('prints the unit’s OSON batch as a PDF with its lists, and refuses a confirmation before anything is printed', async () => {
    const early = await run(['letters', 'confirm', '--unit', '12250', '--code', 'OSON', '--sent-on', today(), '--school-year', Y, '--as', 'siri']);
    expectCleanError(early, /no printed letter awaits confirmation, so nothing was recorded; print the batch first \(ot letters batch\)/);
    const out = path.join(dir, 'letters');
    const batch = await run(['letters', 'batch', '--unit', '12250', '--code', 'OSON', '--school-year', Y, '--as', 'kari', '--out', out]);
    expect(batch.code).toBe(0);
    expect(batch.stdout).toMatch(/^batch 1 of unit 12250, OSON, dated \d{4}-\d{2}-\d{2}: 4 letter\(s\) on 8 page\(s\)\n/);
    expect(batch.stdout).toContain(`print:  ${path.join(out, `brev-${Y}-12250-OSON-1.pdf`)}`);
    expect(existsSync(path.join(out, `brev-${Y}-12250-OSON-1.pdf`))).toBe(true);
    const list = readFileSync(path.join(out, `brev-${Y}-12250-OSON-1-liste.csv`), 'utf8');
    expect(list.split('\r\n')[0]).toBe('\uFEFFnr;postnummer;poststad;mottakar;adresse;brev;saksref');
    for (const who of ['astrid', 'bjorn', 'eli', 'gro'] as const) expect(list).toContain(nameOf(who));
    expect(existsSync(path.join(out, `brev-${Y}-12250-OSON-1-liste.xlsx`))).toBe(true);
    // Printed already: a second run has nothing to print.
    expectCleanError(
      await run(['letters', 'batch', '--unit', '12250', '--code', 'OSON', '--school-year', Y, '--as', 'kari', '--out', out]),
      /no letter to print/,
    );
    expectCleanError(await run(['letters', 'preview', 'not-a-case']), /a case id is 24 hexadecimal characters/);
    const preview = path.join(dir, 'preview.pdf');
    const shown = await run(['letters', 'preview', await caseOf('astrid'), '--out', preview]);
    expect(shown.stdout).toBe(`${preview}: 1 letter(s), 2 page(s)\n`);
  });

  it('recodes the unit’s OSON letter batch to OTUK, and says so once', async () => {
    const sentOn = today();
    const args = ['letters', 'confirm', '--unit', '12250', '--code', 'OSON', '--sent-on', sentOn, '--school-year', Y, '--as', 'siri'];
    const first = await run(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`letters to unit 12250 with code OSON sent on ${sentOn}: 4 case(s) recoded to OTUK\n`);
    await listedInStage('letterSent', ['astrid', 'bjorn', 'eli', 'gro']);
    for (const who of ['astrid', 'bjorn', 'eli', 'gro'] as const) {
      const d = await show(who);
      expect(d).toMatchObject({ otStatus: 'OTUK', stage: 'letterSent', letter: { sentOn, returns: 0 } });
    }
    const text = await showText('astrid');
    expect(text).toMatch(new RegExp(`letter\\s+sent ${sentOn}`));
    expect(text).toMatch(new RegExp(`LETTERS_SENT sentOn=${sentOn} batchId=\\S+ by Siri Systemansvarleg OSON/letterDue → OTUK/letterSent`));
    expect(await namesListed('--status', 'OTUK')).toEqual(['astrid', 'bjorn', 'eli', 'gro'].map((w) => nameOf(w as Youth)).sort());

    const again = await run(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^letters to unit 12250 with code OSON sent on ${sentOn}: already confirmed at \\S+ for 4 case\\(s\\); nothing more done\\n$`),
    );
    const json = await runJson<MailingResult>(args);
    expect(json).toMatchObject({ cases: 4, signalled: 0, firstConfirmation: false });
    // The other unit's case and the claimed case are not in the batch.
    expect((await show('frode')).stage).toBe('letterDue');
    expect((await show('cecilie')).stage).toBe('caseworkerFollowUp');
    expect((await show('astrid')).journal.filter((e) => e.event === 'LETTERS_SENT')).toHaveLength(1);
  });

  it('refuses a bad outcome, a late claim, a national id in a note and bad arguments, and changes nothing', async () => {
    const id = await caseOf('astrid');
    const before = await show('astrid');
    const outcome = (...args: string[]) => run(['case', 'outcome', id, '--as', 'kari', ...args]);
    expectCleanError(
      await outcome('--status', 'OSON', '--channel', 'phone'),
      /^ot: refused: OSON is an OS code: it says why VIGO sent the youth to OT and cannot be an outcome/,
    );
    expectCleanError(await outcome('--status', 'OTUK', '--channel', 'phone'), /^ot: refused: OTUK means nobody knows what the youth does yet/);
    expectCleanError(await outcome('--status', 'OTXX', '--channel', 'phone'), /"OTXX" is neither an OS code nor a UDIR OT status code/);
    expectCleanError(await outcome('--status', 'OTAR', '--channel', 'fax'), /argument 'fax' is invalid\. Allowed choices are reply-sheet, phone/);
    expectCleanError(await outcome('--status', 'OTAR'), /--channel/);
    expectCleanError(
      await run(['case', 'outcome', id, '--status', 'OTAR', '--channel', 'phone', '--as', 'nobody']),
      /^ot: no enabled account nobody\n$/,
    );
    const withId = await outcome('--status', 'OTAR', '--channel', 'phone', '--note', 'fnr 15010612345 ringde');
    expectCleanError(withId, /^ot: refused: the note looks like it holds a national id number: leave it out/);
    expect(withId.stderr).not.toContain('15010612345');
    expectCleanError(
      await run(['case', 'reply', id, '--channel', 'phone', '--as', 'kari', '--note', 'ring 150106 12345']),
      /^ot: refused: the note looks like it holds a national id number/,
    );
    expectCleanError(await run(['case', 'claim', id, '--as', 'nils']), /^ot: refused: the letter went on .*: a claim must come before the letters/);
    expectCleanError(
      await run(['case', 'returned', await caseOf('frode'), '--as', 'kari']),
      /^ot: refused: no letter has been sent to this case yet/,
    );

    expectCleanError(
      await run(['case', 'outcome', 'not-a-case', '--status', 'OTAR', '--channel', 'phone', '--as', 'kari']),
      /a case id is 24 hexadecimal characters/,
    );
    expectCleanError(
      await run(['case', 'outcome', id.toUpperCase(), '--status', 'OTAR', '--channel', 'phone', '--as', 'kari']),
      /a case id is 24 hexadecimal characters/,
    );
    const nobody = 'abcdefabcdefabcdefabcdef';
    expectCleanError(
      await run(['case', 'outcome', nobody, '--status', 'OTAR', '--channel', 'phone', '--as', 'kari']),
      new RegExp(`^ot: no case ${nobody}\n$`),
    );
    expectCleanError(await run(['case', 'reply', nobody, '--channel', 'phone', '--as', 'kari']), /no case abcdef/);
    expectCleanError(await run(['case', 'claim', nobody, '--as', 'kari']), /no case abcdef/);
    expectCleanError(await run(['case', 'returned', nobody, '--as', 'kari']), /no case abcdef/);
    expectCleanError(await run(['case', 'contact', nobody, '--mobile', '94567890', '--source', 'youth', '--as', 'kari']), /no case abcdef/);
    expectCleanError(await run(['case', 'show', nobody]), /no case abcdef/);

    expect(await show('astrid')).toEqual(before);
  });

  it('records an outcome of follow-up with its channel and note', async () => {
    const r = await run([
      'case',
      'outcome',
      await caseOf('gro'),
      '--status',
      'OTOV',
      '--channel',
      'drop-in',
      '--as',
      'nils',
      '--note',
      'møtte opp på kontoret',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stage\s+underFollowUp/);
    expect(r.stdout).toMatch(/OT status\s+OTOV/);
    const { line } = journalLine(await showText('gro'), 'OUTCOME', 'Nils Rådgjevar');
    expect(line).toMatch(/OUTCOME status=OTOV by Nils Rådgjevar \(drop-in\) OTUK\/letterSent → OTOV\/underFollowUp: møtte opp på kontoret$/);
    await listedInStage('underFollowUp', ['gro']);
    expectCleanError(
      await run(['case', 'returned', await caseOf('gro'), '--as', 'kari']),
      /^ot: refused: the youth has already been reached \(OTOV\)/,
    );
  });

  it('sends a returned letter to the second address, then waits for a new address from NAV', async () => {
    const id = await caseOf('eli');
    const once = await run(['case', 'returned', id, '--as', 'kari']);
    expect(once.code).toBe(0);
    expect(once.stdout).toMatch(/letter\s+sent \S+, returned 1×\n/);
    expect(once.stdout).toMatch(/flags\s+.*letterReturned/);
    // The same letter registered again, by someone else: it counts once.
    expectCleanError(
      await run(['case', 'returned', id, '--as', 'nils']),
      /^ot: refused: the letter of \S+ \(batch 1\) is already registered as returned by Kari Kontor at .*: nothing changed\n$/,
    );
    // It goes again, to the second address; when that letter comes back, it is a new return.
    await eventually(
      async () =>
        (await stack.pool.query('SELECT letter_returns FROM cases WHERE case_id = $1', [id])).rows[0].letter_returns === 1 ? true : undefined,
      'the return projected',
    );
    const resend = await run([
      'letters',
      'batch',
      '--unit',
      '12250',
      '--code',
      'OSON',
      '--school-year',
      Y,
      '--as',
      'kari',
      '--out',
      path.join(dir, 'letters'),
    ]);
    expect(resend.stdout).toMatch(/^batch 2 of unit 12250, OSON, dated \d{4}-\d{2}-\d{2}: 1 letter\(s\)/);
    const twice = await run(['case', 'returned', id, '--as', 'kari', '--note', 'ukjend på adressa']);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toMatch(/letter\s+sent \S+, returned 2×, waits for an address/);
    expect((await show('eli')).flags).toEqual(expect.arrayContaining(['needsAddress', 'letterReturned']));
    const returns = (await showText('eli'))
      .split('\n')
      .filter((l) => /^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}LETTER_RETURNED by Kari Kontor/.test(l));
    expect(returns).toHaveLength(2);
    expect(returns[1]).toMatch(/: ukjend på adressa$/);

    // Contact details that cannot be used are refused before anything is stored.
    const before = await show('eli');
    const contact = (...args: string[]) => run(['case', 'contact', id, '--source', 'nav', '--as', 'nils', ...args]);
    expectCleanError(await contact(), /give --address or --mobile/);
    expectCleanError(await contact('--mobile', '123'), /not a Norwegian mobile number/);
    expectCleanError(await contact('--mobile', '22334455'), /not a Norwegian mobile number/);
    expectCleanError(await contact('--address', 'Fjøsanger 9 Bergen'), /write the address as "Street 1, 5003 City"/);
    expectCleanError(await contact('--address', 'Fjøsanger 9, 50630 Bergen'), /write the address as "Street 1, 5003 City"/);
    expectCleanError(await contact('--address', 'Fjøsanger 9, 5063 Bergen', '--mobile', '94567890'), /cannot be used with/);
    expectCleanError(
      await run(['case', 'contact', id, '--source', 'facebook', '--as', 'nils', '--mobile', '94567890']),
      /Allowed choices are nav, admissions-office, youth/,
    );
    expectCleanError(
      await run(['case', 'contact', id, '--source', 'nav', '--as', 'nils', '--address', 'Fjøsanger 9, 5063 Bergen', '--note', '01010112345']),
      /^ot: refused: the note looks like it holds a national id number/,
    );
    expect(await show('eli')).toEqual(before);
    const stored = await stack.pool.query('SELECT address FROM persons WHERE case_id = $1', [id]);
    expect(stored.rows[0].address).toEqual({ street: 'Strandgaten 1', postcode: '5013', city: 'Bergen' });

    const fixed = await contact('--address', 'Fjøsanger 9, 5063 Bergen');
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/letter\s+sent \S+, returned 2×\n/);
    expect(fixed.stdout).not.toMatch(/waits for an address/);
    expect(fixed.stdout).not.toContain('Fjøsanger');
    expect((await show('eli')).flags).not.toContain('needsAddress');
    const { line } = journalLine(await showText('eli'), 'CONTACT', 'Nils Rådgjevar');
    expect(line).toMatch(/CONTACT .*by Nils Rådgjevar$/);
    expect(line).toMatch(/ kind=address\b/);
    expect(line).toMatch(/ source=nav\b/);
    const after = await stack.pool.query('SELECT address FROM persons WHERE case_id = $1', [id]);
    expect(after.rows[0].address).toEqual({ street: 'Fjøsanger 9', postcode: '5063', city: 'Bergen' });
  });

  it('refuses a cross-check list with a bad line and matches nothing, then matches a good one and names who matched', async () => {
    const bad = path.join(dir, 'privatskule-feil.csv');
    writeFileSync(bad, `fodselsnummer;namn\n${youth.dag.id};Dag Bø\n1601061234;Ola Feil\n${strangerId};Kari Ukjend\n`);
    const refused = await run(['crosscheck', bad, '--school-year', Y, '--list', 'private-school', '--as', 'siri']);
    expectCleanError(refused, /privatskule-feil\.csv: no 11-digit fodselsnummer on line 3; nothing was matched/);
    expect(refused.stderr).not.toContain('1601061234');
    expect(refused.stderr).not.toContain(youth.dag.id);
    expect(await show('dag')).toMatchObject({ stage: 'awaitingLetter', otStatus: 'OSUT' });

    const empty = path.join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expectCleanError(
      await run(['crosscheck', empty, '--school-year', Y, '--list', 'private-school', '--as', 'siri']),
      /empty\.csv: the list is empty/,
    );
    expectCleanError(
      await run(['crosscheck', bad, '--school-year', Y, '--list', 'boarding-school', '--as', 'siri']),
      /Allowed choices are private-school, exchange, late-start, apprentice/,
    );

    const good = path.join(dir, 'privatskule.csv');
    writeFileSync(good, `fodselsnummer;namn\n${youth.dag.id};Dag Bø\n${youth.gro.id};Gro Bø\n${strangerId};Kari Ukjend\n`);
    const r = await run(['crosscheck', good, '--school-year', Y, '--list', 'private-school', '--as', 'siri']);
    expect(r.code).toBe(0);
    const dagId = await caseOf('dag');
    const groId = await caseOf('gro');
    expect(r.stdout.split('\n')).toEqual([
      `${good}: 3 on the private-school list; 2 matched in school year 2034`,
      '  recoded to OTVF_IM: 1',
      `    line 2: Dag Bø (unit 12250, was OSUT) case ${dagId}`,
      '  matched but already settled, left as they are: 1',
      `    line 3: Gro Bø (unit 12250, OTOV, underFollowUp) case ${groId}`,
      '  not in the cohort: lines 4',
      '',
    ]);
    expect(r.stdout).not.toContain(strangerId);
    const d = await stageReached('dag', 'notInTargetGroup');
    expect(d.otStatus).toBe('OTVF_IM');
    expect(d.journal.at(-1)).toMatchObject({
      event: 'CROSSCHECK_MATCHED',
      by: 'Siri Systemansvarleg',
      detail: { list: 'private-school', status: 'OTVF_IM' },
    });
    await listedInStage('notInTargetGroup', ['dag']);
    expect((await show('gro')).otStatus).toBe('OTOV');

    // Again, as JSON: Dag is settled now, so nobody is recoded.
    const again = await runJson<CrosscheckReport>(['crosscheck', good, '--school-year', Y, '--list', 'private-school', '--as', 'siri']);
    expect(again.recoded).toEqual([]);
    expect(again.unchanged.map((m) => m.name)).toEqual(['Dag Bø', 'Gro Bø']);
    expect(again.notInCohort).toEqual([4]);
  });

  it('makes the SMS due when the calendar says so, and registers the unit’s SMS mailing', async () => {
    const juneReport = osloIso(yearEnd - 20 * 60_000);
    const r = await run(['calendar', 'set', '--school-year', Y, 'smsAfterLetters=PT1S', `reports.june=${juneReport}`]);
    expect(r.code).toBe(0);
    // Every case of the year is still open.
    expect(r.stdout).toMatch(/is now version 3; told 7 running case\(s\)/);
    expect(await calendarShown()).toMatchObject({ version: 3, calendar: { smsAfterLetters: 'PT1S', reports: { june: juneReport } } });

    await listedInStage('smsDue', ['astrid']);
    await listedInStage('noMobile', ['bjorn', 'eli']);
    expect((await show('bjorn')).flags).toContain('noMobile');

    const confirm = (...args: string[]) => run(['sms', 'confirm', '--school-year', Y, '--as', 'siri', ...args]);
    expectCleanError(await confirm('--unit', '12250', '--sent-on', tomorrow()), /is in the future/);
    expectCleanError(await confirm('--unit', '1225', '--sent-on', today()), /unit 1225 is not a configured OT unit/);
    expectCleanError(await confirm('--sent-on', today()), /--unit/);

    expectCleanError(await confirm('--unit', '12250', '--sent-on', today()), /no exported outbox message awaits confirmation/);
    const campaign = await run(['sms', 'campaign', '--unit', '12250', '--school-year', Y, '--as', 'siri']);
    expect(campaign.code).toBe(0);
    expect(campaign.stdout).toMatch(
      /^SMS campaign of unit 12250 \(outbox gateway\): 0 sent, [01] put in the outbox, [01] already done earlier, 0 refused by the gateway\n/,
    );
    expect(campaign.stdout).toContain(
      `no mobile, to be reached another way: 2\n    ${nameOf('bjorn')} (case ${await caseOf('bjorn')})\n    ${nameOf('eli')} (case ${await caseOf('eli')})`,
    );
    const csvFile = path.join(dir, 'sms.csv');
    const exported = await run(['sms', 'export', '--unit', '12250', '--school-year', Y, '--out', csvFile]);
    expect(exported.stdout).toMatch(/: 1 message\(s\); once sent, run: ot sms confirm/);
    expect(readFileSync(csvFile, 'utf8')).toContain('91234567');
    expectCleanError(await run(['sms', 'export', '--unit', '12250', '--school-year', Y]), /the outbox holds no message that is not exported already/);

    const sentOn = osloIso(Date.now() - 1000);
    const sent = await confirm('--unit', '12250', '--sent-on', sentOn);
    expect(sent.code).toBe(0);
    expect(sent.stdout).toBe(`SMS to unit 12250 sent on ${sentOn}: 1 case(s) registered as SMS sent\n`);
    const astrid = await stageReached('astrid', 'smsSent');
    expect(astrid).toMatchObject({ sms: 'sent', smsSentOn: sentOn });
    expect(await showText('astrid')).toMatch(new RegExp(`SMS\\s+sent ${sentOn.replace(/[+]/g, '\\+')}`));
    await listedInStage('smsSent', ['astrid']);
    const again = await confirm('--unit', '12250', '--sent-on', sentOn);
    expect(again.stdout).toMatch(/already confirmed at \S+ for 1 case\(s\); nothing more done/);
  });

  it('puts a youth back on the SMS list once they give a mobile, without showing the number', async () => {
    const r = await run(['case', 'contact', await caseOf('bjorn'), '--mobile', '945 67 890', '--source', 'youth', '--as', 'kari']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/stage\s+smsDue/);
    expect(r.stdout).not.toMatch(/94567890|945 67 890/);
    const { line } = journalLine(await showText('bjorn'), 'CONTACT', 'Kari Kontor');
    expect(line).toMatch(/CONTACT .*by Kari Kontor OTUK\/noMobile → OTUK\/smsDue$/);
    expect(line).toMatch(/ kind=mobile\b/);
    expect(line).toMatch(/ source=youth\b/);
    await listedInStage('smsDue', ['bjorn']);
    const stored = await stack.pool.query('SELECT mobile FROM persons WHERE case_id = $1', [await caseOf('bjorn')]);
    expect(stored.rows[0].mobile).toBe('+4794567890');
  });

  it('forwards a reply to the caseworker, who then sets the outcome', async () => {
    const id = await caseOf('astrid');
    const replied = await run(['case', 'reply', id, '--channel', 'phone', '--as', 'kari', '--to', 'Nils Rådgjevar', '--note', 'vil ha rettleiing']);
    expect(replied.code).toBe(0);
    expect(replied.stdout).toMatch(/stage\s+contactEstablished/);
    expect(replied.stdout).toMatch(/caseworker\s+Nils Rådgjevar/);
    const reply = journalLine(await showText('astrid'), 'REPLY', 'Kari Kontor');
    expect(reply.line).toMatch(
      /REPLY forwardTo=Nils Rådgjevar by Kari Kontor \(phone\) OTUK\/smsSent → OTUK\/contactEstablished: vil ha rettleiing$/,
    );

    const resolved = await run(['case', 'outcome', id, '--status', 'otar', '--channel', 'phone', '--as', 'nils']);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toMatch(/stage\s+resolved/);
    expect(resolved.stdout).toMatch(/OT status\s+OTAR/);
    const outcome = journalLine(await showText('astrid'), 'OUTCOME', 'Nils Rådgjevar');
    expect(outcome.line).toMatch(/OUTCOME status=OTAR by Nils Rådgjevar \(phone\) OTUK\/contactEstablished → OTAR\/resolved$/);
    expect(outcome.at).toBeGreaterThanOrEqual(reply.at);
    await listedInStage('resolved', ['astrid']);
  });

  it('lists every case where the commands left it', async () => {
    const expected: Record<string, Youth[]> = {
      letterDue: ['frode'],
      awaitingLetter: [],
      letterSent: [],
      caseworkerFollowUp: ['cecilie'],
      notInTargetGroup: ['dag'],
      underFollowUp: ['gro'],
      resolved: ['astrid'],
      smsDue: ['bjorn'],
      noMobile: ['eli'],
      smsSent: [],
    };
    for (const [stage, who] of Object.entries(expected))
      expect([stage, await namesListed('--stage', stage)]).toEqual([stage, who.map(nameOf).sort()]);
    expect(await namesListed('--status', 'OTUK')).toEqual(['bjorn', 'eli'].map((w) => nameOf(w as Youth)).sort());
    expect(await namesListed('--unit', '12256')).toEqual([nameOf('frode')]);
    const human = await run(['cases', '--school-year', Y, '--stage', 'letterSent']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^0 case\(s\)$/m);
    const all = await run(['cases', '--school-year', Y, '--unit', '12250']);
    expect(all.stdout).toMatch(/^6 case\(s\)$/m);
    expect(all.stdout).toMatch(/Astrid Bø.*OTAR.*resolved.*Nils Rådgjevar/);
  });

  it('never put a national id number on stderr', () => {
    expect(stderrs.filter((s) => s.trim() !== '').length).toBeGreaterThan(30);
    expect(stderrs.filter(hasElevenDigits)).toEqual([]);
  });
});
