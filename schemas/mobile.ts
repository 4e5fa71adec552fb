import { z } from 'zod';
import { PHONE_MAX, tooLong } from './limits';

/** Norwegian mobile numbers: 8 digits starting with 4 or 9, optionally prefixed +47 or 0047. */
export function normaliseMobile(input: string): string | undefined {
  let s = input.replace(/[\s\-().]/g, '');
  if (s.startsWith('+47')) s = s.slice(3);
  else if (s.startsWith('0047')) s = s.slice(4);
  else if (s.length === 10 && s.startsWith('47')) s = s.slice(2);
  return /^[49]\d{7}$/.test(s) ? `+47${s}` : undefined;
}

export const mobileSchema = z
  .string()
  .max(PHONE_MAX, tooLong('mobil', PHONE_MAX))
  .transform((s, ctx) => {
    const e164 = normaliseMobile(s);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'mobil is not a Norwegian mobile number (8 digits starting with 4 or 9)' });
      return z.NEVER;
    }
    return e164;
  });
