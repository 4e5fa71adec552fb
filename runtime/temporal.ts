import { Client, Connection } from '@temporalio/client';
import type { Config } from '../schemas/config';
import { dataConverterOf } from './payload-codec';

/** Every client of ours (the API, the CLI, the worker's activities, the scripts) encrypts its payloads (runtime/payload-codec.ts). */
export async function connectClient(config: Pick<Config, 'temporalAddress' | 'namespace' | 'payloadKeys'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: config.namespace, dataConverter: dataConverterOf(config.payloadKeys) });
}
