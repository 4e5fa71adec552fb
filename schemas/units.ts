import { z } from 'zod';

export const unitSchema = z.object({
  code: z.string().regex(/^\d{3,6}$/, 'a unit code is 3 to 6 digits'),
  name: z.string().min(1),
});
export type OtUnit = z.infer<typeof unitSchema>;

export const unitsSchema = z
  .array(unitSchema)
  .min(1)
  .refine((units) => new Set(units.map((u) => u.code)).size === units.length, { message: 'unit codes must be unique' });

/** The ten units of the seeds (Hordaland); another county configures its own with OT_UNITS_FILE. */
export const DEFAULT_UNITS: OtUnit[] = [
  { code: '12250', name: 'Bergen Sentrum' },
  { code: '12256', name: 'Bergen Sør' },
  { code: '12260', name: 'Bergen Vest' },
  { code: '12261', name: 'Askøy, Fjell, Sund, Øygarden' },
  { code: '12265', name: 'Bergen Nord/Aust' },
  { code: '12266', name: 'Nordhordland/Bergen Aust' },
  { code: '12270', name: 'Sunnhordland' },
  { code: '12275', name: 'Voss' },
  { code: '12276', name: 'Ytre Hardanger' },
  { code: '12280', name: 'Indre Hardanger' },
];
