import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { visibleUnits } from '../../../domain/access-policy';
import { NavImportFileError } from '../../../domain/nav-meeting-file';
import { apiErrorSchema } from '../../../schemas/api/errors';
import { navImportSummarySchema, vigoReturnListSchema, vigoReturnResultSchema } from '../../../schemas/api/vigo-nav';
import { schoolYearSchema } from '../../../schemas/cohort-policy';
import type { Config } from '../../../schemas/config';
import { NAME_MAX } from '../../../schemas/limits';
import { findUnit } from '../../../schemas/units';
import { importNavMeeting, navMeetingFile } from '../../use-cases/nav-meeting';
import { entryOf, returnToVigo, vigoListFile, vigoReturnList } from '../../use-cases/vigo-returns';
import { audited } from '../access';

type Deps = { config: Config; pool: Pool; client: () => Promise<Client> };

const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
const unitSchema = z.string().min(1).max(20);
const VIGO_FILES = ['vigo.csv', 'vigo.xlsx', 'admissions-office.csv', 'admissions-office.xlsx'] as const;

/** The return to VIGO (its list, its files, the marking) and the NAV meeting (its list out, what it learned back in). */
export function vigoNavRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    // The NAV meeting's file is CSV text; it is read here and never kept, logged or put into a Temporal payload.
    app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: 8 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    app.get(
      '/vigo-returns/:schoolYear',
      {
        schema: {
          params: z.object({ schoolYear: schoolYearSchema }),
          querystring: z.object({ unit: unitSchema.optional(), all: z.enum(['true', 'false']).default('false') }).strict(),
          response: { 200: vigoReturnListSchema, 404: apiErrorSchema },
          tags: ['return to VIGO'],
          summary: 'the cases to send back to VIGO (Feil and the other codes of UDIR group 5); all=true also those sent back, with who and when',
        },
        config: { access: { action: 'vigo.read', unit: 'query' } },
      },
      async (req, reply) => {
        if (req.query.unit && !findUnit(deps.config.units, req.query.unit)) return reply.code(404).send({ error: `no unit ${req.query.unit}` });
        const rows = await vigoReturnList(deps.pool, {
          schoolYear: req.params.schoolYear,
          unit: req.query.unit,
          unitIn: visibleUnits(req.principal!),
          returned: req.query.all === 'true' ? undefined : false,
        });
        audited(
          req,
          rows.map((r) => r.caseId),
          `vigo:${req.params.schoolYear}${req.query.unit ? `:${req.query.unit}` : ''}`,
        );
        return { schoolYear: req.params.schoolYear, entries: rows.map(entryOf) };
      },
    );

    app.get(
      '/vigo-returns/:schoolYear/:unit/:file',
      {
        schema: {
          params: z.object({ schoolYear: schoolYearSchema, unit: unitSchema, file: z.enum(VIGO_FILES) }),
          querystring: z.object({ all: z.enum(['true', 'false']).default('false') }).strict(),
          tags: ['return to VIGO'],
          summary:
            "a unit's list as a file: vigo (the file sent back to VIGO, with the fødselsnummer VIGO knows the person by) or admissions-office (the Feil cases by name and birth date)",
        },
        config: { access: { action: 'vigo.read', unit: 'params' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.params.unit)) return reply.code(404).send({ error: `no unit ${req.params.unit}` });
        const [kind, format] = req.params.file.split('.') as ['vigo' | 'admissions-office', 'csv' | 'xlsx'];
        const file = await vigoListFile(deps.pool, {
          schoolYear: req.params.schoolYear,
          unit: req.params.unit,
          kind,
          format,
          returned: req.query.all === 'true' ? undefined : false,
        });
        audited(req, file.caseIds, `vigo:${req.params.schoolYear}:${req.params.unit}:${kind}`);
        return reply.type(FILE_TYPES[format]).header('content-disposition', `attachment; filename="${file.name}"`).send(file.content);
      },
    );

    app.post(
      '/vigo-returns',
      {
        schema: {
          body: z.object({ schoolYear: schoolYearSchema, unit: unitSchema }).strict(),
          response: { 200: vigoReturnResultSchema, 404: apiErrorSchema },
          tags: ['return to VIGO'],
          summary:
            "send the unit's cases back to VIGO: their files are written and exactly those cases marked returned, journalled with who and when; again, nothing more",
        },
        config: { access: { action: 'vigo.return', unit: 'body' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.body.unit)) return reply.code(404).send({ error: `no unit ${req.body.unit}` });
        const who = req.principal!;
        const result = await returnToVigo(
          { pool: deps.pool, client: await deps.client(), config: deps.config },
          { schoolYear: req.body.schoolYear, unit: req.body.unit, by: who.displayName, byUserId: who.userId },
        );
        audited(
          req,
          result.units.flatMap((u) => u.returned.map((r) => r.caseId)),
          `vigo:${req.body.schoolYear}:${req.body.unit}`,
        );
        return {
          schoolYear: result.schoolYear,
          units: result.units.map((u) => ({ unit: u.unit, returned: u.returned, feil: u.files.admissionsOffice?.entries ?? 0 })),
          alreadyReturned: result.alreadyReturned,
          closed: result.closed,
        };
      },
    );

    app.get(
      '/nav/:schoolYear/:unit/:format',
      {
        schema: {
          params: z.object({ schoolYear: schoolYearSchema, unit: unitSchema, format: z.enum(['csv', 'xlsx']) }),
          querystring: z.object({ caseworker: z.string().trim().min(1).max(NAME_MAX).optional() }).strict(),
          tags: ['NAV meeting'],
          summary:
            "the unit's youth still OTUK with their contact details, for the NAV meeting; caseworker: one counsellor's share. The same columns POST /nav/imports reads back",
        },
        config: { access: { action: 'nav.export', unit: 'params' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.params.unit)) return reply.code(404).send({ error: `no unit ${req.params.unit}` });
        const file = await navMeetingFile(deps.pool, { ...req.params, person: req.query.caseworker });
        audited(req, file.caseIds, `nav:${req.params.schoolYear}:${req.params.unit}${req.query.caseworker ? ':caseworker' : ''}`);
        return reply.type(FILE_TYPES[req.params.format]).header('content-disposition', `attachment; filename="${file.name}"`).send(file.content);
      },
    );

    app.post(
      '/nav/imports',
      {
        schema: {
          querystring: z.object({ schoolYear: schoolYearSchema, strict: z.enum(['true', 'false']).default('false') }).strict(),
          body: z.string().min(1, 'the body is the file (text/csv): saksref and a new adresse/postnummer/poststad, mobil or status'),
          response: { 200: navImportSummarySchema, 400: apiErrorSchema },
          tags: ['NAV meeting'],
          summary:
            'what the NAV meeting learned, as text/csv: each row checked on its own, rejected by line, the rest applied as from NAV (strict=true: any rejected row refuses the file)',
        },
        config: { access: { action: 'nav.import' } },
      },
      async (req, reply) => {
        const who = req.principal!;
        try {
          const summary = await importNavMeeting(
            { pool: deps.pool, client: await deps.client() },
            {
              schoolYear: req.query.schoolYear,
              text: req.body,
              strict: req.query.strict === 'true',
              unitIn: visibleUnits(who),
              by: who.displayName,
              byUserId: who.userId,
            },
          );
          audited(
            req,
            summary.applied.map((a) => a.caseId),
            `nav-import:${req.query.schoolYear}`,
          );
          return summary;
        } catch (err) {
          if (err instanceof NavImportFileError) return reply.code(400).send({ error: `file: ${err.message}` });
          throw err;
        }
      },
    );
  };
}
