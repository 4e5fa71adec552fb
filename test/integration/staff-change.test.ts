import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { printLetterBatch } from '../../client/use-cases/letter-batches';
import { confirmMailing } from '../../client/use-cases/mailings';
import { addStaff, reassignCallsTo, removeStaff, StaffError, unitStaff } from '../../client/use-cases/unit-staff';
import { yearInSteps } from '../../domain/trial-calendar';
import { loadConfig } from '../../runtime/config';
import { startApi, userWithToken, type ApiCall } from '../support/api';
import { ot } from '../support/cli';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile, type TestRow } from '../support/transfer-file';
import { eventually } from '../support/wait';
import { journalOf } from '../../db/case-journal';

/**
 * A staff member leaves mid-campaign, on the real dev server and PostgreSQL: the autumn phone campaign is under way and its
 * call list shared among three; one is removed and only their open calls move, shared fairly among the two who remain; calls
 * are then moved by hand, one and all of a person's, through the use case and the API; every move says who made it and when.
 */
const YEAR = 2091;
// A unit no other test shares calls in: a staff change holds for the unit in every school year.
const UNIT = '12280';
const STAFF = ['Anne Ringjar', 'Bjørn Ringjar', 'Cecilie Ringjar'];
const N = 9;
const nextId = idFactory();
const by = 'Kari Kontor';
const outDir = mkdtempSync(path.join(tmpdir(), 'ot-staff-change-'));
const rows: TestRow[] = Array.from({ length: N }, (_, i) => ({
  id: nextId(`2030-05-${String(i + 1).padStart(2, '0')}`),
  first: `Ung${i}`,
  last: 'Ringjeliste',
  unit: UNIT,
  mobile: `9109${String(i).padStart(4, '0')}`,
}));

let stack: TestStack;
let api: FastifyInstance;
let asKari: ApiCall;

interface Entry {
  case_id: string;
  staff: string | null;
  moved_from: string | null;
  moved_by: string | null;
  moved_at: Date | null;
  move_reason: string | null;
}
const openCalls = async (): Promise<Entry[]> =>
  (
    await stack.pool.query<Entry>(
      `SELECT case_id, staff, moved_from, moved_by, moved_at, move_reason FROM call_list
       WHERE school_year = $1 AND unit = $2 AND left_at IS NULL ORDER BY case_id`,
      [YEAR, UNIT],
    )
  ).rows;
const sharesOf = (calls: Entry[]) => {
  const n = new Map<string, number>();
  for (const c of calls) n.set(c.staff ?? '(not shared)', (n.get(c.staff ?? '(not shared)') ?? 0) + 1);
  return Object.fromEntries([...n].sort());
};
const callsOf = (calls: Entry[], staff: string) => calls.filter((c) => c.staff === staff).map((c) => c.case_id);

beforeAll(async () => {
  const units = loadConfig().units.map((u) => (u.code === UNIT ? { ...u, staff: STAFF } : u));
  stack = await openStack({ taskQueue: 'staff-change', units });
  await stack.startWorker();
  let url: string;
  ({ app: api, url } = await startApi(stack));
  asKari = (await userWithToken(stack, url, { role: 'officeStaff', units: [UNIT], name: by })).call;
  await stack.pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 99) ON CONFLICT (school_year) DO UPDATE SET age_limit = 99', [
    YEAR,
  ]);
  // The autumn phone campaign is under way from the start and lasts half an hour: each case joins it once its letter went.
  await setCalendar(
    stack,
    YEAR,
    yearInSteps(YEAR, Date.now(), 60_000, { otherLetters: 1, autumnCampaign: [0, 30], winterCampaign: [31, 32], schoolYearEnd: 33 }),
  );
  await (await submitImport(stack, { fileName: 'staff.csv', content: transferFile(rows), schoolYear: YEAR, strict: true })).result();
  await eventually(async () => {
    const n = await stack.pool.query(`SELECT count(*)::int AS n FROM cases WHERE school_year = $1 AND stage = 'letterDue'`, [YEAR]);
    return n.rows[0].n === N ? true : undefined;
  }, 'the letters due');
  await printLetterBatch(stack, { schoolYear: YEAR, unit: UNIT, osCode: 'OSON', by, outDir });
  await confirmMailing(stack, { kind: 'letters', schoolYear: YEAR, unit: UNIT, osCode: 'OSON', sentOn: new Date().toISOString(), by });
  await eventually(async () => ((await openCalls()).length === N ? true : undefined), 'every case on the call list');
}, 120_000);

afterAll(async () => {
  // The staff changes of this unit would hold for every later test of the run: take them back.
  await stack?.pool.query('DELETE FROM unit_staff_changes WHERE unit = $1', [UNIT]);
  await api?.close();
  await stack?.close();
});

describe('a staff member removed mid-campaign', () => {
  let before: Entry[];

  it('starts with the call list shared among the three', async () => {
    before = await openCalls();
    expect(sharesOf(before)).toEqual({ 'Anne Ringjar': 3, 'Bjørn Ringjar': 3, 'Cecilie Ringjar': 3 });
  });

  it("re-shares only the removed caller's open calls, fairly among those who remain, and says who moved them and when", async () => {
    const done = await removeStaff(stack.pool, stack.client, stack.config.units, { unit: UNIT, name: 'Bjørn Ringjar', by });
    expect(done.staff).toEqual(['Anne Ringjar', 'Cecilie Ringjar']);
    expect(done.moved.map((m) => m.caseId).sort()).toEqual(callsOf(before, 'Bjørn Ringjar'));
    const after = await openCalls();
    // Nobody else's calls moved.
    for (const name of ['Anne Ringjar', 'Cecilie Ringjar']) expect(callsOf(after, name)).toEqual(expect.arrayContaining(callsOf(before, name)));
    expect(callsOf(after, 'Bjørn Ringjar')).toEqual([]);
    const shares = sharesOf(after);
    expect(Object.keys(shares)).toEqual(['Anne Ringjar', 'Cecilie Ringjar']);
    expect(Math.abs(shares['Anne Ringjar'] - shares['Cecilie Ringjar'])).toBeLessThanOrEqual(1);
    expect(shares['Anne Ringjar'] + shares['Cecilie Ringjar']).toBe(N);
    for (const moved of after.filter((c) => done.moved.some((m) => m.caseId === c.case_id))) {
      expect(moved).toMatchObject({ moved_from: 'Bjørn Ringjar', moved_by: by, move_reason: 'staff-removed', moved_at: expect.any(Date) });
    }
    for (const kept of after.filter((c) => !done.moved.some((m) => m.caseId === c.case_id))) expect(kept.moved_at).toBeNull();
    // And in each moved case's own journal: from whom, to whom, why and by whom; nothing else of the case changed.
    for (const m of done.moved) {
      const entry = await eventually(
        async () => (await journalOf(stack.pool, m.caseId)).find((e) => e.event === 'CALL_MOVED'),
        'the move journalled',
      );
      expect(entry).toMatchObject({
        by,
        detail: { campaign: 'autumn', from: 'Bjørn Ringjar', to: m.to, reason: 'staff-removed' },
        from: { stage: 'phoneCampaign' },
        to: { stage: 'phoneCampaign' },
      });
    }

    const staff = await unitStaff(stack.pool, stack.config.units, UNIT);
    expect(staff.staff).toEqual(['Anne Ringjar', 'Cecilie Ringjar']);
    expect(staff.changes).toEqual([{ staff: 'Bjørn Ringjar', change: 'remove', by, at: expect.any(String) }]);
    // The units the API shows have the staff as changed.
    const units = await asKari('GET', '/units');
    expect((units.body as { units: { code: string; staff: string[] }[] }).units.find((u) => u.code === UNIT)?.staff).toEqual([
      'Anne Ringjar',
      'Cecilie Ringjar',
    ]);
  });

  it('refuses to remove someone who is not on the staff, or to give a call to them, and changes nothing', async () => {
    const calls = await openCalls();
    await expect(removeStaff(stack.pool, stack.client, stack.config.units, { unit: UNIT, name: 'Bjørn Ringjar', by })).rejects.toThrow(
      /Bjørn Ringjar does not share the calls of unit 12280/,
    );
    await expect(
      reassignCallsTo(stack.pool, stack.client, stack.config.units, { schoolYear: YEAR, caseId: calls[0].case_id, to: 'Bjørn Ringjar', by }),
    ).rejects.toThrow(StaffError);
    const refused = await asKari('POST', '/calls/reassign', { schoolYear: YEAR, unit: UNIT, from: 'Anne Ringjar', to: 'Nils Ukjend' });
    expect([refused.status, (refused.body as { error: string }).error]).toEqual([409, expect.stringMatching(/Nils Ukjend does not share the calls/)]);
    expect(await openCalls()).toEqual(calls);
  });
});

describe('calls reassigned by hand', () => {
  it('moves one call to another staff member, recorded as reassigned', async () => {
    const calls = await openCalls();
    const one = callsOf(calls, 'Anne Ringjar')[0];
    const moved = await reassignCallsTo(stack.pool, stack.client, stack.config.units, { schoolYear: YEAR, caseId: one, to: 'Cecilie Ringjar', by });
    expect(moved).toEqual([{ schoolYear: YEAR, campaign: 'autumn', caseId: one, from: 'Anne Ringjar', to: 'Cecilie Ringjar' }]);
    const after = await openCalls();
    expect(after.find((c) => c.case_id === one)).toMatchObject({ staff: 'Cecilie Ringjar', moved_from: 'Anne Ringjar', move_reason: 'reassigned' });
    const journalled = await eventually(
      async () => (await journalOf(stack.pool, one)).filter((e) => e.event === 'CALL_MOVED' && e.detail?.reason === 'reassigned')[0],
      'the reassignment journalled',
    );
    expect(journalled).toMatchObject({ by, detail: { from: 'Anne Ringjar', to: 'Cecilie Ringjar' } });
    // The rest stay where they were.
    expect(after.filter((c) => c.case_id !== one)).toEqual(calls.filter((c) => c.case_id !== one));
  });

  it("moves all of a person's open calls through the API, in the signed-in user's name, and audits it", async () => {
    const calls = await openCalls();
    const cecilie = callsOf(calls, 'Cecilie Ringjar');
    const r = await asKari('POST', '/calls/reassign', { schoolYear: YEAR, unit: UNIT, from: 'Cecilie Ringjar', to: 'Anne Ringjar' });
    expect(r.status).toBe(200);
    expect((r.body as { moved: { caseId: string }[] }).moved.map((m) => m.caseId).sort()).toEqual(cecilie);
    const after = await openCalls();
    expect(sharesOf(after)).toEqual({ 'Anne Ringjar': N });
    for (const id of cecilie)
      expect(after.find((c) => c.case_id === id)).toMatchObject({ moved_from: 'Cecilie Ringjar', moved_by: by, move_reason: 'reassigned' });
    const audit = await stack.pool.query(`SELECT case_ids FROM audit_log WHERE list = $1 ORDER BY id DESC LIMIT 1`, [
      `calls-reassign:${YEAR}:${UNIT}`,
    ]);
    expect([...audit.rows[0].case_ids].sort()).toEqual(cecilie);
    const one = await asKari('POST', `/calls/${cecilie[0]}/reassign`, { schoolYear: YEAR, to: 'Cecilie Ringjar' });
    expect(one.status).toBe(200);
    expect((one.body as { moved: unknown[] }).moved).toEqual([
      { schoolYear: YEAR, campaign: 'autumn', caseId: cecilie[0], from: 'Anne Ringjar', to: 'Cecilie Ringjar' },
    ]);
  });

  it('moves a call by `ot calls reassign`, journalled in the name of the account it runs as', async () => {
    // The CLI reads the units from a file: this test's, with the staff as configured here.
    const unitsFile = path.join(outDir, 'units.json');
    writeFileSync(unitsFile, JSON.stringify(stack.config.units));
    const one = callsOf(await openCalls(), 'Anne Ringjar')[0];
    const r = await ot(['calls', 'reassign', one, '--to', 'Cecilie Ringjar', '--school-year', String(YEAR)], { OT_UNITS_FILE: unitsFile });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect((await openCalls()).find((c) => c.case_id === one)).toMatchObject({ staff: 'Cecilie Ringjar', move_reason: 'reassigned' });
    const entry = await eventually(
      async () => (await journalOf(stack.pool, one)).find((e) => e.event === 'CALL_MOVED' && e.detail?.to === 'Cecilie Ringjar' && e.by !== by),
      'the CLI’s move journalled',
    );
    expect(entry).toMatchObject({ by: expect.any(String), detail: { from: 'Anne Ringjar', reason: 'reassigned' } });
  });

  it('shares a removed caller’s calls with one added mid-campaign, who holds none yet', async () => {
    const added = await asKari('POST', `/units/${UNIT}/staff`, { name: 'Dag Ringjar' });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ unit: UNIT, staff: ['Anne Ringjar', 'Cecilie Ringjar', 'Dag Ringjar'], moved: [] });
    const again = await asKari('POST', `/units/${UNIT}/staff`, { name: 'Dag Ringjar' });
    expect(again.status).toBe(409);
    const before = await openCalls();
    const anne = callsOf(before, 'Anne Ringjar');
    const removed = await asKari('POST', `/units/${UNIT}/staff/remove`, { name: 'Anne Ringjar' });
    expect(removed.status).toBe(200);
    expect((removed.body as { moved: unknown[] }).moved).toHaveLength(anne.length);
    const after = await openCalls();
    // Cecilie held one, Dag none: the first of Anne's eight goes to Dag, then they take turns (Cecilie, named first, on a tie).
    expect(sharesOf(after)).toEqual({ 'Cecilie Ringjar': 5, 'Dag Ringjar': 4 });
    expect(callsOf(after, 'Cecilie Ringjar')).toEqual(expect.arrayContaining(callsOf(before, 'Cecilie Ringjar')));
    await addStaff(stack.pool, stack.config.units, { unit: UNIT, name: 'Anne Ringjar', by });
    expect((await unitStaff(stack.pool, stack.config.units, UNIT)).staff).toEqual(['Cecilie Ringjar', 'Dag Ringjar', 'Anne Ringjar']);
  });
});
