import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { listCases } from '../../client/use-cases/case-queries';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { casesOfNationalId, erasePerson, runRetention, RetentionError } from '../../client/use-cases/retention';
import { storedSnapshot } from '../../db/report-snapshots';
import { caseIdOf } from '../../domain/case-id';
import { cohortFolders, filesUnder } from '../../domain/cohort-files';
import { yearInSteps } from '../../domain/trial-calendar';
import { withCalendarValue } from '../../workflows/calendar';
import { retentionScheduleId, type RetentionResult } from '../../workflows/contracts/retention';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * Retention on a compressed calendar, on the real dev server and PostgreSQL: a cohort lives its year, its report
 * is stored by its schedule, one person is erased on request, then the cohort's retention schedule (a period of 0
 * years: it ends with the school year) erases the rest. The dry run lists exactly what went; the stored report
 * keeps its counts; the report tables stay immutable for everything else.
 */
const YEAR = 2069;
const nextId = idFactory();
const by = 'Siri Systemansvarleg';
const rows: TestRow[] = Array.from({ length: 5 }, (_, i) => ({
  id: nextId(`2039-01-0${i + 1}`),
  first: `Ung${i}`,
  last: 'Bortgløymd',
  mobile: `9400000${i}`,
}));
let stack: TestStack;
const caseOf = (row: TestRow) => caseIdOf(row.id, YEAR, stack.config.caseIdKey);

const personTables = ['persons', 'cases', 'case_events', 'letters', 'sms_messages', 'sms_inbox', 'import_rows', 'report_snapshot_cases', 'call_list'];
async function rowsOf(caseIds: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of personTables)
    out[t] = Number((await stack.pool.query(`SELECT count(*) AS n FROM ${t} WHERE case_id = ANY($1)`, [caseIds])).rows[0].n);
  return out;
}
const nonZero = (c: Record<string, number>) => Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0));

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ot-retention-'));
  stack = await openStack({ taskQueue: 'retention', retentionYears: 0, reportSettleSeconds: 0, dataDir });
  await stack.startWorker();
  const t0 = Math.ceil(Date.now() / 1000) * 1000 + 3000;
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  let cal = yearInSteps(YEAR, t0, 6000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 8 });
  cal = withCalendarValue(cal, 'reports.november', at(19_000))!;
  await setCalendar(stack, YEAR, cal);
  // Test ids can be born no later than 2039: the cohort's age limit is raised to its policy's highest (30) so they are in the target group.
  await stack.pool.query('UPDATE cohorts SET age_limit = 30 WHERE school_year = $1', [YEAR]);
  await (await submitImport(stack, { fileName: 'retention.csv', content: transferFile(rows), schoolYear: YEAR, strict: false })).result();
  // The schedule would fire at the year end, while the cases may still be closing: the test fires it itself.
  await stack.client.schedule.getHandle(retentionScheduleId(YEAR)).pause('the test triggers it');
  await eventually(
    async () => ((await listCases(stack.pool, { schoolYear: YEAR, stage: 'letterDue' })).length === rows.length ? true : undefined),
    'letters due',
  );
  await printLetterBatch(stack, { schoolYear: YEAR, unit: '12250', osCode: 'OSON', by });
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: '12250', osCode: 'OSON', sentOn: new Date().toISOString(), by });
  // An SMS reply from a youth's mobile that matched no case waits in the inbox.
  await stack.pool.query(
    `INSERT INTO sms_inbox (inbound_id, received_at, mobile, body, status) SELECT 'ret-1', now(), mobile, 'kven er de?', 'unmatched' FROM persons WHERE case_id = $1`,
    [caseOf(rows[0])],
  );
  await eventually(async () => ((await storedSnapshot(stack.pool, YEAR, 'november')) ? true : undefined), 'the November report', 90_000);
  await eventually(
    async () => ((await stack.client.workflow.count(`SchoolYear = ${YEAR} AND ExecutionStatus = "Running"`)).count === 0 ? true : undefined),
    'the year end',
    90_000,
  );
}, 200_000);

afterAll(async () => {
  await stack?.close();
});

describe('retention', () => {
  it('erases one person on request, the others untouched and the counts intact', async () => {
    const report = (await storedSnapshot(stack.pool, YEAR, 'november'))!;
    const [gone, ...kept] = rows.map(caseOf);
    const keptBefore = await rowsOf(kept);
    const cases = await casesOfNationalId(stack, rows[0].id);
    expect(cases).toEqual([{ schoolYear: YEAR, caseId: gone }]);
    const [plan] = await erasePerson(stack, cases, by, true);
    expect(nonZero(plan.counts)).toEqual(expect.objectContaining({ persons: 1, cases: 1, report_snapshot_cases: 1 }));
    expect(plan.counts.sms_inbox).toBe(1); // the unmatched reply from their mobile
    // The batch that printed their letter, and the unit's admissions office list: files that name them.
    expect(plan.files.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(['brev-2069-12250-OSON-1.pdf', 'brev-2069-12250-OSON-1-liste.csv']),
    );
    expect(plan.files.every((f) => existsSync(f))).toBe(true);
    const [done] = await erasePerson(stack, cases, by, false);
    expect(done.counts).toEqual(plan.counts);
    expect(plan.files.some((f) => existsSync(f))).toBe(false);
    expect(nonZero(await rowsOf([gone]))).toEqual({});
    expect(await rowsOf(kept)).toEqual(keptBefore);
    expect((await storedSnapshot(stack.pool, YEAR, 'november'))!.counts).toEqual(report.counts);
  }, 60_000);

  it('refuses a period not ended: there is no override', async () => {
    await expect(runRetention(stack, 2070, by, false)).rejects.toThrow(RetentionError);
  });

  it("erases the cohort by its schedule: exactly what the dry run listed, and the report's counts stay", async () => {
    const report = (await storedSnapshot(stack.pool, YEAR, 'november'))!;
    const plan = await runRetention(stack, YEAR, by, true);
    expect(plan.counts.persons).toBe(rows.length - 1);
    expect(plan.counts.letters).toBeGreaterThan(0);
    expect(plan.counts.case_events).toBeGreaterThan(0);
    // The person's erasure took the cohort's print files already; what is left under its folders is listed.
    expect(plan.files).toEqual(filesUnder(cohortFolders(stack.config.dataDir, YEAR)));

    const schedule = stack.client.schedule.getHandle(retentionScheduleId(YEAR));
    await schedule.unpause('the cases have closed');
    await schedule.trigger();
    const logged = await eventually(async () => {
      const r = await stack.pool.query(`SELECT counts, by_who FROM retention_log WHERE school_year = $1 AND kind = 'cohort'`, [YEAR]);
      return r.rows[0] as { counts: Record<string, number>; by_who: string } | undefined;
    }, 'the retention run');
    // A schedule's run is named by its id and the moment it fired.
    const fired = (await schedule.describe()).info.recentActions.map((a) => a.action.workflow.workflowId);
    expect(fired.length).toBeGreaterThan(0);
    const run = (await stack.client.workflow.getHandle(fired[0]).result()) as RetentionResult;
    expect(run.counts).toEqual(plan.counts);
    expect(logged.counts).toEqual({ ...plan.counts, audit_log: run.auditRows });
    expect(logged.by_who).toBe(`schedule ${retentionScheduleId(YEAR)}`);
    expect(filesUnder(cohortFolders(stack.config.dataDir, YEAR))).toEqual([]);
    expect(nonZero(await rowsOf(rows.map(caseOf)))).toEqual({});
    const left = await stack.pool.query('SELECT count(*) AS n FROM imports WHERE school_year = $1', [YEAR]);
    expect(Number(left.rows[0].n)).toBe(0);
    expect((await storedSnapshot(stack.pool, YEAR, 'november'))!.counts).toEqual(report.counts);
    const log = await stack.pool.query('SELECT kind FROM retention_log WHERE school_year = $1 ORDER BY id', [YEAR]);
    expect(log.rows.map((r) => r.kind).slice(0, 2)).toEqual(['person', 'cohort']);
    // Still immutable for everything else.
    await expect(stack.pool.query('DELETE FROM report_snapshots WHERE school_year = $1', [YEAR])).rejects.toThrow(/cannot be changed/);
    await expect(stack.pool.query(`UPDATE report_snapshots SET counts = '{}' WHERE school_year = $1`, [YEAR])).rejects.toThrow(/cannot be changed/);
  }, 90_000);
});
