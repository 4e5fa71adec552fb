import { execFile } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PROJECT_ROOT } from '../../domain/project-root';
import { userByUsername } from '../../db/users';
import { addUser } from '../../client/use-cases/users';
import type { TestStack } from './stack';

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

/**
 * An operator account for the CLI's --as, made once per test database: the e2e tests follow the campaign,
 * not the access policy (test/integration/access.test.ts covers each role).
 */
export async function ensureAccount(stack: TestStack, username: string, displayName: string): Promise<void> {
  if (await userByUsername(stack.pool, username)) return;
  await addUser(stack.pool, stack.config.units, { username, displayName, role: 'operator', units: [] }, randomBytes(12).toString('hex'));
}
