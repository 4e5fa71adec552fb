import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { schoolYearSchema } from '../../../schemas/cohort-policy';
import type { Config } from '../../../schemas/config';
import { importStatus, submitImport } from '../../use-cases/cohort-import';

type Deps = { config: Config; pool: Pool; client: () => Promise<Client> };

const importQuery = z
  .object({
    schoolYear: schoolYearSchema,
    fileName: z.string().trim().min(1).max(200).default('upload.csv'),
    strict: z.enum(['true', 'false']).default('false'),
  })
  .strict();

/** The operators' mass steps: the yearly import (upload, then its progress and result). */
export function operatorRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    // A transfer file is CSV text; it goes into PostgreSQL as it came, never into a log or a Temporal payload.
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    app.post(
      '/imports',
      {
        schema: {
          querystring: importQuery,
          body: z.string().min(1, 'the body is the transfer file (text/csv)'),
          tags: ['imports'],
          summary: 'upload a VIGO transfer file (text/csv) and start its import',
        },
        config: { access: { action: 'cohort.import' } },
        bodyLimit: 64 * 1024 * 1024,
      },
      async (req, reply) => {
        const importId = randomUUID();
        await submitImport(
          { pool: deps.pool, client: await deps.client(), config: deps.config },
          { fileName: req.query.fileName, content: req.body, schoolYear: req.query.schoolYear, strict: req.query.strict === 'true' },
          importId,
        );
        return reply.code(202).send({ importId, status: `/imports/${req.query.schoolYear}/${importId}` });
      },
    );

    app.get(
      '/imports/:schoolYear/:importId',
      {
        schema: {
          params: z.object({ schoolYear: schoolYearSchema, importId: z.uuid() }),
          tags: ['imports'],
          summary: "an import's progress, then its summary (rows by line number, never by name)",
        },
        config: { access: { action: 'cohort.import' } },
      },
      async (req, reply) => {
        const status = await importStatus(await deps.client(), req.params.schoolYear, req.params.importId);
        if (status.state === 'unknown')
          return reply.code(404).send({ error: `no import ${req.params.importId} in school year ${req.params.schoolYear}` });
        return status;
      },
    );
  };
}
