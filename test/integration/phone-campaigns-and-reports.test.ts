import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { exportOutbox } from '../../activities/sms-delivery';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { setCalendar } from '../../client/use-cases/calendar';
import { callList, type CallListRow } from '../../client/use-cases/call-lists';
import { submitImport } from '../../client/use-cases/cohort-import';
import { flowCounters } from '../../client/use-cases/counters';
import { listCases, showCase } from '../../client/use-cases/case-queries';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { ensureReportSchedules } from '../../activities/report-schedules';
import { storedSnapshot, type ReportSnapshot } from '../../db/report-snapshots';
import { caseIdOf } from '../../domain/case-id';
import { yearInSteps } from '../../domain/trial-calendar';
import { DEFAULT_UNITS, type OtUnit } from '../../schemas/units';
import { REPORTS, type CampaignCalendar } from '../../schemas/calendar';
import { instantOf, withCalendarValue } from '../../workflows/calendar';
import type { CaseDetail } from '../../workflows/youth-case/view';
import { ot, otJson } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { nationalIdsIn } from '../support/privacy';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { reportScheduleId } from '../../workflows/contracts/report-snapshot';

/**
 * The phone campaign and the reports on a compressed calendar, on the real dev server and PostgreSQL:
 * the OTUK count and the November report taken by their Temporal Schedules, the autumn campaign's call
 * lists shared among the unit staff, calls registered through the API and the CLI, and the stored
 * snapshot checked against counts made independently from the cases themselves.
 */
const YEAR = 2037;
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const STAFF = ['Kari Ringjar', 'Ola Telefon', 'Per Pratsam'];
const UNITS: OtUnit[] = DEFAULT_UNITS.map((u) =>
  u.code === '12250' ? { ...u, staff: STAFF } : u.code === '12275' ? { ...u, staff: ['Vera Voss'] } : u,
);
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-phone-reports-'));

const rows: TestRow[] = [
  ...Array.from({ length: 9 }, (_, i) => ({ id: nextId('2017-03-0' + (i + 1)), first: `Ung${i}`, last: `Sentrum`, mobile: `9200000${i}` })),
  { id: nextId('2017-04-01'), first: 'Nils', last: 'Utan' },
  // Ola already follows a youth up: the fair share counts it.
  { id: nextId('2017-05-01'), first: 'Fulgt', last: 'Opp', caseworker: 'Ola Telefon', status: 'OTOV', mobile: '92000020' },
  ...Array.from({ length: 3 }, (_, i) => ({
    id: nextId('2017-06-0' + (i + 1)),
    first: `Ung${i}`,
    last: 'Voss',
    unit: '12275',
    mobile: `9300000${i}`,
    address: ['Vossevangen 1', '5700', 'Voss'] as [string, string, string],
  })),
];
const sentrum = rows.slice(0, 10);
const caseOf = (row: TestRow) => caseIdOf(row.id, YEAR, stack.config.caseIdKey);
/** The case as `ot case show` and the API show it: the workflow's state, the journal (notes and all) from the read model. */
const detailOf = async (caseId: string): Promise<CaseDetail> => (await showCase(stack.pool, stack.client, caseId))!;

let stack: TestStack;
let api: FastifyInstance;
let apiUrl: string;
let calendar: CampaignCalendar;
let t0: number;

/** The operator's calls, and each caller's own (they are recorded by name in the journal). */
let call: ApiCall;
const as: Record<string, ApiCall> = {};
/** Each caller's account name, for the CLI's --as. */
const account: Record<string, string> = {};

const openEntries = async () =>
  (
    await stack.pool.query<{ case_id: string; staff: string | null }>(
      `SELECT case_id, staff FROM call_list WHERE school_year = $1 AND left_at IS NULL ORDER BY case_id`,
      [YEAR],
    )
  ).rows;
const waitUntil = async (at: number) => {
  if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now()));
};
const snapshotStored = (report: 'otukCount' | 'november') =>
  eventually(() => storedSnapshot(stack.pool, YEAR, report), `the ${report} snapshot`, 90_000);

/** A case's status at a moment, read from its workflow's own journal: independent of the projection the snapshot reads. */
function statusFromJournal(d: CaseDetail, at: number): string {
  const before = d.journal.filter((e) => Date.parse(e.at) <= at);
  if (before.length) return before[before.length - 1].to.status;
  return d.journal[0]?.from.status ?? d.otStatus;
}

function expectSnapshotCounts(snapshot: ReportSnapshot, statuses: { unit: string; status: string }[]) {
  const expected: Record<string, Record<string, number>> = {};
  for (const s of statuses) (expected[s.unit] ??= {})[s.status] = (expected[s.unit][s.status] ?? 0) + 1;
  for (const [unit, byCode] of Object.entries(expected)) expect([unit, snapshot.counts.units[unit].byCode]).toEqual([unit, byCode]);
  const counted = Object.entries(snapshot.counts.units)
    .filter(([, c]) => c.total > 0)
    .map(([u]) => u)
    .sort();
  expect(counted).toEqual(Object.keys(expected).sort());
  expect(snapshot.counts.county.total).toBe(statuses.length);
}

beforeAll(async () => {
  stack = await openStack({ taskQueue: 'phone-campaigns-and-reports', units: UNITS, reportSettleSeconds: 2 });
  await stack.startWorker();
  process.env.OT_LOG_LEVEL = 'warn';
  ({ app: api, url: apiUrl } = await startApi(stack));
  call = (await userWithToken(stack, apiUrl, { role: 'operator' })).call;
  for (const name of ['Kari Ringjar', 'Per Pratsam', 'Ola Telefon']) {
    const u = await userWithToken(stack, apiUrl, { role: 'officeStaff', units: UNITS.map((x) => x.code), name });
    [as[name], account[name]] = [u.call, u.username];
  }

  t0 = Math.ceil(Date.now() / 1000) * 1000; // schedules fire on whole seconds
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const DAY = 86_400_000;
  // The OTUK count, the autumn campaign and the November report within two minutes; the rest days away.
  let cal = yearInSteps(YEAR, t0, DAY, { otherLetters: 1, autumnCampaign: [1, 2], winterCampaign: [3, 4], schoolYearEnd: 6 });
  const moments: [string, number][] = [
    ['otukCountDue', 35_000],
    ['phoneCampaigns.autumn.from', 40_000],
    ['phoneCampaigns.autumn.until', 85_000],
    ['reports.november', 90_000],
    ['evaluations.autumn', 95_000],
    ['reports.february', 4 * DAY + 1000],
    ['reports.june', 5 * DAY],
    ['evaluations.spring', 5 * DAY + 1000],
  ];
  for (const [key, ms] of moments) cal = withCalendarValue(cal, key, at(ms))!;
  calendar = (await setCalendar(stack, YEAR, cal)).calendar;

  await (await submitImport(stack, { fileName: 'phone.csv', content: transferFile(rows), schoolYear: YEAR, strict: false })).result();
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: YEAR, stage: 'letterDue' })).length === rows.length - 1 ? true : undefined),
    'the letters due',
  );
  for (const unit of ['12250', '12275']) {
    await printLetterBatch(stack, { schoolYear: YEAR, unit, osCode: 'OSON', by, outDir });
    await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit, osCode: 'OSON', sentOn: new Date().toISOString(), by });
  }
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: YEAR, status: 'OTUK' })).length === 13 ? true : undefined),
    'the mass recode',
  );
}, 120_000);

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

describe('the report schedules', () => {
  it('are one per report however often they are made, and move with the calendar', async () => {
    expect(await ensureReportSchedules(stack.client, stack.config, YEAR, calendar)).toEqual({ created: 0, updated: REPORTS.length + 1 });
    const listed = await eventually(async () => {
      const ids: string[] = [];
      for await (const s of stack.client.schedule.list()) if (s.scheduleId.startsWith(`report-${YEAR}-`)) ids.push(s.scheduleId);
      return ids.length === REPORTS.length ? ids.sort() : undefined;
    }, 'the schedules listed');
    expect(listed).toEqual(REPORTS.map((r) => reportScheduleId(YEAR, r)).sort());
    const november = await stack.client.schedule.getHandle(reportScheduleId(YEAR, 'november')).describe();
    expect(november.spec.timezone).toBe('Europe/Oslo');
    expect(november.info.nextActionTimes[0].getTime()).toBe(instantOf(calendar.reports.november));
    expect(november.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reportSnapshot', taskQueue: 'phone-campaigns-and-reports' });
  });

  it('takes the OTUK count on its due date: every unit’s OTUK left, stored', async () => {
    const counted = await snapshotStored('otukCount');
    expect(counted.asOf).toBe(new Date(instantOf(calendar.otukCountDue)).toISOString());
    expect(counted.takenBy).toMatch(/^schedule report-2037-otukCount/);
    expect(counted.counts.units['12250'].byCode).toEqual({ OTUK: 10, OTOV: 1 });
    expect(counted.counts.units['12275'].byCode).toEqual({ OTUK: 3 });
    expect(counted.counts.county.byGroup).toMatchObject({ 1: 13, 2: 1, OS: 0 });
  }, 90_000);
});

describe('the autumn phone campaign', () => {
  let before: Map<string, string | null>;

  it('puts every OTUK youth on a call list, shared by what each staff member already holds', async () => {
    const entries = await eventually(
      async () => {
        const open = await openEntries();
        return open.length === 13 ? open : undefined;
      },
      'the call lists',
      90_000,
    );
    before = new Map(entries.map((e) => [e.case_id, e.staff]));
    const sentrumShare = STAFF.map((s) => entries.filter((e) => e.staff === s).length);
    expect(sentrumShare.reduce((a, b) => a + b)).toBe(10);
    // Ola's youth under follow-up counts: the loads differ by one at most.
    const loads = sentrumShare.map((n, i) => n + (STAFF[i] === 'Ola Telefon' ? 1 : 0));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(entries.filter((e) => e.staff === 'Vera Voss')).toHaveLength(3);
    expect(entries.map((e) => e.case_id)).not.toContain(caseOf(rows[10]));
  }, 90_000);

  it('lists each staff member’s youth with their numbers, through the API and the CLI', async () => {
    const list = await call('GET', `/calls?schoolYear=${YEAR}&unit=12250&staff=${encodeURIComponent('Kari Ringjar')}`);
    expect(list.status).toBe(200);
    expect(list.body.campaign).toBe('autumn');
    const karis = list.body.rows as CallListRow[];
    expect(karis.length).toBe([...before.values()].filter((s) => s === 'Kari Ringjar').length);
    for (const r of karis) expect(r).toMatchObject({ staff: 'Kari Ringjar', otStatus: 'OTUK', stage: 'phoneCampaign', attempts: 0, notes: [] });
    const file = path.join(outDir, 'kari.xlsx');
    const cli = await ot(['calls', 'list', '--unit', '12250', '--school-year', String(YEAR), '--staff', 'Kari Ringjar', '--xlsx', file]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/autumn phone campaign, unit 12250, school year 2037: 10 to call \(Kari Ringjar \d, Ola Telefon \d, Per Pratsam \d\)/);
    expect(existsSync(file)).toBe(true);
    const csv = readFileSync(file.replace(/xlsx$/, 'csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe('\uFEFFstaff;name;mobile;other numbers;last attempt;attempts;notes;status;left the list;moved;case');
    expect(csv.filter((l) => l.startsWith('Kari Ringjar;'))).toHaveLength(karis.length);
    expect((await call('GET', `/calls?schoolYear=${YEAR}&unit=99999`)).status).toBe(404);
    expect((await call('GET', `/calls?unit=12250`)).body.error).toMatch(/schoolYear/);
  });

  it('registers calls: reached with an outcome, not reached, wrong number, and a reply passed on', async () => {
    const [resolved, unanswered, wrong, replied] = sentrum.slice(0, 4).map(caseOf);
    const outcome = await as['Kari Ringjar']('POST', `/cases/${resolved}/call`, { result: 'reached', status: 'OTAP', note: 'har lærlingplass' });
    expect(outcome.status).toBe(200);
    expect(outcome.body).toMatchObject({ otStatus: 'OTAP', stage: 'resolved' });
    const notReached = await ot([
      'calls',
      'register',
      unanswered,
      '--result',
      'not-reached',
      '--as',
      account['Ola Telefon'],
      '--note',
      'ring etter kl 16',
    ]);
    expect([notReached.code, notReached.stderr]).toEqual([0, '']);
    expect(notReached.stdout).toMatch(/CALL result=notReached by Ola Telefon: ring etter kl 16/);
    const wrongNumber = await as['Per Pratsam']('POST', `/cases/${wrong}/call`, { result: 'wrongNumber' });
    expect(wrongNumber.body.flags).toEqual(['noMobile', 'wrongNumber']);
    expect((await as['Per Pratsam']('POST', `/cases/${wrong}/call`, { result: 'wrongNumber' })).body.error).toMatch(/already flagged as wrong/);
    const reply = await otJson<CaseDetail>([
      'calls',
      'register',
      replied,
      '--result',
      'reached',
      '--to',
      'Ola Telefon',
      '--as',
      account['Kari Ringjar'],
    ]);
    expect(reply).toMatchObject({ stage: 'contactEstablished', caseworker: 'Ola Telefon', otStatus: 'OTUK' });
    // Refused, and nothing recorded: a bad code, and an outcome on a call that did not reach the youth.
    expect((await as['Kari Ringjar']('POST', `/cases/${unanswered}/call`, { result: 'reached', status: 'OTUK' })).status).toBe(422);
    expect((await as['Kari Ringjar']('POST', `/cases/${unanswered}/call`, { result: 'notReached', status: 'OTAP' })).status).toBe(400);
    const refused = await ot([
      'calls',
      'register',
      unanswered,
      '--result',
      'not-reached',
      '--as',
      account['Ola Telefon'],
      '--note',
      'fnr 01010112345',
    ]);
    expect([refused.code, refused.stderr]).toEqual([1, 'ot: refused: the note looks like it holds a national id number: leave it out\n']);
    expect((await detailOf(unanswered)).journal.filter((e) => e.event === 'CALL')).toHaveLength(1);

    const persons = await stack.pool.query('SELECT mobile_wrong FROM persons WHERE case_id = $1', [wrong]);
    expect(persons.rows[0].mobile_wrong).toBe(true);
    // The SMS the campaign put in the outbox for that number is not exported; the others are.
    const exported = await exportOutbox(stack.pool, { schoolYear: YEAR, unit: '12250' });
    expect(exported.messageKeys).toHaveLength(8);
    expect(exported.messageKeys).not.toContain(`${wrong}:sms1`);
    const list = await eventually(async () => {
      const l = await callList(stack.pool, { schoolYear: YEAR, unit: '12250', all: true });
      return l.rows.filter((r) => r.left).length === 2 && l.rows.some((r) => r.mobileWrong) && l.rows.some((r) => r.attempts > 0) ? l : undefined;
    }, 'the calls on the list');
    const row = (caseId: string) => list.rows.find((r) => r.caseId === caseId)!;
    expect(row(resolved).left).toMatchObject({ as: 'OTAP resolved' });
    expect(row(replied).left).toMatchObject({ as: 'OTUK contactEstablished' });
    expect(row(unanswered)).toMatchObject({ attempts: 1, lastAttempt: { result: 'notReached', by: 'Ola Telefon' } });
    expect(row(unanswered).notes[0]).toMatch(/Ola Telefon: ring etter kl 16$/);
    expect(row(wrong)).toMatchObject({ mobileWrong: true, lastAttempt: { result: 'wrongNumber' } });
    expect(row(resolved).lastAttempt).toMatchObject({ result: 'reached', by: 'Kari Ringjar' });
  });

  it('keeps everyone else’s calls where they were when a case leaves the list mid-campaign', async () => {
    const open = await openEntries();
    expect(open).toHaveLength(11);
    for (const e of open) expect([e.case_id, e.staff]).toEqual([e.case_id, before.get(e.case_id)]);
  });

  it('moves the counters', async () => {
    const counters = await flowCounters(
      stack.pool,
      YEAR,
      UNITS.map((u) => u.code),
    );
    expect(counters.units['12250']).toMatchObject({
      osBefore: 11,
      osAfterWashing: 10,
      lettersToYouth: 10,
      lettersToGuardians: 0,
      otukAfterSms: 10,
      otukCounted: 10,
      otukAfterAutumnCampaign: null,
      otukNow: 9,
    });
    expect(counters.county).toMatchObject({ osBefore: 14, otukAfterSms: 13, otukCounted: 13, otukNow: 12 });
    const cli = await otJson<{ county: { otukNow: number } }>(['counters', '--school-year', String(YEAR), '--unit', '12250']);
    expect(cli.county.otukNow).toBe(12);
  });
});

describe('the November report', () => {
  let november: ReportSnapshot;

  it('lands on its date and equals the counts made from the cases at that moment', async () => {
    await waitUntil(instantOf(calendar.reports.november));
    november = await snapshotStored('november');
    const at = instantOf(calendar.reports.november);
    expect(november.asOf).toBe(new Date(at).toISOString());
    // Nothing changed near the moment: the case list now is the list then.
    const listed = await listCases(stack.pool, { schoolYear: YEAR });
    expectSnapshotCounts(
      november,
      listed.map((c) => ({ unit: c.unit, status: c.otStatus })),
    );
    const fromJournals = await Promise.all(listed.map(async (c) => ({ unit: c.unit, status: statusFromJournal(await detailOf(c.caseId), at) })));
    expectSnapshotCounts(november, fromJournals);
    expect(november.counts.units['12250'].byCode).toEqual({ OTUK: 9, OTOV: 1, OTAP: 1 });
    expect(november.counts.county.byGroup).toMatchObject({ 1: 12, 2: 1, 3: 1 });
  }, 120_000);

  it('reads the same when asked again after the cases have moved on, and cannot be changed', async () => {
    await as['Ola Telefon']('POST', `/cases/${caseOf(sentrum[1])}/call`, { result: 'reached', status: 'OTAR' });
    const asOf = calendar.reports.november;
    const stored = await otJson<ReportSnapshot & { files: { csv: string; xlsx: string } }>([
      'report',
      '--school-year',
      String(YEAR),
      '--as-of',
      asOf,
      '--out',
      path.join(outDir, 'november'),
    ]);
    expect(stored.counts).toEqual(november.counts);
    expect(stored.takenAt).toBe(november.takenAt);
    const csv = readFileSync(stored.files.csv, 'utf8').split('\r\n');
    expect(csv[0]).toBe('\uFEFFunit;unit name;total;group 1;group 2;group 3;group 4;group 5;OS code (not recoded);OTUK;OTOV;OTAP');
    expect(csv).toContain('12250;Bergen Sentrum;11;9;1;1;0;0;0;9;1;1');
    expect(csv).toContain('county;All units;14;12;1;1;0;0;0;12;1;1');
    const api = await call('GET', `/reports/${YEAR}?asOf=${encodeURIComponent(asOf)}`);
    expect(api.body.counts).toEqual(november.counts);
    // A moment after the change, made now from the journal: one OTUK fewer.
    const later = await eventually(async () => {
      const r = await call('GET', `/reports/${YEAR}?asOf=${encodeURIComponent(new Date().toISOString())}`);
      return r.body.counts.county.byCode.OTAR === 1 ? r.body : undefined;
    }, 'the outcome in the journal');
    expect(later.counts.county.byCode.OTUK).toBe(11);
    expect(later.takenAt).toBeUndefined();
    expect((await call('GET', `/reports/${YEAR}?asOf=2099-01-01`)).status).toBe(422);
    expect((await call('GET', `/reports/${YEAR}?asOf=someday`)).status).toBe(400);
    await expect(stack.pool.query(`UPDATE report_snapshots SET counts = '{}' WHERE school_year = $1`, [YEAR])).rejects.toThrow(/cannot be changed/);
    await expect(stack.pool.query(`DELETE FROM report_snapshot_cases WHERE snapshot_id = $1`, [`report-${YEAR}-november`])).rejects.toThrow(
      /cannot be changed/,
    );
    const named = await ot(['report', '--school-year', String(YEAR), '--report', 'february']);
    expect([named.code, named.stderr]).toEqual([
      1,
      expect.stringMatching(/^ot: the february report of school year 2037 is not stored yet: its schedule takes it at /),
    ]);
  });

  it('counts the autumn campaign, and draws the fall of OTUK for the evaluation meeting', async () => {
    const counters = await flowCounters(
      stack.pool,
      YEAR,
      UNITS.map((u) => u.code),
    );
    expect(counters.county).toMatchObject({ otukAfterSms: 13, otukAfterAutumnCampaign: 12, otukAfterWinterCampaign: null, otukNow: 11 });
    const dir = path.join(outDir, 'evaluation');
    const result = await otJson<{ page: string; charts: string[]; evaluation: { county: { series: { otuk: number }[] } } }>([
      'evaluation',
      '--school-year',
      String(YEAR),
      '--out',
      dir,
      '--meeting',
      'autumn',
      '--unit',
      '12250',
    ]);
    expect(result.charts.map((c) => path.basename(c))).toEqual([`otuk-${YEAR}-county.svg`, `otuk-${YEAR}-12250.svg`]);
    const series = result.evaluation.county.series.map((p) => p.otuk);
    expect(Math.max(...series)).toBe(13);
    expect(series.at(-1)).toBe(11);
    const page = readFileSync(result.page, 'utf8');
    expect(page).toContain('Bergen Sentrum');
    expect(page).toContain('week 50');
    expect(page).toContain('<svg');
    expect(nationalIdsIn(page)).toEqual([]);
  });
});
