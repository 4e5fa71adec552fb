import type { FastifyInstance } from 'fastify';
import { browserRequest, CookieJar, signInAtProvider, startApiWithOidc, type TestOidcProvider } from '../support/oidc';
import { openStack, type TestStack } from '../support/stack';

/**
 * Sign-in through a real OpenID Connect provider on loopback into the whole API: the account is made from the
 * provider's claims, the session works like a local one, and the policy holds for it.
 */
let stack: TestStack;
let provider: TestOidcProvider;
let api: FastifyInstance;
let base: URL;

beforeAll(async () => {
  stack = await openStack();
  ({ api, base, provider } = await startApiWithOidc(stack, {
    nils: { password: 'nils-passord', claims: { name: 'Nils Rådgjevar', roles: ['caseworker'], ot_units: ['12250'] } },
    ukjend: { password: 'ukjend-passord', claims: { name: 'Ukjend Rolle', roles: ['gjest'], ot_units: ['12250'] } },
  }));
});
afterAll(async () => {
  await api.close();
  await provider.stop();
  await stack.close();
});

it('signs a caseworker in through the provider: their account, role and units come from its claims', async () => {
  const jar = new CookieJar();
  const callback = await signInAtProvider(jar, new URL('/auth/oidc/login?returnTo=/auth/me', base), { login: 'nils', password: 'nils-passord' });
  const back = await browserRequest(jar, callback);
  expect([back.status, back.headers.get('location')]).toEqual([302, '/auth/me']);
  const me = await browserRequest(jar, new URL('/auth/me', base));
  expect(me.status).toBe(200);
  expect(((await me.json()) as { user: unknown }).user).toMatchObject({ displayName: 'Nils Rådgjevar', role: 'caseworker', units: ['12250'] });
  expect((await browserRequest(jar, new URL('/users', base))).status).toBe(403);
  const user = await stack.pool.query('SELECT role, units, password_hash FROM users WHERE oidc_subject = $1', ['nils']);
  expect(user.rows).toEqual([{ role: 'caseworker', units: ['12250'], password_hash: null }]);
});

it('refuses someone whose claims name no role of this system, and gives them no session', async () => {
  const jar = new CookieJar();
  const callback = await signInAtProvider(jar, new URL('/auth/oidc/login', base), { login: 'ukjend', password: 'ukjend-passord' });
  const back = await browserRequest(jar, callback);
  expect(back.status).toBe(400);
  expect(((await back.json()) as { error: string }).error).toMatch(/no role this system knows/);
  expect((await browserRequest(jar, new URL('/auth/me', base))).status).toBe(401);
});
