import { existsSync } from 'node:fs';
import path from 'node:path';

/** The checkout's root, whether this code runs from its TypeScript source or from dist/. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'db', 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no project root above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
