import { z } from 'zod';
import { mobileSchema } from './mobile';
import { nationalIdSchema } from './national-id';
import { OS_CODES, otStatusSchema } from './ot-codes';

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
const requiredText = (column: string) =>
  z
    .string({ message: `${column} is missing` })
    .trim()
    .min(1, `${column} is missing`);
const postnummer = (column: string) => optionalText.refine((s) => s === undefined || /^\d{4}$/.test(s), { message: `${column} must be 4 digits` });

export const postalAddressSchema = z.object({
  street: z.string(),
  postcode: z.string().regex(/^\d{4}$/),
  city: z.string(),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

export const guardianSchema = z.object({
  name: z.string(),
  address: postalAddressSchema.optional(),
});
export type Guardian = z.infer<typeof guardianSchema>;

/** One row as read from the file, before the rules that need other rows or configuration. */
export const vigoRowSchema = z.object({
  fodselsnummer: requiredText('fodselsnummer').pipe(nationalIdSchema),
  fornavn: requiredText('fornavn'),
  etternavn: requiredText('etternavn'),
  adresse: optionalText,
  postnummer: postnummer('postnummer'),
  poststad: optionalText,
  adresse2: optionalText,
  postnummer2: postnummer('postnummer2'),
  poststad2: optionalText,
  mobil: optionalText.pipe(mobileSchema.optional()),
  epost: optionalText,
  ot_eining: requiredText('ot_eining'),
  os_kode: requiredText('os_kode')
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(OS_CODES, { message: `os_kode must be one of ${OS_CODES.join(', ')}` })),
  saksbehandlar: optionalText,
  ot_status: optionalText.pipe(otStatusSchema.optional()),
  foresatt1_namn: optionalText,
  foresatt1_adresse: optionalText,
  foresatt1_postnummer: postnummer('foresatt1_postnummer'),
  foresatt1_poststad: optionalText,
  foresatt2_namn: optionalText,
  foresatt2_adresse: optionalText,
  foresatt2_postnummer: postnummer('foresatt2_postnummer'),
  foresatt2_poststad: optionalText,
});
export type VigoRow = z.infer<typeof vigoRowSchema>;

/** A row of a transfer file that was not imported: its line and why, never its content. */
export interface RejectedRow {
  line: number;
  reason: string;
}
