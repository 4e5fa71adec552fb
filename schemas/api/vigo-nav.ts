import { z } from 'zod';

/**
 * The answers of the return to VIGO and the NAV meeting (client/api/routes/vigo-nav-routes.ts). No national id: it goes only
 * into the file sent back to VIGO. The lists' files (CSV, XLSX) are not JSON and have no schema here.
 */

/** One case to send back to VIGO, or sent back (`returned`: when, and who ran it). */
export const vigoReturnEntrySchema = z.object({
  caseId: z.string(),
  unit: z.string(),
  name: z.string(),
  birthDate: z.string().optional(),
  fictitiousId: z.boolean(),
  osCode: z.string(),
  otStatus: z.string(),
  stage: z.string(),
  returned: z.object({ at: z.string(), by: z.string().optional() }).optional(),
});
export type VigoReturnEntryView = z.infer<typeof vigoReturnEntrySchema>;

/** GET /vigo-returns/:schoolYear */
export const vigoReturnListSchema = z.object({ schoolYear: z.number(), entries: z.array(vigoReturnEntrySchema) });

/** POST /vigo-returns: what this return marked, per unit; the files are fetched by GET /vigo-returns/:schoolYear/:unit/:file. */
export const vigoReturnResultSchema = z.object({
  schoolYear: z.number(),
  units: z.array(z.object({ unit: z.string(), returned: z.array(vigoReturnEntrySchema), feil: z.number() })),
  alreadyReturned: z.number(),
  closed: z.array(vigoReturnEntrySchema),
});

/** POST /nav/imports: the NAV meeting's file, row by row. Line numbers, case ids and reasons only, never a name. */
export const navImportSummarySchema = z.object({
  schoolYear: z.number(),
  rows: z.number(),
  applied: z.array(z.object({ line: z.number(), caseId: z.string(), changes: z.array(z.string()) })),
  unchanged: z.array(z.number()),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
  warnings: z.array(z.string()),
  refused: z.boolean(),
});
export type NavImportSummaryView = z.infer<typeof navImportSummarySchema>;
