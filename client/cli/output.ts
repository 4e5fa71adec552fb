import { DateTime } from 'luxon';
import { CAMPAIGN_ZONE } from '../../schemas/calendar';

/** A moment as people in the office read it: Oslo time, to the second. */
export const osloTime = (iso: string) => DateTime.fromISO(iso).setZone(CAMPAIGN_ZONE).toFormat('yyyy-LL-dd HH:mm:ss');

// Escape sequences first (ESC [ ... final byte; ESC ] ... BEL or ESC \; ESC and one character), so no part of one is left
// behind; then the lone control characters: C0 but tab and newline, DEL, C1 (where a terminal reads 0x9b as ESC [), and the
// bidirectional overrides that make a line read other than it is. Control characters are what these patterns are for.
/* eslint-disable no-control-regex */
const ESCAPE_SEQUENCES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u001b[\s\S]?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/**
 * Text from data (names, notes, SMS replies, reasons) made safe for a terminal: a name or note can hold an ANSI escape that
 * would recolour, retitle or rewrite the operator's screen, or a carriage return that overwrites what was printed before.
 * `line`: one table cell or line, where a tab or newline of the data becomes a space; else tabs and newlines are kept.
 * Every human-readable output of the CLI goes through it (`print`, `table`); --json needs none (JSON escapes them).
 */
export function plainText(text: string, opts: { line?: boolean } = {}): string {
  const stripped = text.replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, (c) => (c === '\r' || c === '\u000b' || c === '\f' ? ' ' : ''));
  return opts.line ? stripped.replace(/[\t\n]/g, ' ') : stripped;
}

/** Writes text for people to standard output, without the control characters of `plainText`. */
export function print(text: string): void {
  process.stdout.write(plainText(text));
}

/** Plain aligned columns for people; --json gives scripts the same data whole. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => plainText(v === undefined || v === null ? '' : Array.isArray(v) ? v.join(',') : String(v), { line: true });
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
