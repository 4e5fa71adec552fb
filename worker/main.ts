import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { verifyCaseIdKey } from '../db/case-id-key';
import { createPool } from '../db/pool';
import { createWorker } from './worker';
import { loadConfig } from '../runtime/config';
import { logger } from '../runtime/log';
import { serveMetrics } from '../runtime/metrics';
import { freeLoopbackAddress, sdkMetrics } from './sdk-metrics';
import { connectClient } from '../runtime/temporal';
import { startTracing } from '../runtime/tracing';
import { WORKER_SERVICE } from './tracing';

async function main(): Promise<void> {
  const config = loadConfig();
  // With metrics on, the SDK exports its own (workflow and activity task latencies, slots, pollers, sticky cache) in
  // seconds with _total counters, as Prometheus names them; our /metrics appends them to the application's.
  const sdkAddress = config.metrics && (await freeLoopbackAddress());
  Runtime.install({
    logger: new DefaultLogger(process.env.OT_SDK_LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'WARN'),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(sdkAddress
        ? { metrics: { prometheus: { bindAddress: sdkAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } }
        : {}),
    },
  });
  // Before the client: its spans and the activities' are this process's, named ot-worker (off without an endpoint).
  const tracing = await startTracing(config, WORKER_SERVICE);
  const pool = createPool(config.databaseUrls.worker, 20);
  // A worker with another case-id key would start every case of a re-import again: it refuses to start instead.
  await verifyCaseIdKey(pool, config.caseIdKey);
  const client = await connectClient(config);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await createWorker({ config, pool, client, connection });
  const metrics = config.metrics && sdkAddress && (await serveMetrics({ ...config.metrics, extra: sdkMetrics(sdkAddress) }));
  logger.info({ taskQueue: config.taskQueue, namespace: config.namespace, ...(metrics ? { metrics: metrics.url } : {}) }, 'worker polling');
  await worker.run(); // returns after SIGINT/SIGTERM, which the SDK turns into a graceful shutdown
  if (metrics) await metrics.close();
  await connection.close();
  await client.connection.close();
  await pool.end();
  await tracing?.shutdown(); // the last spans (the graceful shutdown's) are exported before the process ends
}

main().catch((err) => {
  logger.error({ err: (err as Error).message }, 'worker stopped');
  process.exit(1);
});
