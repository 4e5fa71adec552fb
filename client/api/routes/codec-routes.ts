import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Config } from '../../../schemas/config';
import { apiErrorSchema } from '../../../schemas/api/errors';
import { codecPayloadsSchema } from '../../../schemas/api/codec';
import { PayloadDecryptionError } from '../../../runtime/payload-codec';
import { decodePayloads, encodePayloads } from '../../use-cases/payload-codec';
import { audited } from '../access';

/**
 * The codec server of the Temporal UI and CLI (Temporal's codec server protocol): POST /codec/decode and
 * /codec/encode take `{ payloads: [...] }` in proto3 JSON and answer the same, decrypted or encrypted with
 * the newest key. Behind the API's sign-in, for operators and super users only (`payloads.decode`): a
 * decoded payload is a case's notes and journal, county-wide, so every request leaves an audit row (the
 * cases it named, never what it held).
 *
 * The UI calls from its own origin, so these routes answer CORS for the UI's origins (OT_TEMPORAL_UI_ORIGIN)
 * with credentials: the browser then sends the console's session cookie, which it does only when the UI is
 * of the same site as the API (http://localhost:8233 and http://localhost:8080 are: a site ignores the
 * port), as the cookie is SameSite=Strict. The UI cannot send our CSRF token, so these routes need none:
 * they change nothing, their JSON body makes every cross-origin call a preflighted one that only the UI's
 * origins pass, and a session request from any other origin is refused below.
 */
export function codecRoutes(deps: { config: Config }): FastifyPluginAsyncZod {
  const origins = deps.config.access.temporalUiOrigins;
  const ring = deps.config.payloadKeys;
  return async (app) => {
    const ownOrigin = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? ''}`;
    const allowed = (origin: string | undefined): origin is string => origin !== undefined && origins.includes(origin);
    const refuseOrigin = (reply: FastifyReply, origin: string) =>
      reply.code(403).send({ error: `the origin ${origin} may not call the codec server: add it to OT_TEMPORAL_UI_ORIGIN` });

    // After sign-in (the root's hooks come first): CORS headers for the UI, also on a 401 or 403, so that the UI can tell why.
    app.addHook('onRequest', async (req, reply) => {
      const origin = req.headers.origin;
      reply.header('vary', 'Origin');
      if (allowed(origin)) reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true');
      if (req.method !== 'OPTIONS' && req.via === 'session' && origin && !allowed(origin) && origin !== ownOrigin(req))
        return refuseOrigin(reply, origin);
    });

    // The preflight of the UI's fetch (a JSON body, X-Namespace): its origin, POST, and the headers it sends.
    for (const url of ['/codec/decode', '/codec/encode']) {
      app.options(url, { schema: { hide: true }, config: { access: { public: true } } }, async (req, reply) => {
        const origin = req.headers.origin;
        if (!allowed(origin)) return refuseOrigin(reply, origin ?? '(none)');
        if (String(req.headers['access-control-request-method'] ?? '').toUpperCase() !== 'POST')
          return reply.code(403).send({ error: 'the codec server answers POST only' });
        return reply
          .code(204)
          .header('access-control-allow-methods', 'POST')
          .header('access-control-allow-headers', 'content-type, x-namespace, authorization')
          .header('access-control-max-age', '600')
          .send();
      });
    }

    /** The namespace the UI names (X-Namespace), for the audit row; ours when it names none. */
    const namespaceOf = (req: FastifyRequest): string | undefined => {
      const given = req.headers['x-namespace'];
      // The Temporal CLI (1.5.1) sends the header empty.
      if (given === undefined || given === '') return deps.config.namespace;
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(given) ? given : undefined;
    };
    const badNamespace = { error: 'X-Namespace: a Temporal namespace name (letters, digits, . _ -)' };

    const schema = (summary: string) => ({
      body: codecPayloadsSchema,
      response: { 200: codecPayloadsSchema, 400: apiErrorSchema, 422: apiErrorSchema },
      tags: ['codec'],
      summary,
    });
    const access = { access: { action: 'payloads.decode' as const, csrf: false as const } };

    app.post(
      '/codec/decode',
      { schema: schema("the Temporal UI's and CLI's payloads, decrypted (operators and super users; audited)"), config: access },
      async (req, reply) => {
        const namespace = namespaceOf(req);
        if (!namespace) return reply.code(400).send(badNamespace);
        try {
          const { payloads, caseIds } = await decodePayloads(ring, req.body);
          audited(req, caseIds, `temporal payloads (namespace ${namespace})`);
          return payloads;
        } catch (err) {
          // A key missing from the ring or a changed payload: the reason names the key id, nothing of the payload.
          if (err instanceof PayloadDecryptionError) return reply.code(422).send({ error: err.message });
          throw err;
        }
      },
    );
    app.post(
      '/codec/encode',
      { schema: schema('payloads encrypted with the newest payload key, for the Temporal UI and CLI'), config: access },
      async (req, reply) => {
        const namespace = namespaceOf(req);
        if (!namespace) return reply.code(400).send(badNamespace);
        audited(req, [], `temporal payloads encoded (namespace ${namespace})`);
        return encodePayloads(ring, req.body);
      },
    );
  };
}
