import type { Context } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../schemas/config';

/**
 * OpenTelemetry traces of one process, exported over OTLP/HTTP through a batch span processor. Only a process whose
 * configuration names an endpoint (Config.tracing, runtime/config.ts) loads the SDK: the imports below are types,
 * the modules are required in startTracing.
 *
 * One SDK line for every part: @temporalio/interceptors-opentelemetry 1.24.0 is built on the OpenTelemetry JS 1.x SDK
 * (its workflow spans cross the sandbox in the 1.x ReadableSpan shape: parentSpanId, instrumentationLibrary), so the
 * SDK here is 1.30.1 with its exporter 0.57.2; @fastify/otel needs only the API, which is the one @opentelemetry/api.
 */
export interface Tracing {
  /** This process's resource (service.name), for the spans the worker's workflows hand over through their sink. */
  resource: Resource;
  /** Every span of the process passes here, the workflows' included, and leaves without free text. */
  spanProcessor: SpanProcessor;
  /** Exports what is still buffered and stops: call it before the process exits. */
  shutdown(): Promise<void>;
}

let current: Promise<Tracing> | undefined;

/** Starts tracing once per process (the global tracer provider can be set once); undefined when it is off. */
export function startTracing(config: Pick<Config, 'tracing'>, serviceName: string): Promise<Tracing | undefined> {
  const tracing = config.tracing;
  if (!tracing) return Promise.resolve(undefined);
  current ??= (async () => {
    const [
      { BasicTracerProvider, BatchSpanProcessor },
      { Resource },
      { OTLPTraceExporter },
      { AsyncLocalStorageContextManager },
      { ATTR_SERVICE_NAME },
    ] = await Promise.all([
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/semantic-conventions'),
    ]);
    const resource = Resource.default().merge(new Resource({ [ATTR_SERVICE_NAME]: tracing.serviceName ?? serviceName }));
    // OTEL_EXPORTER_OTLP_HEADERS and _TIMEOUT are read by the exporter itself; the URL is ours (one home: config).
    const spanProcessor = withoutFreeText(new BatchSpanProcessor(new OTLPTraceExporter({ url: tracing.tracesUrl })));
    const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
    // The context manager carries a request's span into the Temporal client's calls made while answering it; the
    // propagator (W3C trace context, OTEL_PROPAGATORS) puts it into the Temporal headers the worker reads.
    provider.register({ contextManager: new AsyncLocalStorageContextManager() });
    return { resource, spanProcessor, shutdown: () => provider.shutdown() };
  })();
  return current;
}

/**
 * A span's free text is an error's message (its status and its exception event), which may quote what a person
 * wrote: it is cut before export. Names and attributes are ours and the instrumentations' (route patterns, workflow
 * and activity types, workflow ids that are hashed case ids); exception events keep their type only.
 */
function withoutFreeText(next: SpanProcessor): SpanProcessor {
  const clean = (span: ReadableSpan): ReadableSpan =>
    Object.create(span, {
      status: { value: { code: span.status.code } },
      events: {
        value: span.events.map((e) =>
          e.name === 'exception'
            ? { ...e, attributes: e.attributes?.['exception.type'] ? { 'exception.type': e.attributes['exception.type'] } : {} }
            : e,
        ),
      },
    }) as ReadableSpan;
  return {
    onStart: (span: Span, parent: Context) => next.onStart(span, parent),
    onEnd: (span: ReadableSpan) => next.onEnd(clean(span)),
    forceFlush: () => next.forceFlush(),
    shutdown: () => next.shutdown(),
  };
}
