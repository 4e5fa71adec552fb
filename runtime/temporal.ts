import { Client, Connection } from '@temporalio/client';
import type { Config } from '../schemas/config';

export async function connectClient(config: Pick<Config, 'temporalAddress' | 'namespace'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5 seconds' });
  return new Client({ connection, namespace: config.namespace });
}
