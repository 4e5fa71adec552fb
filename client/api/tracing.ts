import type { FastifyInstance } from 'fastify';
import type { Config } from '../../schemas/config';
import { startTracing } from '../../runtime/tracing';

/** The API's name on its spans unless OTEL_SERVICE_NAME gives another. */
export const API_SERVICE = 'ot-api';

/**
 * With tracing on (runtime/tracing.ts), @fastify/otel makes a span of each request and of its hooks and handler; the
 * Temporal client's spans made while answering are its children. The request span is named by the route's pattern
 * (`POST /cases/:caseId/outcome`) and its url.path is the pattern too: @fastify/otel writes the raw URL there, with
 * case ids and the query string. Exceptions are not recorded (their messages may quote input). No spans of hooks and
 * handlers: @fastify/otel names an anonymous one by its plugin's source text. Off: nothing is loaded.
 */
export async function registerTracing(app: FastifyInstance, config: Pick<Config, 'tracing'>): Promise<void> {
  const tracing = await startTracing(config, API_SERVICE);
  if (!tracing) return;
  const { FastifyOtelInstrumentation } = await import('@fastify/otel');
  const instrumentation = new FastifyOtelInstrumentation({
    recordExceptions: false,
    instrumentHooks: false,
    instrumentHandler: false,
    requestHook: (span, request) => {
      const route = request.routeOptions.url ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttribute('url.path', route);
    },
  });
  // Registered before the routes, whose definitions it wraps; a closing API exports what it still holds.
  await app.register(instrumentation.plugin());
  app.addHook('onClose', () => tracing.spanProcessor.forceFlush());
}
