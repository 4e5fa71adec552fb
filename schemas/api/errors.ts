import { z } from 'zod';

/** A refusal or failure as the API answers it: one line, naming the field where it concerns one ("field: reason; ..."). */
export const apiErrorSchema = z.object({ error: z.string() });
export type ApiErrorAnswer = z.infer<typeof apiErrorSchema>;
