import { DateTime } from 'luxon';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';

/** A moment as people in the office read it: Oslo time, to the second. */
export const osloTime = (iso: string) => DateTime.fromISO(iso).setZone(CAMPAIGN_ZONE).toFormat('yyyy-LL-dd HH:mm:ss');

/** Plain aligned columns for people; --json gives scripts the same data whole. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
