import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { Config } from '../schemas/config';
import { dataConverterOf } from './payload-codec';

/** Every client of ours (the API, the CLI, the worker's activities, the scripts) encrypts its payloads (runtime/payload-codec.ts). */
export async function connectClient(config: Pick<Config, 'temporalAddress' | 'namespace' | 'payloadKeys' | 'tracing'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5 seconds' });
  const interceptors = { workflow: await tracingInterceptors(config) };
  return new Client({ connection, namespace: config.namespace, dataConverter: dataConverterOf(config.payloadKeys), interceptors });
}

/**
 * With tracing on (runtime/tracing.ts), each start, signal, update and query is a span whose context travels in the
 * Temporal headers to the workflow; off, the interceptor module is never loaded. Spans hold workflow types and ids.
 */
async function tracingInterceptors(config: Pick<Config, 'tracing'>): Promise<WorkflowClientInterceptor[]> {
  if (!config.tracing) return [];
  // The client part alone: the package's index loads the worker's plugin too.
  const { OpenTelemetryWorkflowClientInterceptor } = await import('@temporalio/interceptors-opentelemetry/lib/client');
  return [new OpenTelemetryWorkflowClientInterceptor()];
}
