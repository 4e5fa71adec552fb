import { WORKING_DAYS } from '../../../schemas/calendar';
import type { Language } from './language';

/**
 * A staff deadline of the calendar (`replyOverdueAfter`: `10 working days`, or an ISO duration such as PT60S on a
 * compressed year) in the user's language: the working days in words, an ISO duration as the calendar has it.
 */
export function deadlineWords(value: string, lang: Language): string {
  const days = WORKING_DAYS.exec(value.trim());
  if (!days) return value;
  const n = Number(days[1]);
  if (lang === 'nn') return `${n} ${n === 1 ? 'arbeidsdag' : 'arbeidsdagar'}`;
  return `${n} ${n === 1 ? 'arbeidsdag' : 'arbeidsdager'}`;
}
