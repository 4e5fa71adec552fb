import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { WorkflowFailedError } from '@temporalio/client';
import { submitImport } from '../use-cases/cohort-import';
import { healthChecks } from '../use-cases/health';
import { CliError, type CliContext } from './context';
import { readTextFile } from './files';
import { print, printJson } from './output';
import { type ImportProgress, type ImportSummary, importProgressQuery } from '../../workflows/contracts/cohort-import';

/** The summary as the operator reads it: counts, then the lines that need something done. */
export function describeImport(summary: ImportSummary): string {
  const lines = [
    `${summary.fileName}: ${summary.rows} rows for school year ${summary.schoolYear}`,
    `  created ${summary.created}, already there ${summary.existing}, rejected ${summary.rejected.length}, outside the target group ${summary.outsideTargetGroup.length}`,
  ];
  const stages = Object.entries(summary.stages)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  if (stages) lines.push(`  stages: ${stages}`);
  if (summary.carriedOver)
    lines.push(
      `  in OT last year too: ${summary.carriedOver.inOtLastYear} (of them never reached last year: ${summary.carriedOver.unreachedLastYear})`,
    );
  if (summary.ageLimit)
    lines.push(
      `  at the age limit, leaving the target group on 1 January: ${summary.ageLimit.agesOut} (of them already past it, leaving at once: ${summary.ageLimit.agedOutAtImport})`,
    );
  if (summary.returnToVigo.length) lines.push(`  return to VIGO: lines ${summary.returnToVigo.join(', ')}`);
  if (summary.forAdmissionsOffice.length) lines.push(`  for the admissions office (no address): lines ${summary.forAdmissionsOffice.join(', ')}`);
  if (summary.outsideTargetGroup.length) lines.push(`  outside the target group: lines ${summary.outsideTargetGroup.join(', ')}`);
  for (const c of summary.changed) lines.push(`  line ${c.line}: already imported with other ${c.fields.join(', ')} (not applied)`);
  for (const r of summary.rejected) lines.push(`  line ${r.line}: rejected: ${r.reason}`);
  for (const w of summary.warnings) lines.push(`  warning: ${w}`);
  if (summary.refused) lines.push('  --strict: rejected rows refuse the whole file; nothing was imported');
  return lines.join('\n');
}

export async function importCommand(ctx: CliContext, file: string, opts: { schoolYear: number; strict?: boolean; json?: boolean }): Promise<number> {
  const content = readTextFile(file);
  const client = await ctx.client();
  const worker = (await healthChecks({ config: ctx.config, pool: ctx.pool, client: async () => client })).find((c) => !c.ok);
  if (worker) throw new CliError(`cannot import: ${worker.name}: ${worker.detail}`);

  const handle = await submitImport(
    { pool: ctx.pool, client, config: ctx.config },
    {
      fileName: path.basename(file),
      content,
      schoolYear: opts.schoolYear,
      strict: Boolean(opts.strict),
    },
  );
  const bar =
    !opts.json && process.stderr.isTTY
      ? new SingleBar({ format: 'starting cases [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic)
      : undefined;
  let polling = true;
  let shown = false;
  const poll = (async () => {
    while (polling && bar) {
      const p: ImportProgress | undefined = await handle.query(importProgressQuery).catch(() => undefined);
      if (p && p.phase !== 'staging') {
        if (!shown) bar.start(p.toStart, 0);
        shown = true;
        bar.update(p.started);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  })();

  let summary: ImportSummary;
  try {
    summary = await handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      // The reason is the innermost cause: workflow failed ← activity failed ← the file's problem.
      let cause: Error = err;
      while (cause.cause instanceof Error) cause = cause.cause;
      throw new CliError(`import refused: ${cause.message}`);
    }
    throw err;
  } finally {
    polling = false;
    await poll;
    if (shown) {
      bar!.update(bar!.getTotal());
      bar!.stop();
    }
  }
  if (opts.json) printJson(summary);
  else print(`${describeImport(summary)}\n`);
  return summary.refused ? 1 : 0;
}
