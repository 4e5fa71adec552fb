import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { addUser } from '../../client/use-cases/users';
import type { Role } from '../../schemas/roles';
import type { TestStack } from './stack';

/** Debian's Chromium (scripts/ensure-chromium.sh installs it); never a browser a test tool downloads. */
export const CHROMIUM_PATH = process.env.OT_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium as this machine runs it: root needs --no-sandbox, and without the background-networking
 * flags Chromium keeps dialling Google's hosts, which the closed network refuses.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh browser profile (its own cookies) at the console's usual size, or a phone's width. */
export async function newContext(browser: Browser, base: string, size: 'desktop' | 'phone' = 'desktop'): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: base,
    viewport: size === 'desktop' ? { width: 1280, height: 800 } : { width: 390, height: 844 },
    // An English browser, as many office machines are: the console's dates and numbers must not follow it.
    locale: 'en-US',
    timezoneId: 'Europe/Oslo',
  });
}

export interface ConsoleUser {
  username: string;
  password: string;
  displayName: string;
}

/** A real local account to sign in with. */
export async function consoleUser(stack: TestStack, u: { role: Role; units?: string[]; displayName?: string }): Promise<ConsoleUser> {
  const username = `${u.role.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const displayName = u.displayName ?? `Test ${u.role}`;
  await addUser(stack.pool, stack.config.units, { username, displayName, role: u.role, units: u.units ?? [] }, password);
  return { username, password, displayName };
}

/** Signs in through the console's own form, from the page the user asked for. */
export async function signIn(page: Page, user: ConsoleUser, path = '/konsoll/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Brukarnamn').fill(user.username);
  await page.getByLabel('Passord').fill(user.password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('button', { name: 'Logg ut' }).waitFor();
}

/** What axe-core finds against WCAG 2.1 A and AA on the page as it is now: one line per violation and node. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}`));
}

/**
 * Script errors, console errors and 5xx answers of a page. The browser's own "failed to load" lines are left out:
 * a 401 before sign-in and a 4xx for bad input are answers the page shows, not faults.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}
