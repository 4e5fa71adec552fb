import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
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
  /** Each process's most connections to the persistence database (20 when absent; visibility gets half). */
  maxConns?: number;
  /** Write the services' output to our terminal instead of their log files. */
  inheritOutput?: boolean;
}

/** The processes a cluster runs: two history processes, so shards move when one goes. */
export const CLUSTER_PROCESSES = ['history-1', 'history-2', 'matching', 'frontend', 'worker'] as const;
export type ClusterProcess = (typeof CLUSTER_PROCESSES)[number];

const SERVICE_OF: Record<ClusterProcess, string> = {
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
        default: store(options.databasePrefix, options.maxConns ?? 20),
        visibility: store(`${options.databasePrefix}_visibility`, Math.max(1, Math.floor((options.maxConns ?? 20) / 2))),
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
  /** The processes running now, by name. */
  processes: Map<ClusterProcess, ChildProcess>;
  /** Start one process (again): a history process killed on purpose comes back this way. */
  startProcess(name: ClusterProcess): ChildProcess;
  /** Kill one process (SIGKILL, as a crashed host would go). */
  kill(name: ClusterProcess): Promise<void>;
  /** Every process, frontend first so clients stop before the services behind it. */
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const serverDir = temporalServerDir();
  await setUpSchemas(serverDir, options);
  mkdirSync(options.dataDir, { recursive: true });
  const dynamicConfigFile = path.join(options.dataDir, 'dynamic-config.yaml');
  writeFileSync(dynamicConfigFile, JSON.stringify(Object.fromEntries(Object.entries(DYNAMIC_CONFIG).map(([k, value]) => [k, [{ value }]])), null, 2));
  const processes = new Map<ClusterProcess, ChildProcess>();
  const exits = new Map<ClusterProcess, Promise<void>>();

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
      // Both streams into one file: the first to end must not end it while the other still writes.
      let open = 2;
      for (const stream of [child.stdout, child.stderr]) {
        stream?.pipe(log, { end: false });
        stream?.once('end', () => --open === 0 && log.end());
      }
    }
    processes.set(name, child);
    exits.set(name, new Promise<void>((resolve) => child.once('exit', () => resolve())));
    return child;
  };
  const kill = async (name: ClusterProcess) => {
    const child = processes.get(name);
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exits.get(name);
    processes.delete(name);
  };
  const stop = async () => {
    for (const name of ['frontend', 'worker', 'matching', 'history-1', 'history-2'] as const) {
      const child = processes.get(name);
      if (!child) continue;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exits.get(name);
      clearTimeout(timer);
      processes.delete(name);
    }
  };

  for (const name of CLUSTER_PROCESSES) startProcess(name);
  const address = `127.0.0.1:${options.basePort}`;
  try {
    await registerNamespace(address, options, processes);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, processes, startProcess, kill, stop };
}

/** The namespace with its retention, and our search attributes, once the frontend answers (each step idempotent). */
async function registerNamespace(address: string, options: ClusterOptions, processes: Map<ClusterProcess, ChildProcess>): Promise<void> {
  const deadline = Date.now() + 180_000;
  let connection: Connection | undefined;
  for (;;) {
    const gone = [...processes].find(([, p]) => p.exitCode !== null || p.signalCode !== null);
    if (gone) throw new Error(`the Temporal ${gone[0]} process exited while starting: see ${path.join(options.dataDir, gone[0], 'server.log')}`);
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
  } finally {
    await connection.close();
  }
}
