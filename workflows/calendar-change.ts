import { z } from 'zod';
import { OS_CODE_KEY } from '../schemas/calendar';
import { calendarShape, signalledCalendarShape } from '../schemas/calendar-shape';
import { calendarIssues } from './calendar';

/*
 * The check a case makes of a calendar signalled to it, in a module of its own because it needs zod: the sandbox
 * evaluates a workflow's modules once per workflow, and zod's evaluation was half of what a new case's first workflow
 * task cost. The case workflow loads this module only when a calendar comes (youth-case/workflow.ts).
 */

/** What the calendarChanged signal carries (CalendarVersion in contracts/youth-case.ts), checked as the case takes it. */
const calendarChangeSchema = z.object({ version: z.number().int(), calendar: signalledCalendarShape });

/** The keys a calendar has, and the OS codes' shape: a path made of others is shown without them, as it may hold anything. */
const CALENDAR_KEYS = new Set(['version', 'calendar', ...calendarKeysOf(calendarShape.shape)]);
function calendarKeysOf(shape: Record<string, unknown>): string[] {
  return Object.entries(shape).flatMap(([key, value]) => [
    key,
    ...(value instanceof z.ZodObject ? calendarKeysOf(value.shape as Record<string, unknown>) : []),
  ]);
}
const shownKey = (key: PropertyKey) => (typeof key === 'string' && (CALENDAR_KEYS.has(key) || OS_CODE_KEY.test(key)) ? key : '(key)');

/**
 * Why a case cannot follow a calendar signalled to it (calendarChanged), or undefined when it can: the
 * checks of a calendar a person sets (calendarShape, then calendarIssues across its values), but for the
 * OS codes, which may be any (signalledCalendarShape). The reason names keys of the calendar and never
 * repeats a value it does not know, so it may be logged.
 */
export function calendarChangeProblem(next: unknown): string | undefined {
  const parsed = calendarChangeSchema.safeParse(next);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.map(shownKey).join('.') || 'the signal';
    // zod names unknown keys in its message: they are the sender's, not the calendar's.
    if (issue.code === 'unrecognized_keys') return `${at}: holds a key that is not a calendar key`;
    if (issue.code === 'invalid_key') return `${at}: not an OS code`;
    return `${at}: ${issue.message}`;
  }
  return calendarIssues(parsed.data.calendar)[0]?.message;
}
