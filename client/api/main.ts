import type { Client } from '@temporalio/client';
import { createPool } from '../../db/pool';
import { buildApi } from './server';
import { loadConfig } from '../../runtime/config';
import { logger } from '../../runtime/log';
import { registerReadModelGauges, serveMetrics } from '../../runtime/metrics';
import { connectClient } from '../../runtime/temporal';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.access.production && !config.sms.callbackSecret) {
    throw new Error('OT_SMS_CALLBACK_SECRET is required in production: without it anyone could post SMS replies');
  }
  const pool = createPool(config.databaseUrls.api);
  let client: Promise<Client> | undefined;
  const app = await buildApi({
    config,
    pool,
    // Reconnect on demand: the API stays up and reports Temporal's absence through /health.
    client: () => (client ??= connectClient(config).catch((err) => ((client = undefined), Promise.reject(err)))),
  });
  await app.listen({ port: config.apiPort, host: process.env.OT_API_HOST ?? '127.0.0.1' });
  // The read model's gauges once per deployment, here: every API answers the same counts, a worker would repeat them.
  if (config.metrics) registerReadModelGauges(pool);
  const metrics = config.metrics && (await serveMetrics(config.metrics));
  if (metrics) logger.info({ url: metrics.url }, 'api metrics');
  const stop = async () => {
    await app.close();
    if (metrics) await metrics.close();
    await pool.end();
    if (client) await (await client.catch(() => undefined))?.connection.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  logger.error({ err: (err as Error).message }, 'api stopped');
  process.exit(1);
});
