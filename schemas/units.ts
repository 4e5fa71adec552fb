import { z } from 'zod';
import { EMAIL_MAX, NAME_MAX, PHONE_MAX, tooLong } from './limits';
import { postalAddressSchema } from './vigo-row';

/** Letters go in Nynorsk unless a unit writes Bokmål (målform). */
export const LETTER_LANGUAGES = ['nn', 'nb'] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

export const unitSchema = z.object({
  code: z.string().regex(/^\d{3,6}$/, 'a unit code is 3 to 6 digits'),
  name: z.string().min(1).max(NAME_MAX, tooLong('unit name', NAME_MAX)),
  /** The return address printed on letters and the reply sheet: where replies are sent. */
  address: postalAddressSchema.optional(),
  /** Who the youth may contact, named in the letter. */
  contact: z
    .object({
      name: z.string().min(1).max(NAME_MAX, tooLong('contact name', NAME_MAX)),
      phone: z.string().min(1).max(PHONE_MAX, tooLong('contact phone', PHONE_MAX)).optional(),
      email: z.string().min(1).max(EMAIL_MAX, tooLong('contact email', EMAIL_MAX)).optional(),
    })
    .optional(),
  /** Absent: Nynorsk. */
  language: z.enum(LETTER_LANGUAGES).optional(),
  /** Caseworkers and office staff who phone in the unit's phone campaigns: its call list is shared among them. */
  staff: z
    .array(z.string().trim().min(1, 'a staff name cannot be empty').max(NAME_MAX, tooLong('staff name', NAME_MAX)))
    .refine((names) => new Set(names).size === names.length, { message: 'staff names must be unique within a unit' })
    .optional(),
});
export type OtUnit = z.infer<typeof unitSchema>;

export const unitsSchema = z
  .array(unitSchema)
  .min(1)
  .refine((units) => new Set(units.map((u) => u.code)).size === units.length, { message: 'unit codes must be unique' });

/** The county's postal address (Vestland fylkeskommune): the default return address until a unit configures its own. */
const COUNTY_ADDRESS = { street: 'Postboks 7900', postcode: '5020', city: 'Bergen' };

/** The ten units of the seeds (Hordaland); another county configures its own with OT_UNITS_FILE. */
export const DEFAULT_UNITS: OtUnit[] = [
  ['12250', 'Bergen Sentrum'],
  ['12256', 'Bergen Sør'],
  ['12260', 'Bergen Vest'],
  ['12261', 'Askøy, Fjell, Sund, Øygarden'],
  ['12265', 'Bergen Nord/Aust'],
  ['12266', 'Nordhordland/Bergen Aust'],
  ['12270', 'Sunnhordland'],
  ['12275', 'Voss'],
  ['12276', 'Ytre Hardanger'],
  ['12280', 'Indre Hardanger'],
].map(([code, name]) => ({
  code,
  name,
  address: COUNTY_ADDRESS,
  contact: { name: `Oppfølgingstenesta ${name}` },
}));

/** The one lookup of a unit by its code among the configured units; undefined when it is not one of them. */
export function findUnit(units: readonly OtUnit[], code: string): OtUnit | undefined {
  return units.find((u) => u.code === code);
}
