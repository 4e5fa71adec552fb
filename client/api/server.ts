import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySession from '@fastify/session';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { timingSafeEqual } from 'node:crypto';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../../schemas/config';
import { SmsPayloadError } from '../../schemas/sms-gateway';
import { CaseActionError } from '../use-cases/case-actions';
import { healthChecks } from '../use-cases/health';
import { ReportError } from '../use-cases/reports';
import { InboxError } from '../use-cases/sms-replies';
import { oidcPrincipal, UserError } from '../use-cases/users';
import { registerAccess } from './access';
import { registerConsole } from './console-files';
import { registerIdempotency } from './idempotency';
import { PgSessionStore } from './session-store';
import { adminRoutes } from './routes/admin-routes';
import { authRoutes, startSession } from './routes/auth-routes';
import { registerOidcSignIn } from './oidc-sign-in';
import { campaignRoutes } from './routes/campaign-routes';
import { operatorRoutes } from './routes/operator-routes';
import { caseRoutes } from './routes/case-routes';
import { followUpRoutes } from './routes/follow-up-routes';
import { codecRoutes } from './routes/codec-routes';
import { personRoutes } from './routes/person-routes';
import { vigoNavRoutes } from './routes/vigo-nav-routes';
import { showCase } from '../use-cases/case-queries';
import { apiRequestSeconds } from '../../runtime/metrics';
import { createLogger } from '../../runtime/log';
import { registerTracing } from './tracing';

const CASE_STATUS: Record<CaseActionError['kind'], number> = { notFound: 404, closed: 409, refused: 422, changed: 409, busy: 503 };
const INBOX_STATUS: Record<InboxError['kind'], number> = { notFound: 404, conflict: 409, refused: 422 };
const USER_STATUS: Record<UserError['kind'], number> = { invalid: 400, notFound: 404, conflict: 409 };

export type ApiDeps = { config: Config; pool: Pool; client: () => Promise<Client> };

/** The reasons zod gave for a request, each naming its field, as one line. */
function validationReasons(err: {
  validation: { instancePath?: string; message?: string; params?: { issue?: { path?: PropertyKey[] } } }[];
  validationContext?: string;
}): string {
  return err.validation
    .map((v) => {
      const path = v.params?.issue?.path?.join('.') || v.instancePath?.replace(/^\//, '').replace(/\//g, '.');
      const where = path ? `${path}` : (err.validationContext ?? 'body');
      const message = v.message ?? 'invalid';
      // A limit's message names its field already (schemas/limits.ts).
      return message.startsWith(`${where}:`) ? message : `${where}: ${message}`;
    })
    .join('; ');
}

/**
 * The HTTP API: every case action, list and figure the console and scripts need, behind sign-in (a session
 * cookie or an API token), the access policy and the audit. Only /health, sign-in and /docs answer without.
 */
export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const { access } = deps.config;
  // Our logger (pretty on a terminal, JSON otherwise), typed as Fastify's base logger, which its route types expect.
  const log: FastifyBaseLogger = createLogger({ redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'] });
  const app = Fastify({
    loggerInstance: log,
    // Behind the production reverse proxy the client's address and https come from it.
    trustProxy: access.production,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  await registerTracing(app, deps.config); // first: its plugin wraps every route and hook defined after it
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Answer times for /metrics by the route's pattern (`/cases/:caseId`), never its URL, which holds case ids.
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    apiRequestSeconds.observe({ route, method: req.method, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  // A reason for every 4xx; never a stack trace or a message that may quote personal data for a 5xx.
  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) return reply.code(400).send({ error: validationReasons(err) });
    if (err instanceof SmsPayloadError) return reply.code(400).send({ error: err.message });
    if (err instanceof InboxError) return reply.code(INBOX_STATUS[err.kind]).send({ error: err.message });
    if (err instanceof UserError) return reply.code(USER_STATUS[err.kind]).send({ error: err.message });
    if (err instanceof CaseActionError) {
      // Someone else changed the case since the caller saw it: the answer carries the case as it is now.
      const now = err.kind === 'changed' ? await caseNow(deps, req) : undefined;
      return reply.code(CASE_STATUS[err.kind]).send({ error: err.message, ...(now ? { case: now } : {}) });
    }
    if (err instanceof ReportError) return reply.code(err.kind === 'badMoment' ? 400 : 422).send({ error: err.message });
    if (err.statusCode && err.statusCode < 500) {
      // Fastify's own messages (malformed JSON, a body too large) name no personal data.
      return reply.code(err.statusCode).send({ error: err.statusCode === 429 ? 'too many requests: wait a minute' : err.message });
    }
    req.log.error({ err: err.name }, 'request failed');
    return reply.code(500).send({ error: 'internal error: the request was not completed; try again' });
  });

  // The Host check: a request naming a host we do not serve is refused (DNS rebinding, misrouted proxies).
  app.addHook('onRequest', async (req, reply) => {
    const host = req.hostname.toLowerCase();
    if (!access.allowedHosts.includes(host)) return reply.code(421).send({ error: `this API does not answer for host ${host}` });
  });

  await app.register(fastifyHelmet, {
    global: true,
    // Helmet's CSP asks browsers to fetch everything over https; a local stack on plain http (not loopback) would
    // then load no script of the console. In production TLS is in front, and the upgrade stays.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: access.production ? [] : null } },
  });
  // The secret signs the OpenID Connect sign-in's short-lived state cookie; the session signs its own.
  await app.register(fastifyCookie, { secret: access.sessionSecret });
  await app.register(fastifySession, {
    secret: access.sessionSecret,
    cookieName: 'ot_session',
    saveUninitialized: false,
    // Secure in production (behind TLS); a local stack on http://localhost keeps SameSite=Strict without it.
    cookie: { path: '/', httpOnly: true, sameSite: 'strict', secure: access.production, maxAge: access.sessionIdleMinutes * 60_000 },
    store: new PgSessionStore(deps.pool, { idleMs: access.sessionIdleMinutes * 60_000, maxMs: access.sessionMaxHours * 3_600_000 }),
  });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session' });
  registerAccess(app, { pool: deps.pool, limits: { idleMs: access.sessionIdleMinutes * 60_000, maxMs: access.sessionMaxHours * 3_600_000 } });
  app.addHook('onRequest', gatewayBySecret(deps.config));
  // After authentication: a retried write with the same Idempotency-Key gets the first answer (kept 24 h).
  registerIdempotency(app, {
    pool: deps.pool,
    principal: (req) => (req.principal ? `user:${req.principal.userId}:${req.principal.tokenId ?? 'session'}` : undefined),
  });
  // Per user when signed in, else per address; run after authentication so a signed-in user has their own budget.
  await app.register(fastifyRateLimit, {
    hook: 'preHandler',
    max: 600,
    timeWindow: '1 minute',
    keyGenerator: (req: FastifyRequest) => (req.principal ? `user:${req.principal.userId}` : `ip:${req.ip}`),
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'OT campaign API',
        version: '1',
        description: 'Sign in (session cookie + x-csrf-token for writes) or send an API token as Bearer.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ot_session' }, token: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRoute', (route) => {
    // swagger-ui's routes and the OpenID Connect redirects are public: one holds no data, the other is how one signs in.
    if (route.url.startsWith('/docs') || route.url.startsWith('/auth/oidc/'))
      route.config = { ...(route.config as object), access: { public: true } };
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // swagger-ui's own policy, not helmet's: its React sets style attributes, which need 'unsafe-inline' for styles
    // (scripts stay 'self' only); no validator badge from validator.swagger.io, and no upgrade to https on plain http.
    staticCSP: {
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'font-src': ["'self'", 'data:'],
      'frame-ancestors': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      ...(access.production ? { 'upgrade-insecure-requests': [] } : {}),
    },
    uiConfig: { docExpansion: 'list', validatorUrl: null },
  });

  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'ok or not; the checks only for operators' }, config: { access: { public: true } } },
    async (req, reply) => {
      const checks = await healthChecks(deps);
      const ok = checks.every((c) => c.ok);
      return reply.code(ok ? 200 : 503).send(req.principal?.role === 'operator' ? { ok, checks } : { ok });
    },
  );

  await app.register(authRoutes({ pool: deps.pool, oidc: Boolean(deps.config.oidc) }));
  registerConsole(app, { dir: deps.config.consoleDir });
  const oidc = deps.config.oidc;
  if (oidc) {
    registerOidcSignIn(app, {
      settings: oidc,
      // The session starts here; the sign-in then sends the browser on to where it was going.
      signedIn: async (req, reply, identity) => {
        const principal = await oidcPrincipal(deps.pool, deps.config.units, identity);
        await startSession(req, reply, principal, deps.pool, 'oidc');
      },
    });
  }
  await app.register(caseRoutes(deps));
  await app.register(followUpRoutes(deps));
  await app.register(campaignRoutes(deps));
  await app.register(operatorRoutes(deps));
  await app.register(adminRoutes({ pool: deps.pool, units: deps.config.units }));
  await app.register(codecRoutes({ config: deps.config }));
  await app.register(personRoutes({ pool: deps.pool }));
  await app.register(vigoNavRoutes(deps));
  return app;
}

/**
 * The SMS gateway proves itself with its API token (role smsGateway), or with the shared callback secret:
 * a request with the right secret is let through as the gateway.
 */
function gatewayBySecret(config: Config) {
  return async (req: FastifyRequest) => {
    const secret = config.sms.callbackSecret;
    if (req.principal || (req.url !== '/sms/inbound' && req.url !== '/sms/delivery-report')) return;
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${secret ?? ''}`);
    // Without a secret (refused at startup in production), the local stack's callbacks need none.
    const bySecret = secret ? given.length === expected.length && timingSafeEqual(given, expected) : !config.access.production;
    if (bySecret) Object.assign(req, { principal: GATEWAY, via: 'token' });
  };
}

const GATEWAY = { userId: 'sms-gateway', username: 'sms-gateway', displayName: 'SMS gateway', role: 'smsGateway' as const, units: [] };

async function caseNow(deps: ApiDeps, req: FastifyRequest) {
  const caseId = (req.params as { caseId?: string }).caseId;
  return caseId ? showCase(deps.pool, await deps.client(), caseId).catch(() => undefined) : undefined;
}
