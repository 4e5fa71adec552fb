import { createHash } from 'node:crypto';

/** A short, stable name for a set of ids (order does not matter): what a deterministic workflow id is made of. */
export function digestOf(values: readonly string[]): string {
  return createHash('sha256')
    .update([...values].sort().join(','))
    .digest('hex')
    .slice(0, 16);
}
