import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setCalendar } from '../client/use-cases/calendar';
import { submitImport } from '../client/use-cases/cohort-import';
import { printLetterBatch } from '../client/use-cases/letter-batches';
import { confirmMailing } from '../client/use-cases/mailings';
import { generateTransfer } from '../domain/demo-cohort';
import { yearInSteps } from '../domain/trial-calendar';
import type { CampaignCalendar } from '../schemas/calendar';
import { OS_CODE_TABLE } from '../schemas/ot-codes';
import { mailingWorkflowId } from '../workflows/contracts/mass-operations';
import { drained, f, seconds, waitFor } from './measure';
import { log, type BenchStack } from './stack';

/**
 * The cohort the herd, the mass operations and the API load stand on: N synthetic youth imported on a calendar
 * whose letters are all due at once and whose phone campaigns are days away, every letter batch printed, and
 * the letters confirmed for the units asked (each case of those OTUK, waiting for its SMS and the campaign).
 */
export const OTUK_YEAR = 2026;
const DAY = 86_400_000;
export const BENCH_BY = 'Benk Operatør';

export interface OtukCohort {
  calendar: CampaignCalendar;
  created: number;
  /** Letters printed, per unit. */
  printed: Map<string, number>;
  /** Cases OTUK after the letters, over the units confirmed. */
  otuk: number;
}

export const countWhere = async (stack: BenchStack, where: string, params: unknown[] = []) =>
  Number((await stack.pool.query(`SELECT count(*)::int AS n FROM cases WHERE school_year = $1 ${where}`, [OTUK_YEAR, ...params])).rows[0].n);

/** Every letter batch of `unit`, printed (into a folder thrown away): how many letters. */
export async function printUnit(stack: BenchStack, unit: string, outDir: string): Promise<number> {
  let letters = 0;
  for (const { code } of OS_CODE_TABLE) {
    const batch = await printLetterBatch(stack, { schoolYear: OTUK_YEAR, unit, osCode: code, by: BENCH_BY, outDir });
    letters += batch?.letters ?? 0;
  }
  return letters;
}

/** Confirms every OS code's letters of `unit` as sent, at once, as the office would after the mailing: the cases signalled. */
export async function confirmUnit(stack: BenchStack, unit: string): Promise<{ signalled: number; workflowIds: string[] }> {
  const sentOn = new Date().toISOString();
  const requests = OS_CODE_TABLE.map(({ code }) => ({ kind: 'letters' as const, schoolYear: OTUK_YEAR, unit, osCode: code, sentOn, by: BENCH_BY }));
  const results = await Promise.all(requests.map((req) => confirmMailing(stack, req)));
  return { signalled: results.reduce((sum, r) => sum + r.signalled, 0), workflowIds: requests.map(mailingWorkflowId) };
}

export async function otukCohort(stack: BenchStack, size: number, opts: { confirm: (unit: string) => boolean }): Promise<OtukCohort> {
  const t0 = Math.ceil(Date.now() / 1000) * 1000;
  const calendar = yearInSteps(OTUK_YEAR, t0, DAY, { otherLetters: 0, autumnCampaign: [10, 11], winterCampaign: [12, 13], schoolYearEnd: 20 });
  const stored = (await setCalendar(stack, OTUK_YEAR, calendar)).calendar;

  let t = performance.now();
  const content = generateTransfer({ size, schoolYear: OTUK_YEAR, units: stack.config.units, seed: 1 });
  const handle = await submitImport(stack, { fileName: 'bench.csv', content, schoolYear: OTUK_YEAR, strict: false });
  const { created } = await handle.result();
  log(`setup: imported ${created} cases in ${f(seconds(performance.now() - t))} s; waiting for the letters to fall due`);
  const timeout = Math.max(300_000, size * 300);
  if (!(await waitFor(async () => (await countWhere(stack, "AND stage IN ('classifying', 'awaitingLetter')")) === 0, timeout, 1000)))
    throw new Error('setup: the letters did not all fall due in time');
  await drained(stack.client, stack.config.namespace, stack.config.taskQueue, timeout);

  const outDir = mkdtempSync(path.join(os.tmpdir(), 'ot-bench-letters-'));
  const printed = new Map<string, number>();
  try {
    t = performance.now();
    for (const unit of stack.config.units) printed.set(unit.code, await printUnit(stack, unit.code, outDir));
    log(`setup: printed ${[...printed.values()].reduce((a, b) => a + b, 0)} letters in ${f(seconds(performance.now() - t))} s`);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const confirmed = stack.config.units.map((u) => u.code).filter(opts.confirm);
  t = performance.now();
  for (const unit of confirmed) await confirmUnit(stack, unit);
  if (confirmed.length > 0) {
    const inUnits = `AND unit = ANY($2::text[])`;
    if (!(await waitFor(async () => (await countWhere(stack, `AND stage = 'letterDue' ${inUnits}`, [confirmed])) === 0, timeout, 1000)))
      throw new Error('setup: the letters confirmed did not all reach their cases in time');
    await drained(stack.client, stack.config.namespace, stack.config.taskQueue, timeout);
    log(`setup: confirmed the letters of ${confirmed.length} units in ${f(seconds(performance.now() - t))} s`);
  }
  const otuk = confirmed.length > 0 ? await countWhere(stack, `AND ot_status = 'OTUK' AND unit = ANY($2::text[])`, [confirmed]) : 0;
  return { calendar: stored, created, printed, otuk };
}
