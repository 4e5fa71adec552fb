import { personExportSchema } from '../person-export';

/** POST /persons/export (client/api/routes/person-routes.ts): the access export itself, as `ot person export` writes it. */
export const personExportAnswerSchema = personExportSchema;
