import { z } from 'zod';
import { OS_CODES, parseOtStatus } from './ot-codes';

/*
 * The codes' zod schemas, apart from the code tables (ot-codes.ts): workflow code imports those, and a module that
 * imports zod costs every workflow that loads it the evaluation of zod in its sandbox.
 */

export const osCodeSchema = z.enum(OS_CODES);

export const otStatusSchema = z.string().transform((s, ctx) => {
  const code = parseOtStatus(s);
  if (!code) {
    // Echo the cell only when it is short: a long one may be an id number in the wrong column.
    ctx.addIssue({ code: 'custom', message: s.trim().length <= 8 ? `unknown OT status code "${s.trim()}"` : 'unknown OT status code' });
    return z.NEVER;
  }
  return code;
});
