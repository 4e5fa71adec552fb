import { InvalidArgumentError, Option } from 'commander';
import type { Config } from '../../schemas/config';
import { CliError } from './context';
import { CASE_ID_RULE, caseIdSchema } from '../../schemas/case-id';
import { schoolYearSchema } from '../../schemas/cohort-policy';
import { AGED_OUT_STATUS, parseOtStatus, OS_CODES } from '../../schemas/ot-codes';
import { findUnit, type OtUnit } from '../../schemas/units';

/** Parsers for commander options: each refuses a bad value with a one-line reason. */
export function schoolYear(value: string): number {
  const parsed = schoolYearSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('a school year is the year it starts, such as 2026');
  return parsed.data;
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number above 0');
  return n;
}

export function statusCode(value: string): string {
  const upper = value.trim().toUpperCase();
  if ((OS_CODES as readonly string[]).includes(upper)) return upper;
  // The age limit's own status, to list those who left the target group by it.
  if (upper === AGED_OUT_STATUS) return AGED_OUT_STATUS;
  const code = parseOtStatus(value);
  if (!code) throw new InvalidArgumentError(`"${value}" is neither an OS code nor a UDIR OT status code`);
  return code;
}

/** A case id argument or option value. */
export function caseId(value: string): string {
  if (!caseIdSchema.safeParse(value).success) throw new InvalidArgumentError(CASE_ID_RULE);
  return value;
}

/** A configured OT unit, or a one-line refusal. */
export function requireUnit(config: Config, unit: string): OtUnit {
  const found = findUnit(config.units, unit);
  if (!found) throw new CliError(`unit ${unit} is not a configured OT unit`);
  return found;
}

/** The school year a command is about, named by the year it starts. */
export const schoolYearOption = (description = 'the school year') =>
  new Option('--school-year <year>', description).argParser(schoolYear).makeOptionMandatory();

/** The OT unit a command is about: check it with requireUnit. */
export const unitOption = () => new Option('--unit <unit>', 'the OT unit').makeOptionMandatory();

/** A note for the caseworker; the case refuses one that looks like it holds a national id number. */
export const noteOption = () => new Option('--note <text>', 'a note for the caseworker (never a national id number)');
