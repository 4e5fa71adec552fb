import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { devServerSearchAttributeArgs } from '../../workflows/search-attributes';
import { PROJECT_ROOT } from '../../domain/project-root';
import { CLUSTER_PROCESSES, SERVICE_OF } from '../../scripts/temporal-cluster';

/**
 * docker-compose.yml, the production shape. Always: its structure, read as text (the services, their
 * wiring, the search attributes the setup registers) and that it holds no secret and no national id.
 * Where a compose implementation is installed (the docker compose plugin, or Debian's `docker-compose`
 * package), also what compose itself makes of it; it needs no Docker engine for that.
 */
const file = (...p: string[]) => path.join(PROJECT_ROOT, ...p);
const composeText = readFileSync(file('docker-compose.yml'), 'utf8');

// ---- a reader for the small YAML subset docker-compose.yml uses (block maps, lists, scalars) --------

const lines = composeText.split('\n').filter((l) => !/^\s*#/.test(l) && l.trim() !== '');
const indent = (l: string) => l.length - l.trimStart().length;

/** The lines nested under the first `key:` at the given indentation (after `from`), up to the next sibling. */
function block(of: string[], key: string, at: number): string[] {
  const start = of.findIndex((l) => indent(l) === at && l.trimStart().startsWith(`${key}:`));
  if (start < 0) return [];
  const end = of.findIndex((l, i) => i > start && indent(l) <= at);
  return of.slice(start + 1, end < 0 ? undefined : end);
}

function services(): Map<string, string[]> {
  const section = block(lines, 'services', 0);
  const result = new Map<string, string[]>();
  for (const l of section) {
    const m = /^ {2}([A-Za-z0-9._-]+):\s*$/.exec(l);
    if (m) result.set(m[1], block(section, m[1], 2));
  }
  return result;
}

/** A scalar (or flow list, as written) of a service, at its own level. */
function value(service: string[], key: string): string | undefined {
  const l = service.find((x) => indent(x) === 4 && x.trimStart().startsWith(`${key}:`));
  return l?.slice(l.indexOf(':') + 1).trim();
}

function unquote(v: string): string {
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

function environment(service: string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const l of block(service, 'environment', 4)) {
    const t = l.trim();
    const listed = /^-\s*([A-Z0-9_]+)=(.*)$/.exec(t);
    const mapped = /^([A-Z0-9_]+):\s*(.*)$/.exec(t);
    const m = listed ?? mapped;
    if (m) env.set(m[1], unquote(m[2].trim()));
  }
  return env;
}

const listItems = (service: string[], key: string) => block(service, key, 4).map((l) => unquote(l.trim().replace(/^-\s*/, '')));

// ---- compose itself, where installed ----------------------------------------------------------------

function findCompose(): { command: string; args: string[] } | undefined {
  for (const c of [
    { command: 'docker', args: ['compose'] },
    { command: 'docker-compose', args: [] },
  ]) {
    const r = spawnSync(c.command, [...c.args, 'version'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return c;
  }
  return undefined;
}
const compose = findCompose();
if (!compose) {
  console.warn(
    'docker-compose.test: no compose implementation here (neither `docker compose` nor `docker-compose`): ' +
      'the checks by compose itself are skipped. On Debian, `apt-get install docker-compose` provides one ' +
      '(no Docker engine needed for `config`).',
  );
}
const withCompose = compose ? it : it.skip;

/** Runs compose on our file with exactly the given variables (an empty env file hides any local .env). */
function runCompose(args: string[], vars: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ot-compose-'));
  try {
    const envFile = path.join(dir, 'empty.env');
    writeFileSync(envFile, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? dir, ...vars };
    return spawnSync(compose!.command, [...compose!.args, '--env-file', envFile, '-f', file('docker-compose.yml'), ...args], {
      encoding: 'utf8',
      env,
      cwd: PROJECT_ROOT,
      timeout: 60_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECRETS: Record<string, string> = {
  OT_CASE_ID_KEY: 'compose-test-key-0123456789',
  POSTGRES_PASSWORD: 'compose-test-password',
  OT_MIGRATION_DB_PASSWORD: 'compose-test-migration-password',
  OT_WORKER_DB_PASSWORD: 'compose-test-worker-password',
  OT_API_DB_PASSWORD: 'compose-test-api-password',
  TEMPORAL_AUTH_PROVIDER_URL: 'https://login.example.org/realms/county',
  TEMPORAL_AUTH_CLIENT_ID: 'temporal-ui',
  TEMPORAL_AUTH_CLIENT_SECRET: 'compose-test-client-secret',
  TEMPORAL_AUTH_CALLBACK_URL: 'https://temporal.example.org/auth/sso/callback',
  OT_SESSION_SECRET: 'compose-test-session-secret-of-32-characters',
  OT_SMS_CALLBACK_SECRET: 'compose-test-sms-callback-secret',
  OT_API_HOSTS: 'ot.example.org,127.0.0.1',
  OT_PAYLOAD_KEYS: `compose-test=${Buffer.alloc(32, 1).toString('base64')}`,
  OT_CODEC_ENDPOINT: 'https://ot.example.org/codec',
  OT_TEMPORAL_UI_ORIGIN: 'https://temporal.example.org',
};
const secretsWithout = (name: string) => Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k !== name));

/** Each of our services, the variable that gives it its own database connection, and the login user it names. */
const DATABASE_USERS = [
  { service: 'migrate', variable: 'OT_MIGRATION_DATABASE_URL', user: 'ot_migrator', password: 'OT_MIGRATION_DB_PASSWORD' },
  { service: 'worker', variable: 'OT_WORKER_DATABASE_URL', user: 'ot_worker_user', password: 'OT_WORKER_DB_PASSWORD', group: 'ot_worker' },
  { service: 'api', variable: 'OT_API_DATABASE_URL', user: 'ot_api_user', password: 'OT_API_DB_PASSWORD', group: 'ot_api' },
];

/**
 * The variables of temporalio/ui's server that we set, spelt as its config template reads them
 * (server/config/docker.yaml of UI 2.42): a misspelt one would be ignored without a word.
 */
const UI_SERVER_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_DEFAULT_NAMESPACE',
  'TEMPORAL_AUTH_ENABLED',
  'TEMPORAL_AUTH_PROVIDER_URL',
  'TEMPORAL_AUTH_ISSUER_URL',
  'TEMPORAL_AUTH_CLIENT_ID',
  'TEMPORAL_AUTH_CLIENT_SECRET',
  'TEMPORAL_AUTH_CALLBACK_URL',
  'TEMPORAL_AUTH_SCOPES',
  'TEMPORAL_DISABLE_WRITE_ACTIONS',
  'TEMPORAL_BATCH_ACTIONS_DISABLED',
  'TEMPORAL_CODEC_ENDPOINT',
  'TEMPORAL_CODEC_INCLUDE_CREDENTIALS',
];

describe('docker-compose.yml', () => {
  const svc = services();
  const ours = ['migrate', 'worker', 'api'];

  /** Temporal's own processes: one compose service per process of `npm run start:cluster`. */
  const temporalServices = CLUSTER_PROCESSES.map((p) => `temporal-${p}`);

  it('has the services of the production shape', () => {
    expect([...svc.keys()].sort()).toEqual(
      ['api', 'migrate', 'postgresql', ...temporalServices, 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('runs Temporal as scripts/temporal-cluster.ts does: a process per service, two history processes sharing the shards', () => {
    const shards = new Set<string | undefined>();
    for (const process of CLUSTER_PROCESSES) {
      const env = environment(svc.get(`temporal-${process}`)!);
      expect(`${process}: ${env.get('SERVICES')}`).toBe(`${process}: ${SERVICE_OF[process]}`);
      expect(env.get('PUBLIC_FRONTEND_ADDRESS')).toBe('temporal-frontend:7233');
      // Bound to the container's own address, which membership announces; 0.0.0.0 would need a broadcast address.
      expect(env.has('BIND_ON_IP')).toBe(false);
      shards.add(env.get('NUM_HISTORY_SHARDS'));
    }
    expect(CLUSTER_PROCESSES.filter((p) => SERVICE_OF[p] === 'history')).toHaveLength(2);
    expect([...shards]).toEqual(['${TEMPORAL_HISTORY_SHARDS:-512}']);
  });

  it('runs PostgreSQL 16 on a named volume, with a health check', () => {
    const pg = svc.get('postgresql')!;
    expect(value(pg, 'image')).toBe('postgres:16');
    const volumes = listItems(pg, 'volumes');
    expect(volumes).toContain('postgresql-data:/var/lib/postgresql/data');
    expect(block(lines, 'volumes', 0).map((l) => l.trim())).toContain('postgresql-data:');
    expect(block(pg, 'healthcheck', 4).join('\n')).toMatch(/pg_isready/);
  });

  it('runs Temporal on that PostgreSQL with a production dynamic config', () => {
    for (const name of temporalServices) {
      const t = svc.get(name)!;
      expect(value(t, 'image')).toMatch(/^temporalio\/server:/);
      const env = environment(t);
      expect(env.get('DB')).toBe('postgres12');
      expect(env.get('POSTGRES_SEEDS')).toBe('postgresql');
      const dynamicConfig = env.get('DYNAMIC_CONFIG_FILE_PATH')!;
      expect(dynamicConfig).toMatch(/^config\/dynamicconfig\/[\w.-]+\.yaml$/);
      const mount = listItems(t, 'volumes').find((v) => v.includes(':/etc/temporal/config/dynamicconfig'))!;
      const hostDir = mount.split(':')[0];
      const configFile = file(hostDir, path.basename(dynamicConfig));
      expect(existsSync(configFile)).toBe(true);
      // A development-only switch that costs a database read per request.
      expect(readFileSync(configFile, 'utf8')).not.toMatch(/forceSearchAttributesCacheRefreshOnRead:\s*\n\s*-\s*value:\s*true/);
      // Temporal's schemas are set up before it starts, by a one-shot job.
      expect(block(block(t, 'depends_on', 4), 'temporal-schema', 6).join('\n')).toMatch(/service_completed_successfully/);
    }
    expect(block(svc.get('temporal-frontend')!, 'healthcheck', 4).join('\n')).toMatch(/nc -z .* 7233/);
  });

  it('registers our namespace and every search attribute of workflows/search-attributes.ts', () => {
    const setup = svc.get('temporal-setup')!;
    expect(value(setup, 'image')).toMatch(/^temporalio\/admin-tools:/);
    const script = /\/ot-deploy\/([\w.-]+\.sh)/.exec(value(setup, 'entrypoint') ?? '')![1];
    const text = readFileSync(file('deploy', 'temporal', script), 'utf8');
    const wanted = devServerSearchAttributeArgs().filter((a) => a !== '--search-attribute'); // Name=Type
    expect(wanted).toHaveLength(5);
    const declared = /SEARCH_ATTRIBUTES="([^"]*)"/.exec(text)![1].split(/\s+/);
    expect(declared.sort()).toEqual([...wanted].sort());
    expect(text).toMatch(/temporal operator search-attribute create/);
    expect(environment(setup).get('TEMPORAL_ADDRESS')).toBe('temporal-frontend:7233');
  });

  it('serves the Temporal UI on port 8233 of this host', () => {
    const ui = svc.get('temporal-ui')!;
    expect(value(ui, 'image')).toMatch(/^temporalio\/ui:/);
    expect(listItems(ui, 'ports')).toEqual(['127.0.0.1:8233:8080']);
    expect(environment(ui).get('TEMPORAL_ADDRESS')).toBe('temporal-frontend:7233');
  });

  it('publishes no port on every interface: each on 127.0.0.1, for the reverse proxy or the operator on this host', () => {
    const published = [...svc].flatMap(([name, service]) => listItems(service, 'ports').map((p) => `${name} ${p}`));
    expect(published.sort()).toEqual(['api 127.0.0.1:8080:8080', 'temporal-frontend 127.0.0.1:7233:7233', 'temporal-ui 127.0.0.1:8233:8080']);
    // Nor a port written in another form: bare or on 0.0.0.0 anywhere, or the long syntax.
    expect(composeText).not.toMatch(/^\s*-\s*"?(0\.0\.0\.0:)?\d+:\d+"?\s*$/m);
    expect(composeText).not.toMatch(/^\s*(published|host_ip):/m);
    expect(block(svc.get('postgresql')!, 'ports', 4)).toEqual([]);
  });

  it('puts the Temporal UI behind OIDC sign-in, its settings from outside, and lets nobody change a workflow there', () => {
    const env = environment(svc.get('temporal-ui')!);
    expect(env.get('TEMPORAL_AUTH_ENABLED')).toBe('true');
    for (const key of ['TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET', 'TEMPORAL_AUTH_CALLBACK_URL']) {
      expect(env.get(key)).toBe(`\${${key}:?set ${key}}`);
    }
    expect(env.get('TEMPORAL_AUTH_ISSUER_URL')).toBe('${TEMPORAL_AUTH_ISSUER_URL:-}');
    expect(env.get('TEMPORAL_AUTH_SCOPES')).toBe('${TEMPORAL_AUTH_SCOPES:-openid,profile,email}');
    expect(env.get('TEMPORAL_DISABLE_WRITE_ACTIONS')).toBe('true');
    expect(env.get('TEMPORAL_BATCH_ACTIONS_DISABLED')).toBe('true');
    expect([...env.keys()].filter((k) => !UI_SERVER_VARIABLES.includes(k))).toEqual([]);
  });

  it("decodes the UI's payloads through the API's codec server, with the console's session, whose origin the API allows", () => {
    const ui = environment(svc.get('temporal-ui')!);
    expect(ui.get('TEMPORAL_CODEC_ENDPOINT')).toMatch(/^\$\{OT_CODEC_ENDPOINT:\?set OT_CODEC_ENDPOINT/);
    expect(ui.get('TEMPORAL_CODEC_INCLUDE_CREDENTIALS')).toBe('true');
    expect(environment(svc.get('api')!).get('OT_TEMPORAL_UI_ORIGIN')).toMatch(/^\$\{OT_TEMPORAL_UI_ORIGIN:\?set OT_TEMPORAL_UI_ORIGIN/);
    // Every process that talks to Temporal holds the same payload keys.
    for (const name of ['worker', 'api']) expect(environment(svc.get(name)!).get('OT_PAYLOAD_KEYS')).toBe('${OT_PAYLOAD_KEYS:?set OT_PAYLOAD_KEYS}');
  });

  it('makes a login user per service in PostgreSQL, each with its password from outside, as members of the roles migration 008 grants to', () => {
    const pg = svc.get('postgresql')!;
    const mount = listItems(pg, 'volumes').find((v) => v.includes(':/docker-entrypoint-initdb.d/'))!;
    expect(mount).toMatch(/^\.\/deploy\/postgres\/[\w-]+\.sql:\/docker-entrypoint-initdb\.d\/[\w-]+\.sql:ro$/);
    const init = readFileSync(file(mount.split(':')[0]), 'utf8');
    const grants = readFileSync(file('db', 'migrations', '008_database_roles.sql'), 'utf8');
    const env = environment(pg);
    for (const u of DATABASE_USERS) {
      expect(env.get(u.password)).toBe(`\${${u.password}:?set ${u.password}}`);
      expect(init).toMatch(new RegExp(`\\\\getenv \\w+ ${u.password}\\b`));
      expect(init).toMatch(new RegExp(`'${u.user}'`));
      expect(init).toMatch(new RegExp(`ALTER ROLE ${u.user} PASSWORD :'\\w+'`));
      if (u.group) {
        expect(init).toMatch(new RegExp(`GRANT ${u.group} TO ${u.user};`));
        expect(grants).toMatch(new RegExp(`TO ${u.group}\\b`));
      }
    }
    expect(init).toMatch(/ALTER DATABASE %I OWNER TO ot_migrator/);
    expect(init).not.toMatch(/PASSWORD\s+'/); // no password written in the file
  });

  it('runs our worker (scalable), API and migrations from our image, with commands the build produces', () => {
    const command = (name: string) => value(svc.get(name)!, 'command');
    expect(command('worker')).toBe('["node", "dist/worker/main.js"]');
    expect(command('api')).toBe('["node", "dist/client/api/main.js"]');
    expect(command('migrate')).toBe('["node", "dist/scripts/migrate.js"]');
    for (const source of ['worker/main.ts', 'client/api/main.ts', 'scripts/migrate.ts']) expect(existsSync(file(source))).toBe(true);
    for (const name of ours) expect(value(svc.get(name)!, 'build')).toBe('.');

    const worker = svc.get('worker')!;
    expect(value(worker, 'container_name')).toBeUndefined(); // a fixed name would forbid a second one
    expect(block(worker, 'ports', 4)).toEqual([]);
    const api = svc.get('api')!;
    expect(listItems(api, 'ports')).toEqual(['127.0.0.1:8080:8080']);
    expect(environment(api).get('OT_API_HOST')).toBe('0.0.0.0'); // inside its container, so that the published port reaches it
    // The image runs with NODE_ENV=production: the API's secrets and its host names must be given, never defaulted.
    for (const name of ['OT_SESSION_SECRET', 'OT_SMS_CALLBACK_SECRET', 'OT_API_HOSTS'])
      expect(environment(api).get(name)).toMatch(new RegExp(`^\\$\\{${name}:\\?set ${name}`));
    for (const name of ['worker', 'api']) {
      const dependsOn = block(svc.get(name)!, 'depends_on', 4).join('\n');
      expect(dependsOn).toMatch(/migrate:\s*\n\s*condition: service_completed_successfully/);
      expect(dependsOn).toMatch(/temporal-setup:\s*\n\s*condition: service_completed_successfully/);
    }
  });

  it('gives our services their configuration, each its own database user, and the case-id key only from outside', () => {
    for (const u of DATABASE_USERS) {
      const env = environment(svc.get(u.service)!);
      expect(env.get(u.variable)).toBe(`postgres://${u.user}@postgresql:5432/ot`); // no password in it
      expect(env.get('PGPASSWORD')).toBe(`\${${u.password}:?set ${u.password}}`);
      // Not the superuser's URL, nor another service's, beside it.
      expect([...env.keys()].filter((k) => /DATABASE_URL$/.test(k))).toEqual([u.variable]);
    }
    expect(DATABASE_USERS.map((u) => u.service).sort()).toEqual([...ours].sort());
    expect(new Set(DATABASE_USERS.map((u) => u.user)).size).toBe(DATABASE_USERS.length);
    for (const name of ['worker', 'api']) {
      const env = environment(svc.get(name)!);
      expect(env.get('TEMPORAL_ADDRESS')).toBe('temporal-frontend:7233');
      expect(env.get('TEMPORAL_NAMESPACE')).toMatch(/^\$\{TEMPORAL_NAMESPACE:-[\w-]+\}$/);
      expect(env.get('OT_CASE_ID_KEY')).toBe('${OT_CASE_ID_KEY:?set OT_CASE_ID_KEY}');
      expect(env.get('OT_UNITS_FILE')).toBe('${OT_UNITS_FILE:-}');
    }
  });

  it('hard-codes no secret and no national id', () => {
    // Every secret-looking variable comes from outside: required, or (the SMS gateway's, needed only with
    // the http provider) empty unless given. Never a literal, never a default value.
    for (const [name, service] of svc) {
      for (const [key, v] of environment(service)) {
        if (/PASSWORD|PWD|SECRET|TOKEN|KEY/.test(key)) {
          expect(`${name}.${key}=${v}`).toMatch(/=\$\{[A-Z0-9_]+(:\?[^}]*|:-)\}$/);
        }
      }
    }
    // No URL with a password in it.
    expect(composeText).not.toMatch(/:\/\/[^/\s:@]+:[^/\s@]+@/);
    // No national id (11 digits, possibly written 6+5) in anything that goes into a deployment.
    const deployFiles = ['docker-compose.yml', 'Dockerfile', '.dockerignore'].map((f) => file(f));
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? walk(path.join(dir, f)) : [path.join(dir, f)]));
    deployFiles.push(...walk(file('deploy')));
    for (const f of deployFiles) {
      expect(`${path.relative(PROJECT_ROOT, f)}: ${readFileSync(f, 'utf8')}`).not.toMatch(/(?<!\d)\d{6} ?\d{5}(?!\d)/);
    }
    // Secrets and local data stay out of the image.
    const ignored = readFileSync(file('.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', '.env.*', 'data/', 'node_modules/', 'dist/']));
  });

  it('builds our image as the services expect', () => {
    const dockerfile = readFileSync(file('Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    // The runtime finds the project root by package.json and db/migrations (domain/project-root.ts).
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/db\/migrations \.\/db\/migrations$/m);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/package\.json/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/worker\/main\.js"\]$/m);
  });

  withCompose('is valid for compose, with the secrets given', () => {
    const r = runCompose(['config', '--quiet'], SECRETS);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const listed = runCompose(['config', '--services'], SECRETS);
    expect(listed.status).toBe(0);
    expect(listed.stdout.trim().split('\n').sort()).toEqual([...svc.keys()].sort());
  });

  withCompose("refuses to start without the case-id key, a database password, the API's secrets or the Temporal UI's client secret", () => {
    const required = ['OT_CASE_ID_KEY', 'POSTGRES_PASSWORD', ...DATABASE_USERS.map((u) => u.password), 'TEMPORAL_AUTH_CLIENT_SECRET'];
    for (const missing of [...required, 'OT_SESSION_SECRET', 'OT_SMS_CALLBACK_SECRET', 'OT_API_HOSTS']) {
      const without = runCompose(['config', '--quiet'], secretsWithout(missing));
      expect(without.status).not.toBe(0);
      expect(without.stderr).toMatch(new RegExp(`set ${missing}`));
    }
  });
});
