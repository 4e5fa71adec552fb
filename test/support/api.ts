import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { buildApi } from '../../client/api/server';
import { addUser, createApiToken } from '../../client/use-cases/users';
import type { Role } from '../../schemas/roles';
import type { TestStack } from './stack';

export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export type ApiCall = (method: string, url: string, payload?: unknown, headers?: Record<string, string>) => Promise<ApiAnswer>;

/** The real API on a free loopback port, over the test's stack. */
export async function startApi(stack: TestStack): Promise<{ app: FastifyInstance; url: string }> {
  // Each request's log line only with OT_LOG_LEVEL=info: the run's output stays readable.
  process.env.OT_LOG_LEVEL ??= 'warn';
  const app = await buildApi({ config: stack.config, pool: stack.pool, client: async () => stack.client });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

/** A fetch with JSON in and out, against the API at `base`. */
export function caller(base: string, auth: Record<string, string> = {}): ApiCall {
  return async (method, url, payload, headers = {}) => {
    // A string goes as it is (a transfer file, a list: text/csv); anything else as JSON.
    const type: Record<string, string> =
      payload === undefined ? {} : { 'content-type': typeof payload === 'string' ? 'text/csv' : 'application/json' };
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...auth, ...type, ...headers },
      body: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    return { status: res.status, body, headers: res.headers };
  };
}

/** A real account of the given role and units with an API token: a caller that acts as them. */
export async function userWithToken(
  stack: TestStack,
  base: string,
  u: { role: Role; units?: string[]; name?: string },
): Promise<{ username: string; displayName: string; call: ApiCall }> {
  const username = `${u.role.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  const displayName = u.name ?? `Test ${u.role}`;
  await addUser(stack.pool, stack.config.units, { username, displayName, role: u.role, units: u.units ?? [] }, randomBytes(12).toString('hex'));
  const { token } = await createApiToken(stack.pool, username, { name: 'test' });
  return { username, displayName, call: caller(base, { authorization: `Bearer ${token}` }) };
}
