import { execFile } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../domain/project-root';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `ot` executable (bin/ot.js over dist/, built by `npm test`) as an operator would.
 * Asynchronously: the test's own worker runs in this process and must keep working meanwhile.
 */
export function ot(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'bin', 'ot.js'), ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

export async function otJson<T = unknown>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const r = await ot(['--json', ...args], env);
  if (r.code !== 0) throw new Error(`ot ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
