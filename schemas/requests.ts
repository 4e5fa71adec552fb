import { z } from 'zod';
import { caseIdSchema } from './case-id';
import { NAME_MAX, NOTE_MAX, tooLong } from './limits';
import { otStatusSchema } from './ot-code-schemas';

/**
 * The bodies of the requests the front ends pass on to the use cases, one schema each: the API parses
 * a JSON body with it, the CLI the options it was given, so both refuse the same things in the same words.
 * Who makes the request is never in the body: it is the signed-in user (or the account the CLI acts as).
 */

const note = z.string().max(NOTE_MAX, tooLong('note', NOTE_MAX)).optional();

/** What a phone call came to: reached the youth, or not, or found the number wrong. */
export const CALL_OUTCOMES = ['reached', 'notReached', 'wrongNumber'] as const;

export const callRegistrationSchema = z
  .object({
    result: z.enum(CALL_OUTCOMES),
    status: otStatusSchema.optional(),
    forwardTo: z.string().trim().min(1).max(NAME_MAX, tooLong('forwardTo', NAME_MAX)).optional(),
    note,
  })
  .strict()
  .superRefine((call, ctx) => {
    // What the youth said exists only if the call reached them, and it is an outcome or a reply passed on, not both.
    if (call.result !== 'reached' && (call.status || call.forwardTo)) {
      ctx.addIssue({
        code: 'custom',
        path: [call.status ? 'status' : 'forwardTo'],
        message: 'only a call that reached the youth has a status or forwardTo',
      });
    }
    if (call.status && call.forwardTo) {
      ctx.addIssue({
        code: 'custom',
        path: ['forwardTo'],
        message: 'a reached call sets an outcome (status) or passes a reply on (forwardTo), not both',
      });
    }
  });
export type CallRegistration = z.infer<typeof callRegistrationSchema>;

export const smsAssignmentSchema = z.object({ caseId: caseIdSchema }).strict();
export type SmsAssignment = z.infer<typeof smsAssignmentSchema>;

/** The reasons zod gives, joined: each names the field it is about (once: a limit's message already starts with it). */
export function requestProblems(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const field = i.path.join('.');
      return field && !i.message.startsWith(`${field}:`) ? `${field}: ${i.message}` : i.message;
    })
    .join('; ');
}
