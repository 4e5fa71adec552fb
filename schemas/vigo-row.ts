import { z } from 'zod';
import { ADDRESS_LINE_MAX, EMAIL_MAX, NAME_MAX, tooLong } from './limits';
import { mobileSchema } from './mobile';
import { nationalIdSchema } from './national-id';
import { OS_CODES } from './ot-codes';
import { otStatusSchema } from './ot-code-schemas';

/** Column names of the VIGO transfer (formats/vigo-transfer.md). */
export const VIGO_COLUMNS = [
  'fodselsnummer',
  'fornavn',
  'etternavn',
  'adresse',
  'postnummer',
  'poststad',
  'adresse2',
  'postnummer2',
  'poststad2',
  'mobil',
  'epost',
  'ot_eining',
  'os_kode',
  'saksbehandlar',
  'ot_status',
  'foresatt1_namn',
  'foresatt1_adresse',
  'foresatt1_postnummer',
  'foresatt1_poststad',
  'foresatt2_namn',
  'foresatt2_adresse',
  'foresatt2_postnummer',
  'foresatt2_poststad',
] as const;
export type VigoColumn = (typeof VIGO_COLUMNS)[number];
export const REQUIRED_COLUMNS: VigoColumn[] = ['fodselsnummer', 'fornavn', 'etternavn', 'ot_eining', 'os_kode'];

/** Empty cells are absent values; everything is trimmed, as Excel pads freely. */
const optionalText = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));
/** An optional cell of a person's text, at most `max` characters once trimmed (limits.ts). */
const optionalTextOf = (column: string, max: number) =>
  optionalText.refine((s) => s === undefined || s.length <= max, { message: tooLong(column, max) });
const requiredText = (column: string, max?: number) => {
  const text = z
    .string({ message: `${column} is missing` })
    .trim()
    .min(1, `${column} is missing`);
  return max === undefined ? text : text.max(max, tooLong(column, max));
};
const postnummer = (column: string) => optionalText.refine((s) => s === undefined || /^\d{4}$/.test(s), { message: `${column} must be 4 digits` });
const name = (column: string) => optionalTextOf(column, NAME_MAX);
const addressLine = (column: string) => optionalTextOf(column, ADDRESS_LINE_MAX);

export const postalAddressSchema = z.object({
  street: z.string().max(ADDRESS_LINE_MAX, tooLong('street', ADDRESS_LINE_MAX)),
  postcode: z.string().regex(/^\d{4}$/),
  city: z.string().max(ADDRESS_LINE_MAX, tooLong('city', ADDRESS_LINE_MAX)),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

export const guardianSchema = z.object({
  name: z.string().max(NAME_MAX, tooLong('name', NAME_MAX)),
  address: postalAddressSchema.optional(),
});
export type Guardian = z.infer<typeof guardianSchema>;

/** One row as read from the file, before the rules that need other rows or configuration. */
export const vigoRowSchema = z.object({
  fodselsnummer: requiredText('fodselsnummer').pipe(nationalIdSchema),
  fornavn: requiredText('fornavn', NAME_MAX),
  etternavn: requiredText('etternavn', NAME_MAX),
  adresse: addressLine('adresse'),
  postnummer: postnummer('postnummer'),
  poststad: addressLine('poststad'),
  adresse2: addressLine('adresse2'),
  postnummer2: postnummer('postnummer2'),
  poststad2: addressLine('poststad2'),
  mobil: optionalText.pipe(mobileSchema.optional()),
  epost: optionalTextOf('epost', EMAIL_MAX),
  ot_eining: requiredText('ot_eining'),
  os_kode: requiredText('os_kode')
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(OS_CODES, { message: `os_kode must be one of ${OS_CODES.join(', ')}` })),
  // Becomes the case's Caseworker, a search attribute.
  saksbehandlar: name('saksbehandlar'),
  ot_status: optionalText.pipe(otStatusSchema.optional()),
  foresatt1_namn: name('foresatt1_namn'),
  foresatt1_adresse: addressLine('foresatt1_adresse'),
  foresatt1_postnummer: postnummer('foresatt1_postnummer'),
  foresatt1_poststad: addressLine('foresatt1_poststad'),
  foresatt2_namn: name('foresatt2_namn'),
  foresatt2_adresse: addressLine('foresatt2_adresse'),
  foresatt2_postnummer: postnummer('foresatt2_postnummer'),
  foresatt2_poststad: addressLine('foresatt2_poststad'),
});
export type VigoRow = z.infer<typeof vigoRowSchema>;

/** A row of a transfer file that was not imported: its line and why, never its content. */
export interface RejectedRow {
  line: number;
  reason: string;
}
