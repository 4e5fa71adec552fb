import os from 'node:os';
import type { Findings } from './checks';
import type { Fault } from './injectors';
import type { ProgressMonitor } from './progress';

/** The suite's figures on stdout: faults by kind, what each cost, and what the checks found. */
export function printReport(r: {
  size: number;
  stepSeconds: number;
  runSeconds: number;
  faults: Fault[];
  gatewaySteps: Record<string, number>;
  monitor: ProgressMonitor;
  findings: Findings;
  officeFailures: string[];
  office: Map<string, number>;
}): void {
  const { findings: f } = r;
  const s = (ms?: number) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
  const cpus = os.cpus();
  console.log('');
  console.log(`fault suite: ${f.cases} cases, step ${r.stepSeconds} s, ${r.runSeconds.toFixed(0)} s from import to the checks`);
  console.log(
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), node ${process.version}; Temporal's server, 2 history processes`,
  );
  const kinds = new Map<string, number>();
  for (const x of r.faults) kinds.set(x.kind, (kinds.get(x.kind) ?? 0) + 1);
  const sends = Object.values(r.gatewaySteps).reduce((a, b) => a + b, 0);
  const timeouts = (r.gatewaySteps.hang ?? 0) + (r.gatewaySteps.late ?? 0);
  console.log(
    `faults injected: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}, ` +
      `sms 500 ${r.gatewaySteps.fail500 ?? 0} and sms timeout ${timeouts} of ${sends} gateway POSTs`,
  );
  console.log('time lost to each fault: until the journal moved again / until the task backlog had drained (- : it never built up)');
  for (const x of r.faults) {
    const lost = r.monitor.lostTo(x.at);
    const backAfter = x.back !== undefined ? `, back after ${s(x.back - x.at)}` : '';
    console.log(
      `  +${((x.at - r.monitor.samples[0].at) / 1000).toFixed(0).padStart(4)} s  ${x.kind.padEnd(24)} resumed ${s(lost.resumedMs).padStart(7)}  drained ${s(lost.drainedMs).padStart(7)}  (${x.detail}${backAfter})`,
    );
  }
  console.log(
    `office: ${[...r.office]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  console.log(
    `counted: ${Object.entries(f.counted)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  const list = (what: string, xs: string[]) => {
    console.log(`${what}: ${xs.length}`);
    for (const x of xs.slice(0, 10)) console.log(`  ${x}`);
    if (xs.length > 10) console.log(`  ... and ${xs.length - 10} more`);
  };
  list('cases lost', f.lost);
  list('effects doubled', f.doubled);
  list('effects missing', f.missing);
  list('mismatches', f.mismatches);
  list('mass operations stuck', f.stuck);
  list('office failures', r.officeFailures);
  console.log(
    JSON.stringify({
      bench: 'faults',
      cases: f.cases,
      stepSeconds: r.stepSeconds,
      faults: Object.fromEntries(kinds),
      gateway: r.gatewaySteps,
      lost: f.lost.length,
      doubled: f.doubled.length,
      missing: f.missing.length,
      mismatches: f.mismatches.length,
      stuck: f.stuck.length,
      timeLost: r.faults.map((x) => ({ kind: x.kind, ...r.monitor.lostTo(x.at) })),
    }),
  );
}
