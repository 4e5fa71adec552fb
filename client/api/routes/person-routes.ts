import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { apiErrorSchema } from '../../../schemas/api/errors';
import { personExportAnswerSchema } from '../../../schemas/api/persons';
import { nationalIdSchema } from '../../../schemas/national-id';
import { exportedCaseIds, exportListName, exportPdf, exportPerson } from '../../use-cases/person-export';
import { audited } from '../access';

/** The national id only ever in the body: a URL ends up in logs and browser histories. */
const exportBody = z.object({ nationalId: nationalIdSchema }).strict();
const exportQuery = z.object({ format: z.enum(['json', 'pdf']).optional() }).strict();

/** The youth's rights: the access export of one person (GDPR Art. 15), for operators. */
export function personRoutes(deps: { pool: Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/persons/export',
      {
        schema: {
          body: exportBody,
          querystring: exportQuery,
          response: { 200: personExportAnswerSchema, 404: apiErrorSchema },
          tags: ['persons'],
          summary:
            'everything held about one person, every school year (an access request): JSON, or the PDF in Nynorsk with ?format=pdf or Accept: application/pdf',
        },
        config: { access: { action: 'person.export' } },
      },
      async (req, reply) => {
        const exported = await exportPerson(deps.pool, req.body.nationalId, req.principal!);
        if (!exported) return reply.code(404).send({ error: 'no person with that national id in any school year' });
        audited(req, exportedCaseIds(exported), exportListName(exported));
        const pdf = req.query.format === 'pdf' || (req.query.format === undefined && /application\/pdf/.test(req.headers.accept ?? ''));
        void reply.header('cache-control', 'no-store');
        if (!pdf) return exported;
        // The file name names the export, never the person. Fastify sends a Buffer as it is, past the JSON
        // answer's serializer, which the route's types do not know.
        const file = await exportPdf(exported);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="innsyn-${exported.exportId}.pdf"`)
          .send(file as never);
      },
    );
  };
}
