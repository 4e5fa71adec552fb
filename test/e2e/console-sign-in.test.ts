import type { Browser } from 'playwright-core';
import { accessibilityViolations, consoleUser, launchBrowser, newContext, signIn, watchProblems, type ConsoleUser } from '../support/browser';
import { startApi } from '../support/api';
import { openStack, type TestStack } from '../support/stack';

/** The console's frame: sign-in, the menu of what a role may do, who am I and the language, sign-out, a lost session. */
describe('the console: sign-in and the frame', () => {
  let stack: TestStack;
  let api: Awaited<ReturnType<typeof startApi>>;
  let browser: Browser;
  let caseworker: ConsoleUser;
  let leader: ConsoleUser;

  beforeAll(async () => {
    stack = await openStack();
    api = await startApi(stack);
    browser = await launchBrowser();
    caseworker = await consoleUser(stack, { role: 'caseworker', units: ['12250'], displayName: 'Kari Rådgjevar' });
    leader = await consoleUser(stack, { role: 'leader', displayName: 'Lise Leiar' });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.app.close();
    await stack?.close();
  });

  it('serves the console at / and sends a visitor to sign-in, then back to the page asked for', async () => {
    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto('/');
    await page.waitForURL(/\/konsoll\/logg-inn\?til=%2F$/);
    await page.goto('/konsoll/meg');
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    expect(page.url()).toContain('til=%2Fmeg');
    expect(await accessibilityViolations(page)).toEqual([]);

    // A wrong password: the API's reason, and the user name stays typed.
    await page.getByLabel('Brukarnamn').fill(caseworker.username);
    await page.getByLabel('Passord').fill('not the password at all');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/Innlogginga gjekk ikkje/);
    expect(await page.getByLabel('Brukarnamn').inputValue()).toBe(caseworker.username);

    await page.getByLabel('Passord').fill(caseworker.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { name: 'Meg' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/konsoll/meg');
    expect(await page.getByRole('main').innerText()).toContain('OT-rådgjevar');
    expect(await page.getByRole('main').innerText()).toContain('12250');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers each role only its pages, switches the language per user and signs out', async () => {
    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    await signIn(page, caseworker);
    const menu = page.getByRole('navigation', { name: 'Hovudmeny' });
    expect(await menu.getByRole('link').allInnerTexts()).toEqual([
      'Saker',
      'Ringjeliste',
      'Svar som ventar',
      'Tilbake til VIGO',
      'Fristar',
      'Oversikt',
    ]);

    await page.goto('/konsoll/meg');
    await page.getByLabel('Bokmål').click();
    await page.getByRole('navigation', { name: 'Hovedmeny' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('nb');
    // The choice belongs to the account: a new browser signed in as the same user gets Bokmål too.
    const other = await newContext(browser, api.url);
    const second = await other.newPage();
    await signIn(second, caseworker);
    await second.getByRole('navigation', { name: 'Hovedmeny' }).waitFor();
    await second.goto('/konsoll/meg');
    await second.getByLabel('Nynorsk').click();
    await second.getByRole('navigation', { name: 'Hovudmeny' }).waitFor();
    await other.close();

    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    await context.close();

    const leaderContext = await newContext(browser, api.url);
    const leaderPage = await leaderContext.newPage();
    await signIn(leaderPage, leader);
    expect(new URL(leaderPage.url()).pathname).toBe('/konsoll/oversikt');
    expect(await leaderPage.getByRole('navigation', { name: 'Hovudmeny' }).getByRole('link').allInnerTexts()).toEqual(['Over fristen', 'Oversikt']);
    await leaderContext.close();
  });

  it('returns to sign-in when the session ends, and then to the same page', async () => {
    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    await signIn(page, caseworker, '/konsoll/meg');
    await page.getByRole('heading', { name: 'Meg' }).waitFor();
    // The session ends behind the page's back (another tab signed out): the next request finds it gone.
    await stack.pool.query('DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE username = $1)', [caseworker.username]);
    await page.getByLabel('Bokmål').click();
    await page.getByRole('heading', { name: 'Logg inn' }).waitFor();
    expect(page.url()).toContain('til=%2Fmeg');
    await page.getByLabel('Brukarnamn').fill(caseworker.username);
    await page.getByLabel('Passord').fill(caseworker.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { name: 'Meg' }).waitFor();
    await context.close();
  });

  it('answers an unknown console asset with 404, not the page, and serves assets as immutable', async () => {
    const missing = await fetch(`${api.url}/konsoll/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
    const page = await fetch(`${api.url}/konsoll/saker`);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    // A local stack on plain http: no upgrade to https, which would leave the page without its script off loopback.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    const html = await page.text();
    const script = /src="(\/konsoll\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${api.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('shows the API documentation at /docs without a blocked style or script, every route listed', async () => {
    const context = await newContext(browser, api.url);
    const page = await context.newPage();
    const problems = watchProblems(page);
    const blocked: string[] = [];
    // A CSP violation is reported as a console error in Chromium; the event names what was refused.
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await page.goto('/docs');
    await page.locator('.opblock-summary-path').first().waitFor();
    const listed = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(listed).toEqual(expect.arrayContaining(['/cases/{caseId}', '/auth/me', '/health']));
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
