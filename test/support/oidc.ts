import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApi } from '../../client/api/server';
import { OIDC_CALLBACK_PATH } from '../../schemas/config';
import type { TestStack } from './stack';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../../domain/project-root';

/** A test account at the provider: its password and the claims it signs in with. */
export interface TestAccount {
  password: string;
  claims: Record<string, unknown>;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** What the provider printed on stderr (its warnings and errors), for a failing test to show. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts test/support/oidc-provider.mjs (a real oidc-provider on 127.0.0.1) and waits for its issuer URL. */
export async function startOidcProvider(opts: {
  redirectUris: string[];
  accounts: Record<string, TestAccount>;
  clientId?: string;
  clientSecret?: string;
  /** Profile claims in the ID token too, not only from userinfo. */
  claimsInIdToken?: boolean;
  /** A fixed port, for an issuer URL a test chose before the provider was up; by default a free one. */
  port?: number;
}): Promise<TestOidcProvider> {
  const clientId = opts.clientId ?? 'ot-api-test';
  const clientSecret = opts.clientSecret ?? 'a-client-secret-for-tests-only';
  const script = path.join(PROJECT_ROOT, 'test', 'support', 'oidc-provider.mjs');
  const args = [script, '--client-id', clientId, '--client-secret', clientSecret, ...opts.redirectUris.flatMap((u) => ['--redirect-uri', u])];
  if (opts.port) args.push('--port', String(opts.port));
  const child = spawn(process.execPath, args, {
    env: { ...process.env, OIDC_TEST_ACCOUNTS: JSON.stringify(opts.accounts), OIDC_TEST_CLAIMS_IN_ID_TOKEN: opts.claimsInIdToken ? '1' : '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const issuer = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`oidc-provider.mjs exited with ${code} before printing its issuer:\n${stderr}`)));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    output: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

/**
 * A browser's cookie jar, as much of RFC 6265 as the sign-in needs: cookies belong to a host (not a port, as in
 * browsers: the provider and the API on 127.0.0.1 see each other's cookies) and a path.
 */
export class CookieJar {
  private cookies: StoredCookie[] = [];

  store(url: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let cookiePath = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key, val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path' && val.startsWith('/')) cookiePath = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.host === url.hostname && c.path === cookiePath));
      if (!expired) this.cookies.push({ name, value, host: url.hostname, path: cookiePath });
    }
  }

  header(url: URL): string {
    const pathMatches = (p: string) => url.pathname === p || url.pathname.startsWith(p.endsWith('/') ? p : `${p}/`);
    return this.cookies
      .filter((c) => c.host === url.hostname && pathMatches(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  get(name: string): StoredCookie | undefined {
    return this.cookies.find((c) => c.name === name);
  }

  set(cookie: StoredCookie): void {
    this.cookies = [...this.cookies.filter((c) => !(c.name === cookie.name && c.host === cookie.host && c.path === cookie.path)), cookie];
  }

  delete(name: string): void {
    this.cookies = this.cookies.filter((c) => c.name !== name);
  }
}

/** One request as a browser makes it: the jar's cookies go along, Set-Cookie comes back into the jar, no redirect followed. */
export async function browserRequest(jar: CookieJar, url: URL, form?: Record<string, string>): Promise<Response> {
  const headers: Record<string, string> = {};
  const cookie = jar.header(url);
  if (cookie) headers.cookie = cookie;
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(url, { method: form ? 'POST' : 'GET', headers, body: form ? new URLSearchParams(form) : undefined, redirect: 'manual' });
  jar.store(url, res.headers.getSetCookie());
  return res;
}

/**
 * Signs in as a browser would: from `start` (the API's /auth/oidc/login) through the redirects to the provider, its
 * login form and consent, back to the redirect to `callbackPath`, which it returns without requesting it, so a
 * test can request it once, twice or with other cookies. `abort` cancels at the login form instead.
 */
export async function signInAtProvider(
  jar: CookieJar,
  start: URL,
  account: { login: string; password: string; abort?: boolean },
  callbackPath = '/auth/oidc/callback',
): Promise<URL> {
  let url = start;
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await browserRequest(jar, url, form);
    form = undefined;
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      url = new URL(location, url);
      await res.body?.cancel();
      if (url.pathname === callbackPath) return url;
      continue;
    }
    const body = await res.text();
    if (res.status !== 200) throw new Error(`sign-in stopped at ${url.pathname} with ${res.status}: ${body.slice(0, 300)}`);
    const action = /<form method="post" action="([^"]+)">/.exec(body)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(body)?.[1];
    if (!action || !prompt) throw new Error(`sign-in stopped at ${url.pathname}: no form on the page`);
    if (account.abort) {
      url = new URL(/<a href="([^"]+\/abort)">/.exec(body)![1], url);
      continue;
    }
    url = new URL(action, url);
    form = prompt === 'login' ? { login: account.login, password: account.password } : {};
  }
  throw new Error(`sign-in did not reach ${callbackPath} in 20 steps`);
}

/** A port free now: the provider must know the API's callback URL before either starts. */
function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * The whole API with OpenID Connect sign-in against a real provider on loopback: the provider (with these
 * accounts, their roles in `roles` and units in `ot_units`) and the API on a port chosen first, since each must
 * know the other's address.
 */
export async function startApiWithOidc(
  stack: TestStack,
  accounts: Record<string, TestAccount>,
): Promise<{ api: FastifyInstance; base: URL; provider: TestOidcProvider }> {
  const apiPort = await freePort();
  const base = new URL(`http://127.0.0.1:${apiPort}`);
  const redirectUrl = new URL(OIDC_CALLBACK_PATH, base).toString();
  const provider = await startOidcProvider({ redirectUris: [redirectUrl], accounts });
  const config = {
    ...stack.config,
    oidc: {
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      redirectUrl,
      rolesClaim: 'roles',
      unitsClaim: 'ot_units',
      scopes: ['openid', 'profile'],
    },
  };
  process.env.OT_LOG_LEVEL ??= 'warn';
  const api = await buildApi({ config, pool: stack.pool, client: async () => stack.client });
  await api.listen({ port: apiPort, host: '127.0.0.1' });
  return { api, base, provider };
}
