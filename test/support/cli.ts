import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../scripts/project-root';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `ot` executable (bin/ot.js over dist/, built by `npm test`) as an operator would. */
export function ot(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'ot.js'), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function otJson<T = unknown>(args: string[], env: NodeJS.ProcessEnv = {}): T {
  const r = ot(['--json', ...args], env);
  if (r.code !== 0) throw new Error(`ot ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
