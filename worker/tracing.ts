import type { WorkerOptions } from '@temporalio/worker';
import type { Config } from '../schemas/config';
import { startTracing } from '../runtime/tracing';

/** The worker's name on its spans unless OTEL_SERVICE_NAME gives another. */
export const WORKER_SERVICE = 'ot-worker';

/**
 * With tracing on, the worker's part of it: the workflow interceptors, bundled with the workflows (workflowModules),
 * make a span of each workflow run, signal, update and activity scheduled, and hand them out of the sandbox through
 * the `exporter` sink (sinks are not in the history: replay is the same with tracing on or off); the activity
 * interceptors make a span of each activity run. Off: nothing is added and the SDK is not loaded.
 */
export async function tracingWorkerOptions(config: Pick<Config, 'tracing'>): Promise<Pick<WorkerOptions, 'interceptors' | 'sinks'>> {
  const tracing = await startTracing(config, WORKER_SERVICE);
  if (!tracing) return {};
  const otel = await import('@temporalio/interceptors-opentelemetry/lib/worker');
  return {
    interceptors: {
      workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
      activity: [
        (ctx) => ({
          inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: otel.makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
