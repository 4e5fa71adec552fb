import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrate } from '../db/migrate';
import { hasUsers } from '../client/use-cases/users';
import { createPool, ensureDatabase } from '../db/pool';
import { devServerSearchAttributeArgs } from '../workflows/search-attributes';
import { startEmbeddedPostgres } from './embedded-postgres';
import { temporalCliPath } from './temporal-cli';
import { startCluster } from './temporal-cluster';
import { startUiServer } from './temporal-ui-server';
import { DEFAULT_DATABASE_URL, databaseUrlOf, embeddedDatabaseUrlFile, loadConfig } from '../runtime/config';
import { logger } from '../runtime/log';
import { connectClient } from '../runtime/temporal';
import { PROJECT_ROOT } from '../domain/project-root';
import type { Config } from '../schemas/config';

/**
 * `npm start`: the whole local stack in one terminal. PostgreSQL from DATABASE_URL, else the local
 * server, else an embedded one; the Temporal dev server with its UI (unless TEMPORAL_ADDRESS names
 * another server); the worker; the HTTP API. Ctrl-C stops them in order: API, worker, Temporal, database.
 */
const UI_PORT = Number(process.env.OT_UI_PORT ?? 8233);
/** Each process its own /metrics (runtime/metrics.ts); OT_METRICS_PORT would give both the same port. */
const WORKER_METRICS_PORT = process.env.OT_WORKER_METRICS_PORT ?? '9464';
const API_METRICS_PORT = process.env.OT_API_METRICS_PORT ?? '9465';

type Stop = () => Promise<void>;
const stops: { name: string; stop: Stop }[] = [];
let stopping = false;

function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // Its own process group: Ctrl-C reaches only us, and we stop the children in order.
  const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) {
      logger.error({ process: name, code, signal }, `${name} exited; stopping the stack`);
      void shutdown(1);
    }
  });
  stops.unshift({
    name,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  });
  return child;
}

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const { name, stop } of stops) {
      logger.info(`stopping ${name}`);
      await stop().catch((err) => logger.error({ err: (err as Error).message }, `stopping ${name} failed`));
    }
  }
  process.exit(code);
}

async function database(dataDir: string): Promise<string> {
  const explicit = process.env.DATABASE_URL;
  rmSync(embeddedDatabaseUrlFile(dataDir), { force: true });
  try {
    if ((await ensureDatabase(explicit ?? DEFAULT_DATABASE_URL)) === 'created') logger.info('created the database');
    return explicit ?? DEFAULT_DATABASE_URL;
  } catch (err) {
    const refused = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'].includes((err as { code?: string }).code ?? '');
    if (explicit || !refused) throw new Error(`PostgreSQL at ${new URL(explicit ?? DEFAULT_DATABASE_URL).host}: ${(err as Error).message}`);
  }
  logger.warn('no PostgreSQL answers on 127.0.0.1:5432: using an embedded one (PGlite) in the data folder');
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite'), port: Number(process.env.OT_EMBEDDED_PG_PORT ?? 54329) });
  stops.push({ name: 'embedded PostgreSQL', stop: () => embedded.stop() });
  writeFileSync(embeddedDatabaseUrlFile(dataDir), embedded.url);
  return embedded.url;
}

async function waitForTemporal(config: Config, server: ChildProcess): Promise<void> {
  const address = config.temporalAddress;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error('the Temporal dev server exited while starting (is port 7233 or 8233 taken?)');
    try {
      const client = await connectClient(config);
      await client.workflowService.getSystemInfo({});
      await client.connection.close();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer on ${address}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** The API's codec server as the browser reaches it, for the dev server's UI. */
function codecEndpoint(apiPort: number): string {
  return `http://localhost:${apiPort}/codec`;
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const databaseUrl = await database(config.dataDir);
  // As the owner of the schema when OT_MIGRATION_DATABASE_URL names one; the worker and the API get their own URLs from the environment.
  const pool = createPool(databaseUrlOf('migration', process.env, databaseUrl), 1);
  const applied = await migrate(pool);
  const firstStart = !(await hasUsers(pool));
  await pool.end();
  logger.info({ applied }, applied.length ? 'database migrated' : 'database is up to date');

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, OT_DATA_DIR: config.dataDir };
  if (process.argv.includes('--cluster')) {
    if (process.env.TEMPORAL_ADDRESS) throw new Error('--cluster starts its own Temporal server: leave TEMPORAL_ADDRESS unset');
    if (existsSync(embeddedDatabaseUrlFile(config.dataDir))) {
      throw new Error("--cluster needs a real PostgreSQL for Temporal's own databases: set DATABASE_URL or start PostgreSQL on 127.0.0.1:5432");
    }
    const [, port] = config.temporalAddress.split(':');
    const cluster = await startCluster({
      // Temporal's databases beside ours, on the same server, made by the same owner (OT_TEMPORAL_DATABASE_URL to choose another).
      adminUrl: process.env.OT_TEMPORAL_DATABASE_URL ?? databaseUrlOf('migration', process.env, databaseUrl),
      databasePrefix: process.env.OT_TEMPORAL_DATABASE ?? 'temporal',
      basePort: Number(port),
      dataDir: path.join(config.dataDir, 'cluster'),
      namespace: config.namespace,
      retentionHours: Number(process.env.TEMPORAL_RETENTION_HOURS ?? 8760),
    });
    const ui = startUiServer({
      serverDir: cluster.serverDir,
      dataDir: path.join(config.dataDir, 'cluster', 'ui'),
      temporalAddress: cluster.address,
      port: UI_PORT,
      namespace: config.namespace,
      codecEndpoint: codecEndpoint(config.apiPort),
    });
    ui.process.once('exit', (code) => {
      if (!stopping)
        logger.warn(
          { code },
          `the Temporal UI exited (see ${path.join(config.dataDir, 'cluster', 'ui', 'ui-server.log')}); the stack runs on without it`,
        );
    });
    stops.push({
      name: 'Temporal cluster and its UI',
      stop: async () => {
        await ui.stop();
        await cluster.stop();
      },
    });
    logger.info(
      `Temporal server on PostgreSQL: frontend ${cluster.address}, matching, two history processes and the internal worker, each its own process (logs in ${path.join(config.dataDir, 'cluster')}/*/server.log); UI on ${ui.url}`,
    );
  } else if (!process.env.TEMPORAL_ADDRESS) {
    const [host, port] = config.temporalAddress.split(':');
    const cli = temporalCliPath();
    const server = spawnChild(
      'temporal',
      cli,
      [
        'server',
        'start-dev',
        '--db-filename',
        path.join(config.dataDir, 'temporal.db'),
        '--ip',
        host,
        '--port',
        port,
        '--ui-port',
        String(UI_PORT),
        // The UI decodes payloads through the API's codec server, for operators and super users signed in to
        // the console (README, "The payload codec"). localhost, not 127.0.0.1: the console's session cookie
        // belongs to the host the browser signed in at, and the UI at http://localhost:8233 is of the same site.
        '--ui-codec-endpoint',
        codecEndpoint(config.apiPort),
        '--namespace',
        config.namespace,
        '--log-level',
        'error',
        ...devServerSearchAttributeArgs(),
      ],
      env,
    );
    await waitForTemporal(config, server);
    logger.info(`Temporal dev server on ${config.temporalAddress}, UI on http://localhost:${UI_PORT}`);
    logger.info(
      `payloads are encrypted: the UI decodes them through ${codecEndpoint(config.apiPort)} for operators and super users signed in to the console at http://localhost:${config.apiPort}/konsoll/; turn on "Include cross-origin credentials" in the UI's codec server settings once (README, "The payload codec")`,
    );
  }
  const dist = path.join(PROJECT_ROOT, 'dist');
  spawnChild('worker', process.execPath, [path.join(dist, 'worker', 'main.js')], {
    ...env,
    OT_SERVICE: 'worker',
    OT_METRICS_PORT: WORKER_METRICS_PORT,
  });
  spawnChild('api', process.execPath, [path.join(dist, 'client', 'api', 'main.js')], {
    ...env,
    OT_SERVICE: 'api',
    OT_METRICS_PORT: API_METRICS_PORT,
  });
  // Stop order: API, worker, then Temporal and the database (spawnChild puts each new child first).
  logger.info(
    `the stack is up: console http://localhost:${config.apiPort}/konsoll/ · Temporal UI http://localhost:${UI_PORT} · API http://localhost:${config.apiPort}/health · API docs http://localhost:${config.apiPort}/docs · metrics http://localhost:${WORKER_METRICS_PORT}/metrics (worker), http://localhost:${API_METRICS_PORT}/metrics (API) · \`npx ot status\` · Ctrl-C stops it`,
  );
  // Nobody can sign in yet: say how to make the first operator, who then makes everyone else.
  if (firstStart) {
    logger.info(
      'no users yet: make the first operator with `npx ot users add NAME --role operator --name "Full Name"` (it prints a password to sign in to the console with), then act as them with `export OT_USER=NAME` (or --as NAME)',
    );
  }
}

main().catch((err) => {
  logger.error((err as Error).message);
  void shutdown(1);
});
