import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The Temporal CLI the project's own script finds or installs. */
export function temporalCliPath(): string {
  const script = path.resolve(__dirname, '..', '..', 'scripts', 'temporal-cli.sh');
  return execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
