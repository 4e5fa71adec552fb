import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../domain/project-root';

/** The Temporal CLI that scripts/temporal-cli.sh finds or installs (its progress goes to our stderr). */
export function temporalCliPath(): string {
  return execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'temporal-cli.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}
