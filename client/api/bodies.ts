import { z } from 'zod';
import { caseIdSchema } from '../../schemas/case-id';
import { schoolYearSchema } from '../../schemas/cohort-policy';
import { nationalIdSchema } from '../../schemas/national-id';
import { otStatusSchema } from '../../schemas/ot-code-schemas';
import { NAME_MAX, NOTE_MAX, tooLong } from '../../schemas/limits';
import { postalAddressSchema } from '../../schemas/vigo-row';
import { normaliseMobile } from '../../schemas/mobile';
import { PHONE_CAMPAIGNS } from '../../schemas/calendar';
import { CASE_STAGES, CHANNELS, CONTACT_SOURCES, REACH } from '../../workflows/youth-case/machine';
import { CASE_FLAGS } from '../../workflows/youth-case/view';

/**
 * The API's parameters and bodies beyond the shared request schemas (schemas/requests.ts): the ones that
 * name the case machine's channels and contact sources, which schemas/ cannot import. Every object is strict, so
 * an unknown field is refused by name rather than ignored.
 */
const note = z.string().max(NOTE_MAX, tooLong('note', NOTE_MAX)).optional();
const personName = (field: string) => z.string().trim().min(1).max(NAME_MAX, tooLong(field, NAME_MAX));

export const caseParams = z.object({ caseId: caseIdSchema });
export const schoolYearParams = z.object({ schoolYear: schoolYearSchema });

/** The case version the request is based on, as the If-Match header (the `version` of the case view). */
export const ifMatchHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^"?\d+"?$/, 'If-Match: the case version, a whole number')
    .optional(),
});

export const outcomeBody = z.object({ status: otStatusSchema, channel: z.enum(CHANNELS), note }).strict();
export const replyBody = z.object({ channel: z.enum(CHANNELS), forwardTo: personName('forwardTo').optional(), note }).strict();
export const claimBody = z.object({ caseworker: personName('caseworker').optional(), status: otStatusSchema.default('OTOV'), note }).strict();
export const returnedLetterBody = z.object({ note }).strict();

export const contactBody = z
  .object({
    address: postalAddressSchema.strict().optional(),
    mobile: z
      .string()
      .max(20)
      .refine((m) => normaliseMobile(m) !== undefined, 'a Norwegian mobile number (8 digits starting with 4 or 9)')
      .optional(),
    source: z.enum(CONTACT_SOURCES),
    note,
  })
  .strict()
  .refine((b) => Boolean(b.address) !== Boolean(b.mobile), { message: 'give address or mobile (one of them)', path: ['address'] });

export const caseSearchQuery = z
  .object({
    schoolYear: schoolYearSchema,
    unit: z.string().min(1).optional(),
    status: z.string().min(1).max(20).optional(),
    stage: z.enum(CASE_STAGES).optional(),
    flag: z.enum(CASE_FLAGS).optional(),
    /** Never reached, reached with no outcome set, or settled: read from the stage each case held in its year. */
    reach: z.enum(REACH).optional(),
    name: z.string().trim().min(2, 'name: at least 2 characters').max(100).optional(),
    birthDate: z.iso.date('birthDate: a date such as 2008-05-17').optional(),
    caseId: caseIdSchema.optional(),
    caseworker: personName('caseworker').optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

/** A national id only ever travels in a body: never in a URL, where logs and browsers keep it. */
export const lookupBody = z.object({ nationalId: nationalIdSchema, schoolYear: schoolYearSchema }).strict();

export const callListQuery = z
  .object({
    schoolYear: schoolYearSchema,
    unit: z.string().min(1, 'unit is required'),
    staff: personName('staff').optional(),
    campaign: z.enum(PHONE_CAMPAIGNS).optional(),
    all: z.enum(['true', 'false']).optional(),
  })
  .strict();

export const reportQuery = z.object({ asOf: z.string().min(1, 'asOf is required: a date such as 2026-11-15, or a date and time') }).strict();

/** Who takes a call moved (POST /calls/:caseId/reassign), and every open call of one staff member moved (POST /calls/reassign). */
export const reassignOneBody = z.object({ schoolYear: schoolYearSchema, to: personName('to') }).strict();
export const reassignAllBody = z
  .object({
    schoolYear: schoolYearSchema,
    unit: z.string().regex(/^\d{3,6}$/, 'a unit code is 3 to 6 digits'),
    from: personName('from'),
    to: personName('to'),
  })
  .strict();
/** A unit's staff changed (POST /units/:unit/staff, /units/:unit/staff/remove). */
export const unitParams = z.object({ unit: z.string().regex(/^\d{3,6}$/, 'a unit code is 3 to 6 digits') });
// Checked by the use case (an empty name refused there), after the policy: the same refusal as the CLI's.
export const staffBody = z.object({ name: z.string().max(NAME_MAX, tooLong('name', NAME_MAX)) }).strict();

export const inboxParams = z.object({ inboundId: z.string().min(1).max(200) });
export const inboxQuery = z.object({ all: z.enum(['true', 'false']).optional() }).strict();

export { caseIdSchema };
