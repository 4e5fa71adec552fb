import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { accessibilityViolations, launchBrowser, newContext, watchProblems } from '../support/browser';
import { startApiWithOidc, type TestOidcProvider } from '../support/oidc';
import { openStack, type TestStack } from '../support/stack';

/** Sign-in to the console through the county's identity provider: a real oidc-provider on loopback, in Chromium. */
let stack: TestStack;
let provider: TestOidcProvider;
let api: FastifyInstance;
let base: URL;
let browser: Browser;

beforeAll(async () => {
  stack = await openStack();
  ({ api, base, provider } = await startApiWithOidc(stack, {
    ingrid: { password: 'ingrid-passord', claims: { name: 'Ingrid Rådgjevar', roles: ['caseworker'], ot_units: ['12256'] } },
  }));
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
