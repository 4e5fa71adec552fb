import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { schoolYearSchema } from '../../../schemas/cohort-policy';
import type { Config } from '../../../schemas/config';
import { importStatus, submitImport } from '../../use-cases/cohort-import';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CrosscheckFileError, readCrosscheckList } from '../../../domain/crosscheck-list';
import { isCampaignMoment } from '../../../schemas/calendar';
import { CROSSCHECK_LISTS } from '../../../schemas/crosscheck';
import { OS_CODES } from '../../../schemas/ot-codes';
import { findUnit } from '../../../schemas/units';
import { instantOf } from '../../../workflows/calendar';
import { runCrosscheck } from '../../use-cases/crosscheck';
import { defaultLetterFolder, LetterBatchError, printLetterBatch } from '../../use-cases/letter-batches';
import { admissionsOffice, heldLetters, letterOverview } from '../../use-cases/letter-overview';
import { confirmMailing, confirmSmsSent } from '../../use-cases/mailings';
import { visibleUnits } from '../../../domain/access-policy';
import { exportSmsAgain, exportSmsOutbox, noMobileList, runSmsCampaign, SmsExportError } from '../../use-cases/sms-campaign';
import { audited } from '../access';
import { caseOfMessageKey } from '../../../workflows/contracts/sms-campaign';
import { apiErrorSchema } from '../../../schemas/api/errors';
import {
  admissionsOfficeSchema,
  crosscheckReportSchema,
  heldLettersSchema,
  importStartedSchema,
  importStatusSchema,
  letterOverviewSchema,
  mailingResultSchema,
  printedBatchSchema,
  smsCampaignAnswerSchema,
} from '../../../schemas/api/operator';

type Deps = { config: Config; pool: Pool; client: () => Promise<Client> };

const importQuery = z
  .object({
    schoolYear: schoolYearSchema,
    fileName: z.string().trim().min(1).max(200).default('upload.csv'),
    strict: z.enum(['true', 'false']).default('false'),
  })
  .strict();

const unitYear = { schoolYear: schoolYearSchema, unit: z.string().min(1).max(20) };
/** The day (or moment) a mailing went: never in the future, as the CLI's --sent-on. */
const sentOn = z
  .string()
  .trim()
  .refine(isCampaignMoment, 'sentOn: a date such as 2026-09-10, or a date and time such as 2026-09-10T08:00')
  .refine((v) => !isCampaignMoment(v) || instantOf(v) <= Date.now(), 'sentOn: is in the future: confirm a mailing once it has gone');
/** A file of a unit's letter batch or list, as the batch's answer names it: no folder, no way out of it. */
const fileName = z.string().regex(/^[A-Za-z0-9æøåÆØÅ._-]{1,200}\.(pdf|csv|xlsx)$/, 'fileName: a file name the batch gave');
const CONTENT_TYPES = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The operators' and office staff's mass steps: the import, letter batches and their files, the SMS campaign, cross-checks. */
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
          response: { 202: importStartedSchema },
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
          response: { 200: importStatusSchema, 404: apiErrorSchema },
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

    app.post(
      '/letters/batches',
      {
        schema: {
          body: z.object({ ...unitYear, osCode: z.enum(OS_CODES) }).strict(),
          response: { 200: printedBatchSchema, 404: apiErrorSchema, 422: apiErrorSchema },
          tags: ['letters'],
          summary: "print the unit's next batch for an OS code: the PDF and its lists",
        },
        config: { access: { action: 'letters.print', unit: 'body' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.body.unit)) return reply.code(404).send({ error: `no unit ${req.body.unit}` });
        let batch;
        try {
          batch = await printLetterBatch({ pool: deps.pool, config: deps.config }, { ...req.body, by: req.principal!.displayName });
        } catch (err) {
          if (err instanceof LetterBatchError) return reply.code(422).send({ error: err.message });
          throw err;
        }
        if (!batch)
          return reply
            .code(422)
            .send({ error: `unit ${req.body.unit}, ${req.body.osCode}: no letter to print (none due that is not printed already)` });
        // The files by name: each is fetched from /letters/:schoolYear/:unit/files/:fileName.
        const f = batch.files;
        const names = [f.pdf, f.list.csv, f.list.xlsx, f.held?.csv, f.held?.xlsx, f.admissionsOffice.csv, f.admissionsOffice.xlsx]
          .filter((x): x is string => Boolean(x))
          .map((x) => path.basename(x));
        audited(req, [], `letters:${req.body.schoolYear}:${req.body.unit}:${req.body.osCode}:${batch.number}`);
        const { files: _paths, ...summary } = batch;
        return { ...summary, pages: f.pages, files: names.map((n) => `/letters/${req.body.schoolYear}/${req.body.unit}/files/${n}`) };
      },
    );

    app.get(
      '/letters/:schoolYear/:unit/files/:fileName',
      {
        schema: {
          params: z.object({ ...unitYear, fileName }),
          tags: ['letters'],
          summary: 'a printed batch file: the PDF to print, its list, held letters, the admissions office list',
        },
        config: { access: { action: 'letters.print', unit: 'params' } },
      },
      async (req, reply) => {
        const folder = defaultLetterFolder(deps.config, req.params.schoolYear, req.params.unit);
        const file = await readFile(path.join(folder, req.params.fileName)).catch(() => undefined);
        if (!file) return reply.code(404).send({ error: `no file ${req.params.fileName}` });
        audited(req, [], `letters-file:${req.params.schoolYear}:${req.params.unit}:${req.params.fileName}`);
        const ext = req.params.fileName.split('.').pop() as keyof typeof CONTENT_TYPES;
        return reply.type(CONTENT_TYPES[ext]).header('content-disposition', `attachment; filename="${req.params.fileName}"`).send(file);
      },
    );

    app.get(
      '/letters/:schoolYear',
      {
        schema: {
          params: z.object({ schoolYear: schoolYearSchema }),
          querystring: z.object({ unit: z.string().min(1).max(20).optional() }).strict(),
          response: { 200: letterOverviewSchema, 404: apiErrorSchema },
          tags: ['letters'],
          summary:
            "where each unit's letters stand: per OS code what is due and what waits for confirmation, the batches and their files, the mailings' progress",
        },
        config: { access: { action: 'letters.print', unit: 'query' } },
      },
      async (req, reply) => {
        if (req.query.unit && !findUnit(deps.config.units, req.query.unit)) return reply.code(404).send({ error: `no unit ${req.query.unit}` });
        const visible = visibleUnits(req.principal!);
        const units = deps.config.units
          .map((u) => u.code)
          .filter((u) => (!visible || visible.includes(u)) && (!req.query.unit || u === req.query.unit));
        audited(req, [], `letters-overview:${req.params.schoolYear}${req.query.unit ? `:${req.query.unit}` : ''}`);
        return { schoolYear: req.params.schoolYear, units: await letterOverview(deps, req.params.schoolYear, units) };
      },
    );

    app.get(
      '/letters/:schoolYear/:unit/held',
      {
        schema: {
          params: z.object(unitYear),
          response: { 200: heldLettersSchema, 404: apiErrorSchema },
          tags: ['letters'],
          summary: "the unit's letters held back (no name or no whole address) that no batch has printed since",
        },
        config: { access: { action: 'letters.print', unit: 'params' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.params.unit)) return reply.code(404).send({ error: `no unit ${req.params.unit}` });
        const held = await heldLetters(deps.pool, req.params);
        audited(
          req,
          held.map((h) => h.caseId),
          `letters-held:${req.params.schoolYear}:${req.params.unit}`,
        );
        return { held };
      },
    );

    app.get(
      '/letters/:schoolYear/:unit/admissions-office',
      {
        schema: {
          params: z.object(unitYear),
          response: { 200: admissionsOfficeSchema, 404: apiErrorSchema },
          tags: ['letters'],
          summary: "the admissions office's list of the unit: youth with no address left to send their letter to (by name and birth date)",
        },
        config: { access: { action: 'letters.print', unit: 'params' } },
      },
      async (req, reply) => {
        if (!findUnit(deps.config.units, req.params.unit)) return reply.code(404).send({ error: `no unit ${req.params.unit}` });
        const entries = await admissionsOffice(deps.pool, req.params);
        audited(
          req,
          entries.map((e) => e.caseId),
          `letters-admissions-office:${req.params.schoolYear}:${req.params.unit}`,
        );
        return { entries };
      },
    );

    const mailing =
      (kind: 'letters') =>
      async (req: {
        body: { schoolYear: number; unit: string; osCode?: string; sentOn: string };
        principal?: { displayName: string; userId: string };
      }) =>
        confirmMailing(
          { client: await deps.client(), config: deps.config },
          { kind, ...req.body, by: req.principal!.displayName, byUserId: req.principal!.userId },
        );
    app.post(
      '/letters/confirm',
      {
        schema: {
          body: z.object({ ...unitYear, osCode: z.enum(OS_CODES), sentOn }).strict(),
          response: { 200: mailingResultSchema },
          tags: ['letters'],
          summary: "the unit's printed letters have gone: their cases are recoded to OTUK",
        },
        config: { access: { action: 'letters.confirm', unit: 'body' } },
      },
      mailing('letters'),
    );
    app.post(
      '/sms/confirm',
      {
        schema: {
          body: z.object({ ...unitYear, sentOn }).strict(),
          response: { 200: mailingResultSchema.extend({ second: mailingResultSchema.optional() }) },
          tags: ['sms'],
          summary: "the unit's exported SMS have gone: their cases are registered as SMS sent (the second round's as second SMS sent)",
        },
        config: { access: { action: 'sms.confirm', unit: 'body' } },
      },
      async (req) =>
        confirmSmsSent(
          { client: await deps.client(), config: deps.config },
          { ...req.body, by: req.principal!.displayName, byUserId: req.principal!.userId },
        ),
    );

    app.post(
      '/sms/campaign',
      {
        schema: {
          body: z.object(unitYear).strict(),
          response: { 200: smsCampaignAnswerSchema },
          tags: ['sms'],
          summary: "send the unit's SMS now; none is sent twice",
        },
        config: { access: { action: 'sms.campaign', unit: 'body' } },
      },
      async (req) => {
        const result = await runSmsCampaign(
          { pool: deps.pool, client: await deps.client(), config: deps.config },
          { ...req.body, by: req.principal!.displayName },
        );
        const noMobile = await noMobileList(deps.pool, req.body);
        audited(
          req,
          noMobile.map((n) => n.caseId),
          `sms-no-mobile:${req.body.schoolYear}:${req.body.unit}`,
        );
        return { ...result, noMobileCases: noMobile };
      },
    );

    app.post(
      '/sms/export',
      {
        schema: {
          body: z
            .object({
              ...unitYear,
              // Written again: a lost export's messages not yet confirmed sent (its id is the Export-Id of the first answer).
              again: z
                .string()
                .regex(/^[0-9a-f]{12}$/, 'an export id is 12 hexadecimal characters')
                .optional(),
            })
            .strict(),
          tags: ['sms'],
          summary:
            "the unit's outbox as the CSV a bulk SMS tool reads; each message once (its Export-Id in a header). Send an Idempotency-Key: a retry gets the same file. `again`: a lost export once more, without what was confirmed sent",
        },
        // The file is the answer: a client that lost it gets it again only by retrying with the same key.
        config: { access: { action: 'sms.export', unit: 'body' }, idempotency: 'required' },
      },
      async (req, reply) => {
        let text = '';
        const keep = (csv: string) => {
          text = csv;
          return Promise.resolve();
        };
        const q = { schoolYear: req.body.schoolYear, unit: req.body.unit };
        const who = { by: req.principal!.displayName, byUserId: req.principal!.userId };
        let done: { messageKeys: string[]; exportId: string };
        try {
          done = req.body.again
            ? await exportSmsAgain(deps.pool, { ...q, exportId: req.body.again, by: who.by }, keep)
            : await exportSmsOutbox(deps.pool, { ...q, ...who }, keep);
        } catch (err) {
          if (err instanceof SmsExportError) return reply.code(422).send({ error: err.message });
          throw err;
        }
        if (done.messageKeys.length === 0)
          return reply.code(422).send({ error: `unit ${req.body.unit}: the outbox holds no message that is not exported already` });
        audited(req, done.messageKeys.map(caseOfMessageKey), `sms-export:${req.body.schoolYear}:${req.body.unit}:${done.exportId}`);
        return reply.header('export-id', done.exportId).type('text/csv; charset=utf-8').send(text);
      },
    );

    app.post(
      '/crosschecks',
      {
        schema: {
          querystring: z.object({ schoolYear: schoolYearSchema, list: z.enum(CROSSCHECK_LISTS) }).strict(),
          body: z.string().min(1, 'the body is the list (text/csv): a fodselsnummer column, or one number per line'),
          response: { 200: crosscheckReportSchema, 400: apiErrorSchema },
          tags: ['cross-checks'],
          summary: "match an admissions-office list county-wide; matches still open leave the target group with the list's code",
        },
        config: { access: { action: 'crosscheck.run' } },
      },
      async (req, reply) => {
        let entries;
        try {
          entries = readCrosscheckList(req.body);
        } catch (err) {
          if (err instanceof CrosscheckFileError) return reply.code(400).send({ error: err.message });
          throw err;
        }
        const report = await runCrosscheck(
          { pool: deps.pool, client: await deps.client(), config: deps.config },
          req.query.schoolYear,
          req.query.list,
          entries,
          req.principal!.displayName,
          req.principal!.userId,
        );
        audited(
          req,
          [...report.recoded, ...report.unchanged].map((m) => m.caseId),
          `crosscheck:${req.query.schoolYear}:${req.query.list}`,
        );
        return report;
      },
    );
  };
}
