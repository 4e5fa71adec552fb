import { z } from 'zod';

/**
 * Norwegian national ids: fødselsnummer and D-numbers (day + 40), checked by their two mod-11
 * control digits and a real birth date. Any other 11 digits are a fictitious id: VIGO carries
 * such ids for people who never got a real one, and the campaign must still reach them.
 */
export type NationalIdKind = 'fodselsnummer' | 'd-number' | 'fictitious';

export interface NationalIdInfo {
  kind: NationalIdKind;
  /** ISO date (YYYY-MM-DD); undefined when the digits hold no real date (only for fictitious ids). */
  birthDate?: string;
}

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function controlDigit(digits: number[], weights: number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * digits[i], 0);
  const rest = 11 - (sum % 11);
  return rest === 11 ? 0 : rest; // 10 means no valid control digit exists
}

export function hasValidControlDigits(id: string): boolean {
  if (!/^\d{11}$/.test(id)) return false;
  const d = [...id].map(Number);
  const k1 = controlDigit(d, K1);
  const k2 = controlDigit(d, K2);
  return k1 < 10 && k2 < 10 && k1 === d[9] && k2 === d[10];
}

/** The century follows from the individual number (digits 7–9), as Skatteetaten assigns them. */
function fullYear(yy: number, individual: number): number | undefined {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (individual >= 500 && yy <= 39) return 2000 + yy;
  if (individual >= 900 && yy >= 40) return 1900 + yy;
  return undefined;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The birth date the digits describe, whether or not the control digits hold. */
export function birthDateOf(id: string): string | undefined {
  if (!/^\d{11}$/.test(id)) return undefined;
  let day = Number(id.slice(0, 2));
  const month = Number(id.slice(2, 4));
  const yy = Number(id.slice(4, 6));
  if (day > 40) day -= 40;
  const year = fullYear(yy, Number(id.slice(6, 9)));
  return year === undefined ? undefined : isoDate(year, month, day);
}

export function classifyNationalId(id: string): NationalIdInfo {
  const birthDate = birthDateOf(id);
  if (hasValidControlDigits(id) && birthDate) {
    return { kind: Number(id.slice(0, 2)) > 40 ? 'd-number' : 'fodselsnummer', birthDate };
  }
  return { kind: 'fictitious', birthDate };
}

/**
 * Builds a valid id for a birth date in 1900–2039 from a serial number (0–499, taken modulo 500),
 * placed in the individual-number range of that century; undefined when it gives no control digit.
 */
export function makeNationalId(birthDate: string, serial: number, dNumber = false): string | undefined {
  const [y, m, d] = birthDate.split('-').map(Number);
  const individual = (y >= 2000 ? 500 : 0) + (serial % 500);
  const day = dNumber ? d + 40 : d;
  const base = `${String(day).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y % 100).padStart(2, '0')}${String(individual).padStart(3, '0')}`;
  const digits = [...base].map(Number);
  const k1 = controlDigit(digits, K1);
  if (k1 === 10) return undefined;
  const k2 = controlDigit([...digits, k1], K2);
  if (k2 === 10) return undefined;
  const id = `${base}${k1}${k2}`;
  return birthDateOf(id) === birthDate ? id : undefined;
}

/** 11 digits, spaces allowed and dropped. The message never repeats the input: it may be a real id. */
export const nationalIdSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .refine((s) => /^\d{11}$/.test(s), { message: 'fodselsnummer must be 11 digits' });
