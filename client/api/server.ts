import Fastify, { type FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../../schemas/config';
import { healthChecks } from '../health';

/** The HTTP API for caseworkers and the console. Health only, for now. */
export function buildApi(deps: { config: Config; pool: Pool; client: () => Promise<Client> }): FastifyInstance {
  const app = Fastify({ logger: { level: process.env.OT_LOG_LEVEL ?? 'info' } });

  app.get('/health', async (_req, reply) => {
    const checks = await healthChecks(deps);
    const ok = checks.every((c) => c.ok);
    return reply.code(ok ? 200 : 503).send({ ok, checks });
  });

  return app;
}
