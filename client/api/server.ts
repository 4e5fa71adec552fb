import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { recordDeliveryReport } from '../../activities/sms-delivery';
import type { Config } from '../../schemas/config';
import { SmsPayloadError } from '../../schemas/sms-gateway';
import { callList, registerCall } from '../use-cases/call-lists';
import { CaseActionError } from '../use-cases/case-actions';
import { flowCounters } from '../use-cases/counters';
import { healthChecks } from '../use-cases/health';
import { reportAt, ReportError } from '../use-cases/reports';
import { schoolYearSchema } from '../../schemas/cohort-policy';
import { assignInboundSms, InboxError, listInbox, receiveInboundSms } from '../use-cases/sms-replies';
import { caseIdSchema, CASE_ID_RULE } from '../../schemas/case-id';
import { callRegistrationSchema, requestProblems, smsAssignmentSchema } from '../../schemas/requests';
import { findUnit } from '../../schemas/units';
import { PHONE_CAMPAIGNS } from '../../schemas/calendar';

const callListQuery = z.object({
  schoolYear: schoolYearSchema,
  unit: z.string().min(1, 'unit is required'),
  staff: z.string().min(1).optional(),
  campaign: z.enum(PHONE_CAMPAIGNS).optional(),
  all: z.enum(['true', 'false']).optional(),
});

const reportQuery = z.object({ asOf: z.string().min(1, 'asOf is required: a date such as 2026-11-15, or a date and time') });

const reasons = requestProblems;

const CASE_STATUS: Record<CaseActionError['kind'], number> = { notFound: 404, closed: 409, refused: 422 };
const INBOX_STATUS: Record<InboxError['kind'], number> = { notFound: 404, conflict: 409, refused: 422 };

/** The HTTP API for caseworkers, the console and the SMS gateway's callbacks. */
export function buildApi(deps: { config: Config; pool: Pool; client: () => Promise<Client> }): FastifyInstance {
  const app = Fastify({ logger: { level: process.env.OT_LOG_LEVEL ?? 'info' } });

  // A reason for every 4xx; never a stack trace or a message that may quote personal data for a 5xx.
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    if (err instanceof SmsPayloadError) return reply.code(400).send({ error: err.message });
    if (err instanceof InboxError) return reply.code(INBOX_STATUS[err.kind]).send({ error: err.message });
    if (err instanceof CaseActionError) return reply.code(CASE_STATUS[err.kind]).send({ error: err.message });
    if (err instanceof ReportError) return reply.code(err.kind === 'badMoment' ? 400 : 422).send({ error: err.message });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    req.log.error({ err: err.name }, 'request failed');
    return reply.code(500).send({ error: 'internal error: the request was not completed; try again' });
  });

  /** The gateway proves itself with the shared secret, when one is configured. */
  const fromGateway = async (req: FastifyRequest, reply: FastifyReply) => {
    const secret = deps.config.sms.callbackSecret;
    if (!secret) return;
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${secret}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send({ error: 'the SMS callback secret is missing or wrong' });
    }
  };

  app.get('/health', async (_req, reply) => {
    const checks = await healthChecks(deps);
    const ok = checks.every((c) => c.ok);
    return reply.code(ok ? 200 : 503).send({ ok, checks });
  });

  app.post('/sms/inbound', { preHandler: fromGateway }, async (req) => {
    const entry = await receiveInboundSms(deps, req.body);
    return { inboundId: entry.inboundId, status: entry.status, caseId: entry.caseId };
  });

  app.post('/sms/delivery-report', { preHandler: fromGateway }, async (req) => recordDeliveryReport(deps.pool, req.body));

  app.get('/sms/inbox', async (req) => {
    const all = (req.query as { all?: string }).all === 'true';
    return { entries: await listInbox(deps.pool, { all }) };
  });

  app.post('/sms/inbox/:inboundId/assign', async (req, reply) => {
    const body = smsAssignmentSchema.safeParse(req.body ?? {});
    if (!body.success) return reply.code(400).send({ error: reasons(body.error) });
    const { inboundId } = req.params as { inboundId: string };
    return assignInboundSms(deps, inboundId, body.data.caseId, body.data.by);
  });

  app.get('/calls', async (req, reply) => {
    const q = callListQuery.safeParse(req.query ?? {});
    if (!q.success) return reply.code(400).send({ error: reasons(q.error) });
    if (!findUnit(deps.config.units, q.data.unit)) return reply.code(404).send({ error: `unit ${q.data.unit} is not a configured OT unit` });
    return callList(deps.pool, { ...q.data, all: q.data.all === 'true' });
  });

  app.post('/calls/:caseId', async (req, reply) => {
    const { caseId } = req.params as { caseId: string };
    if (!caseIdSchema.safeParse(caseId).success) return reply.code(400).send({ error: `caseId: ${CASE_ID_RULE}` });
    const body = callRegistrationSchema.safeParse(req.body ?? {});
    if (!body.success) return reply.code(400).send({ error: reasons(body.error) });
    return registerCall(deps.pool, await deps.client(), caseId, body.data);
  });

  app.get('/reports/:schoolYear', async (req, reply) => {
    const year = schoolYearSchema.safeParse((req.params as { schoolYear: string }).schoolYear);
    const q = reportQuery.safeParse(req.query ?? {});
    if (!year.success) return reply.code(400).send({ error: 'the school year is the year it starts, such as 2026' });
    if (!q.success) return reply.code(400).send({ error: reasons(q.error) });
    return reportAt(deps.pool, year.data, q.data.asOf, deps.config.units);
  });

  app.get('/counters/:schoolYear', async (req, reply) => {
    const year = schoolYearSchema.safeParse((req.params as { schoolYear: string }).schoolYear);
    if (!year.success) return reply.code(400).send({ error: 'the school year is the year it starts, such as 2026' });
    return flowCounters(
      deps.pool,
      year.data,
      deps.config.units.map((u) => u.code),
    );
  });

  return app;
}
