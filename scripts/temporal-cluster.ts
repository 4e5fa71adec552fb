import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { PROJECT_ROOT } from '../domain/project-root';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/**
 * Temporal's own server on PostgreSQL, as production runs it, on loopback: the persistence and SQL advanced
 * visibility schemas set up by Temporal's schema tool, then each service in a process of its own with its own ports
 * (frontend, matching, two history processes sharing the shards, the internal worker), the namespace and our
 * search attributes registered. docker-compose.yml describes the same shape for a real deployment.
 */

/** The folder with temporal-server and temporal-sql-tool that scripts/temporal-server.sh finds or builds. */
export function temporalServerDir(): string {
  return execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'temporal-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export interface ClusterOptions {
  /** A PostgreSQL superuser's URL (the schemas' owner); the two databases are made beside its own. */
  adminUrl: string;
  /** Database names: `<prefix>` for persistence, `<prefix>_visibility` for visibility. */
  databasePrefix: string;
  /** The frontend's gRPC port; the other services take the ports after it (see portsOf). */
  basePort: number;
  /** Where each process keeps its config and log. */
  dataDir: string;
  namespace: string;
  /** How long the namespace keeps closed workflows. */
  retentionHours: number;
  /** History shards: fixed for ever once the schema is set up, so more than one process can share them. */
  shards?: number;
  /** Write the services' output to our terminal instead of their log files. */
  inheritOutput?: boolean;
}

/** The processes a cluster runs: two history processes, so shards move when one goes. */
export const CLUSTER_PROCESSES = ['history-1', 'history-2', 'matching', 'frontend', 'worker'] as const;
export type ClusterProcess = (typeof CLUSTER_PROCESSES)[number];

/** The Temporal service each process runs (docker-compose.yml's temporal-<process> services run the same). */
export const SERVICE_OF: Record<ClusterProcess, string> = {
  'history-1': 'history',
  'history-2': 'history',
  matching: 'matching',
  frontend: 'frontend',
  worker: 'worker',
};

/** Each process's gRPC and membership ports: the frontend's gRPC port is the base, as 7233 is the dev server's. */
export function portsOf(basePort: number, name: ClusterProcess): { grpc: number; membership: number; http?: number } {
  const offset = { frontend: 0, 'history-1': 1, matching: 2, 'history-2': 3, worker: 6 }[name];
  return { grpc: basePort + offset, membership: basePort + 100 + offset, ...(name === 'frontend' ? { http: basePort + 10 } : {}) };
}

function dbSettings(adminUrl: string) {
  const url = new URL(adminUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

/**
 * Each process's most PostgreSQL connections, to persistence and to visibility: 56 for the cluster, so that it, our
 * worker and API, and a test run beside it stay within a stock PostgreSQL's max_connections of 100 (the history
 * processes do most of the writing; the frontend most of the visibility reads).
 */
const CONNECTIONS: Record<ClusterProcess, { persistence: number; visibility: number }> = {
  'history-1': { persistence: 12, visibility: 3 },
  'history-2': { persistence: 12, visibility: 3 },
  matching: { persistence: 8, visibility: 2 },
  frontend: { persistence: 5, visibility: 6 },
  worker: { persistence: 3, visibility: 2 },
};

/** The server's static configuration for one process (YAML is a superset of JSON, so JSON it is). */
function serverConfig(options: ClusterOptions, name: ClusterProcess, dynamicConfigFile: string): object {
  const db = dbSettings(options.adminUrl);
  const store = (database: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName: database,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const ports = portsOf(options.basePort, name);
  const frontend = `127.0.0.1:${options.basePort}`;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: options.shards ?? 16,
      datastores: {
        default: store(options.databasePrefix, CONNECTIONS[name].persistence),
        visibility: store(`${options.databasePrefix}_visibility`, CONNECTIONS[name].visibility),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    // Every service, as membership tracks them all; this process's own service with this process's ports (the two
    // history processes differ only there).
    services: Object.fromEntries(
      (['frontend', 'history', 'matching', 'worker'] as const).map((service) => {
        const p = SERVICE_OF[name] === service ? ports : portsOf(options.basePort, service === 'history' ? 'history-1' : service);
        return [service, { rpc: { grpcPort: p.grpc, membershipPort: p.membership, bindOnLocalHost: true, ...(p.http ? { httpPort: p.http } : {}) } }];
      }),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontend } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/**
 * What the dev server changes from the server's defaults (Temporal CLI v1.5.1, devserver/server.go and
 * commands.server.go), so the two engines differ in their storage and process layout, not in their limits.
 */
const DYNAMIC_CONFIG: Record<string, unknown> = {
  'history.cacheHostLevelMaxSize': 8096,
  'frontend.maxNamespaceVisibilityRPSPerInstance': 100,
  'system.forceSearchAttributesCacheRefreshOnRead': true,
  'frontend.persistenceMaxQPS': 10000,
  'history.persistenceMaxQPS': 45000,
};

const run = promisify(execFile);

/** Both databases made if missing, then brought to the schema tool's newest version (idempotent: a re-run changes nothing). */
export async function setUpSchemas(serverDir: string, options: ClusterOptions): Promise<void> {
  const db = dbSettings(options.adminUrl);
  const admin = new PgClient({ connectionString: options.adminUrl });
  await admin.connect();
  try {
    for (const [database, schema] of [
      [options.databasePrefix, 'postgresql/v12/temporal'],
      [`${options.databasePrefix}_visibility`, 'postgresql/v12/visibility'],
    ] as const) {
      if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`not a plain database name: ${database}`);
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
      const tool = path.join(serverDir, 'temporal-sql-tool');
      const common = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', database];
      const env = { ...process.env, SQL_PASSWORD: db.password };
      const versioned = await hasSchemaVersion(options.adminUrl, database);
      if (!versioned) await run(tool, [...common, 'setup-schema', '-v', '0.0'], { env });
      await run(tool, [...common, 'update-schema', '-s', schema], { env });
    }
  } finally {
    await admin.end();
  }
}

async function hasSchemaVersion(adminUrl: string, database: string): Promise<boolean> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new PgClient({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query(`SELECT to_regclass('public.schema_version') IS NOT NULL AS yes`)).rows[0].yes === true;
  } finally {
    await client.end();
  }
}

export interface Cluster {
  /** The frontend's address, for TEMPORAL_ADDRESS. */
  address: string;
  /** The folder of the binaries (the UI server is there too: scripts/temporal-ui-server.ts). */
  serverDir: string;
  /** The processes running now, by name. */
  processes: Map<ClusterProcess, ChildProcess>;
  /** Start one process (again): a history process killed on purpose comes back this way. */
  startProcess(name: ClusterProcess): ChildProcess;
  /** Kill one process (SIGKILL, as a crashed host would go). */
  kill(name: ClusterProcess): Promise<void>;
  /** Every process, frontend first so clients stop before the services behind it. */
  stop(): Promise<void>;
  /** The last error lines each process logged (a test run prints them: its folder is gone after it). */
  errorsLogged(perProcess?: number): Map<ClusterProcess, string[]>;
}

/** A log line of the server's at error level or worse (its JSON lines), or a Go panic. */
const ERROR_LINE = /"level":"(error|dpanic|panic|fatal)"|^panic:|^fatal error:/;

/** The last `count` error lines of a process's log, each cut to its message and error (a line can be kilobytes). */
function lastErrors(logFile: string, count: number): string[] {
  if (!existsSync(logFile)) return [];
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => ERROR_LINE.test(line));
  return lines.slice(-count).map((line) => {
    try {
      const entry = JSON.parse(line) as { ts?: string; msg?: string; error?: string };
      return `${entry.ts ?? ''} ${entry.msg ?? ''}${entry.error ? `: ${entry.error}` : ''}`.slice(0, 300);
    } catch {
      return line.slice(0, 300);
    }
  });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const serverDir = temporalServerDir();
  await setUpSchemas(serverDir, options);
  mkdirSync(options.dataDir, { recursive: true });
  const dynamicConfigFile = path.join(options.dataDir, 'dynamic-config.yaml');
  writeFileSync(dynamicConfigFile, JSON.stringify(Object.fromEntries(Object.entries(DYNAMIC_CONFIG).map(([k, value]) => [k, [{ value }]])), null, 2));
  const processes = new Map<ClusterProcess, ChildProcess>();
  const exits = new Map<ClusterProcess, Promise<void>>();
  // The processes we kill or stop ourselves: any other exit is a crash, said at once with what the process logged.
  const stopping = new Set<ChildProcess>();
  const logOf = (name: ClusterProcess) => path.join(options.dataDir, name, 'server.log');

  const startProcess = (name: ClusterProcess): ChildProcess => {
    const root = path.join(options.dataDir, name);
    mkdirSync(path.join(root, 'config'), { recursive: true });
    writeFileSync(path.join(root, 'config', 'development.yaml'), JSON.stringify(serverConfig(options, name, dynamicConfigFile), null, 2));
    const args = ['--root', root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start', '--service', SERVICE_OF[name]];
    const child = spawn(path.join(serverDir, 'temporal-server'), args, {
      stdio: options.inheritOutput ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    if (!options.inheritOutput) {
      const log = createWriteStream(path.join(root, 'server.log'), { flags: 'a' });
      // Two streams into one file: neither may end it, or the other's next line would be written after its end.
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      child.once('close', () => log.end()); // 'close': after both streams are drained
    }
    processes.set(name, child);
    exits.set(name, new Promise<void>((resolve) => child.once('exit', () => resolve())));
    child.once('close', (code, signal) => {
      if (stopping.has(child)) return;
      const errors = lastErrors(logOf(name), 5);
      process.stderr.write(
        `temporal-cluster: the ${name} process exited on its own (${signal ?? `code ${code}`})${errors.length ? `; its last errors:\n  ${errors.join('\n  ')}` : ''}\n`,
      );
    });
    return child;
  };
  const kill = async (name: ClusterProcess) => {
    const child = processes.get(name);
    if (!child) return;
    stopping.add(child);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exits.get(name);
    processes.delete(name);
  };
  const stop = async () => {
    for (const name of ['frontend', 'worker', 'matching', 'history-1', 'history-2'] as const) {
      const child = processes.get(name);
      if (!child) continue;
      stopping.add(child);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exits.get(name);
      clearTimeout(timer);
      processes.delete(name);
    }
  };

  const address = `127.0.0.1:${options.basePort}`;
  try {
    // One process first, until it has written the cluster's metadata: on a new schema every process inserts that
    // row as it starts, and the ones that lose the race exit (duplicate key), so started together some die at once.
    startProcess(CLUSTER_PROCESSES[0]);
    await clusterMetadataWritten(options, processes);
    for (const name of CLUSTER_PROCESSES.slice(1)) startProcess(name);
    await registerNamespace(address, options, processes);
  } catch (err) {
    await stop();
    throw err;
  }
  const errorsLogged = (perProcess = 5) => new Map(CLUSTER_PROCESSES.map((name) => [name, lastErrors(logOf(name), perProcess)]));
  return { address, serverDir, processes, startProcess, kill, stop, errorsLogged };
}

/** While the cluster starts, any process gone fails the start, naming its log. */
function failIfExited(processes: Map<ClusterProcess, ChildProcess>, options: ClusterOptions): void {
  const gone = [...processes].find(([, p]) => p.exitCode !== null || p.signalCode !== null)?.[0];
  if (gone) throw new Error(`the Temporal ${gone} process exited while starting: see ${path.join(options.dataDir, gone, 'server.log')}`);
}

/** Waits until the persistence database holds the cluster's metadata row (at once on a cluster that ran before). */
async function clusterMetadataWritten(options: ClusterOptions, processes: Map<ClusterProcess, ChildProcess>): Promise<void> {
  const url = new URL(options.adminUrl);
  url.pathname = `/${options.databasePrefix}`;
  const db = new PgClient({ connectionString: url.toString() });
  await db.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      failIfExited(processes, options);
      if ((await db.query('SELECT 1 FROM cluster_metadata_info LIMIT 1')).rowCount) return;
      if (Date.now() > deadline) throw new Error(`the Temporal ${CLUSTER_PROCESSES[0]} process wrote no cluster metadata within 120 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await db.end();
  }
}

/** The namespace with its retention, and our search attributes, once the frontend answers (each step idempotent). */
async function registerNamespace(address: string, options: ClusterOptions, processes: Map<ClusterProcess, ChildProcess>): Promise<void> {
  const deadline = Date.now() + 180_000;
  let connection: Connection | undefined;
  for (;;) {
    failIfExited(processes, options);
    try {
      connection ??= await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the Temporal cluster's frontend did not answer on ${address}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  try {
    const retention = msToTs(`${options.retentionHours}h`);
    await connection.workflowService
      .registerNamespace({ namespace: options.namespace, workflowExecutionRetentionPeriod: retention })
      .catch((err: { code?: number }) => {
        if (err.code !== 6) throw err; // ALREADY_EXISTS: a cluster started before
      });
    const typeOf = { KEYWORD: 2, INT: 3, TEXT: 1, BOOL: 5, DATETIME: 6, DOUBLE: 4, KEYWORD_LIST: 7 } as const;
    // A namespace just made may not be known to every frontend cache yet: retry until the attributes are in.
    for (;;) {
      try {
        const known = await connection.operatorService.listSearchAttributes({ namespace: options.namespace });
        const missing = SEARCH_ATTRIBUTES.filter((k) => !(k.name in (known.customAttributes ?? {})));
        if (missing.length === 0) break;
        await connection.operatorService.addSearchAttributes({
          namespace: options.namespace,
          searchAttributes: Object.fromEntries(missing.map((k) => [k.name, typeOf[k.type]])),
        });
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    // A process that went while the frontend came up (the internal worker, say, whose loss shows only as schedules
    // that never answer) fails the start here, not the first test that needs it.
    failIfExited(processes, options);
  } finally {
    await connection.close();
  }
}
