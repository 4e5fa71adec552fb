import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { buildApi } from '../../client/api/server';
import { OIDC_CALLBACK_PATH } from '../../schemas/config';
import { accessibilityViolations, launchBrowser, newContext, watchProblems } from '../support/browser';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc';
import { openStack, type TestStack } from '../support/stack';

/** Sign-in to the console through the county's identity provider: a real oidc-provider on loopback, in Chromium. */
let stack: TestStack;
let provider: TestOidcProvider;
let api: FastifyInstance;
let base: URL;
let browser: Browser;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  stack = await openStack();
  const apiPort = await freePort();
  base = new URL(`http://127.0.0.1:${apiPort}`);
  const redirectUrl = new URL(OIDC_CALLBACK_PATH, base).toString();
  provider = await startOidcProvider({
    redirectUris: [redirectUrl],
    accounts: { ingrid: { password: 'ingrid-passord', claims: { name: 'Ingrid Rådgjevar', roles: ['caseworker'], ot_units: ['12256'] } } },
  });
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
  api = await buildApi({ config, pool: stack.pool, client: async () => stack.client });
  await api.listen({ port: apiPort, host: '127.0.0.1' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await provider?.stop();
  await stack?.close();
});

it('signs a caseworker in through the provider from the console, and back to the page they asked for', async () => {
  const context = await newContext(browser, base.origin);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto('/konsoll/meg');
  const link = page.getByRole('link', { name: 'Logg inn med fylkeskommunen sin innlogging' });
  await link.waitFor();
  expect(await accessibilityViolations(page)).toEqual([]);
  await link.click();

  // The provider's own pages: its login form, then consent.
  await page.waitForURL((url) => url.origin === new URL(provider.issuer).origin);
  await page.locator('input[name=login]').fill('ingrid');
  await page.locator('input[name=password]').fill('ingrid-passord');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();

  await page.getByRole('heading', { name: 'Meg' }).waitFor();
  expect(new URL(page.url()).pathname).toBe('/konsoll/meg');
  const main = await page.getByRole('main').innerText();
  expect(main).toContain('Ingrid Rådgjevar');
  expect(main).toContain('12256');
  expect(problems).toEqual([]);
  await context.close();
});
