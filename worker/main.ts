import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { verifyCaseIdKey } from '../db/case-id-key';
import { createPool } from '../db/pool';
import { createWorker } from './worker';
import { loadConfig } from '../runtime/config';
import { logger } from '../runtime/log';
import { connectClient } from '../runtime/temporal';

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger(process.env.OT_SDK_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  });
  const config = loadConfig();
  const pool = createPool(config.databaseUrls.worker, 20);
  // A worker with another case-id key would start every case of a re-import again: it refuses to start instead.
  await verifyCaseIdKey(pool, config.caseIdKey);
  const client = await connectClient(config);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({ config, pool, client, connection });
  logger.info({ taskQueue: config.taskQueue, namespace: config.namespace }, 'worker polling');
  await worker.run(); // returns after SIGINT/SIGTERM, which the SDK turns into a graceful shutdown
  await connection.close();
  await client.connection.close();
  await pool.end();
}

main().catch((err) => {
  logger.error({ err: (err as Error).message }, 'worker stopped');
  process.exit(1);
});
