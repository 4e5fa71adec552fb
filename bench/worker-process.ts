import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../domain/project-root';

/** The real worker program (dist/worker/main.js, built by `npm test` and the benchmarks' npm scripts) in a process of its own, output captured. */
export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

export function spawnWorker(env: NodeJS.ProcessEnv): WorkerProcess {
  const main = path.join(PROJECT_ROOT, 'dist', 'worker', 'main.js');
  if (!existsSync(main)) throw new Error('dist/worker/main.js is missing: run `npm run build` (npm test does)');
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => out,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
