import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { setCalendar } from '../../client/use-cases/calendar';
import { submitImport } from '../../client/use-cases/cohort-import';
import { buildApi } from '../../client/api/server';
import { yearInSteps } from '../../domain/trial-calendar';
import { loadConfig } from '../../runtime/config';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { devServerSearchAttributeArgs } from '../../workflows/search-attributes';
import { youthCaseWorkflowId } from '../../workflows/contracts/youth-case';
import { consoleUser, launchBrowser, newContext, signIn, type ConsoleUser } from '../support/browser';
import { openStack, type TestStack } from '../support/stack';
import { idFactory, transferFile } from '../support/transfer-file';
import { eventually } from '../support/wait';

/**
 * The proof in the Temporal UI itself: a dev server with its UI, told of the API's codec server as
 * `npm start` tells it, shows a case workflow's input decoded to an operator signed in to the console, and
 * only ciphertext to a caseworker, whom the codec server refuses.
 */
const YEAR = 2078;
const nextId = idFactory();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('the Temporal UI through the codec server', () => {
  let server: ChildProcess;
  let stack: TestStack;
  let app: FastifyInstance;
  let browser: Browser;
  let apiBase: string;
  let uiBase: string;
  let workflowId: string;
  let runId: string;
  let operator: ConsoleUser;
  let caseworker: ConsoleUser;

  beforeAll(async () => {
    process.env.OT_LOG_LEVEL ??= 'warn';
    const [port, uiPort, httpPort, metricsPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    // Both on localhost: one site (a site ignores the port), so the console's SameSite=Strict cookie goes with the UI's requests.
    apiBase = `http://localhost:${apiPort}`;
    uiBase = `http://localhost:${uiPort}`;
    server = spawn(
      temporalCliPath(),
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--ui-port',
        String(uiPort),
        '--http-port',
        String(httpPort),
        '--metrics-port',
        String(metricsPort),
        '--ui-codec-endpoint',
        `${apiBase}/codec`,
        '--log-level',
        'never',
        ...devServerSearchAttributeArgs(),
      ],
      { stdio: 'ignore' },
    );
    const base = loadConfig();
    const config = { temporalAddress: `127.0.0.1:${port}`, access: { ...base.access, temporalUiOrigins: [uiBase] } };
    stack = await eventually(() => openStack(config).catch(() => undefined), 'the dev server to answer', 60_000);
    await stack.startWorker();
    app = await buildApi({ config: stack.config, pool: stack.pool, client: async () => stack.client });
    await app.listen({ port: apiPort, host: '127.0.0.1' });
    await eventually(
      () =>
        fetch(uiBase).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        ),
      'the Temporal UI',
      60_000,
    );

    await setCalendar(
      stack,
      YEAR,
      yearInSteps(YEAR, Date.now(), 3_600_000, { otherLetters: 1, autumnCampaign: [2, 3], winterCampaign: [4, 5], schoolYearEnd: 6 }),
    );
    // Test ids are born by 2039 at the latest (makeNationalId), far over the age limit of a cohort so late: let them in.
    await stack.pool.query('UPDATE cohorts SET age_limit = 60 WHERE school_year = $1', [YEAR]);
    const id = nextId('2039-05-15');
    const file = transferFile([{ id, first: 'Vigdis', last: 'Kodeserver' }]);
    await (await submitImport(stack, { fileName: `ui-codec-${YEAR}.csv`, content: file, schoolYear: YEAR, strict: false })).result();
    const caseId = (await stack.pool.query<{ case_id: string }>('SELECT case_id FROM persons WHERE national_id = $1', [id])).rows[0].case_id;
    workflowId = youthCaseWorkflowId(YEAR, caseId);
    runId = (await stack.client.workflow.getHandle(workflowId).describe()).runId;

    operator = await consoleUser(stack, { role: 'operator', displayName: 'Siri Systemansvarleg' });
    caseworker = await consoleUser(stack, { role: 'caseworker', units: ['12250'], displayName: 'Nils Rådgjevar' });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stack?.close();
    server?.kill('SIGTERM');
  });

  /**
   * Signs in to the console, then opens the case's workflow in the UI with the codec settings an operator turns on
   * once per browser (the UI's own localStorage keys): the endpoint `npm start` gives, and cross-origin credentials.
   */
  async function workflowPageAs(user: ConsoleUser): Promise<{ page: Page; codecAnswers: number[] }> {
    const context = await newContext(browser, apiBase);
    const page = await context.newPage();
    await signIn(page, user);
    await context.addInitScript(
      ({ endpoint }) => {
        // Runs in the page, where localStorage is a global (this file is typed for Node).
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
        storage.setItem('endpoint', JSON.stringify(endpoint));
        storage.setItem('includeCredentials', 'true');
        storage.setItem('overrideRemoteCodecConfiguration', 'true');
      },
      { endpoint: `${apiBase}/codec` },
    );
    const codecAnswers: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${apiBase}/codec/decode`) && r.request().method() === 'POST') codecAnswers.push(r.status());
    });
    await page.goto(`${uiBase}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/history`);
    return { page, codecAnswers };
  }

  it("shows an operator the case's input decoded", async () => {
    const { page, codecAnswers } = await workflowPageAs(operator);
    // The calendar in the case's input: readable only once decoded.
    await page.getByText('smsAfterLetters').first().waitFor({ timeout: 60_000 });
    expect(codecAnswers.length).toBeGreaterThan(0);
    expect(codecAnswers.every((s) => s === 200)).toBe(true);
    await page.context().close();
  }, 120_000);

  it('shows a caseworker only ciphertext: the codec server refuses them', async () => {
    const { page, codecAnswers } = await workflowPageAs(caseworker);
    await eventually(async () => (codecAnswers.length > 0 ? true : undefined), 'the UI to ask the codec server', 60_000);
    expect(codecAnswers.every((s) => s === 403)).toBe(true);
    // The payload as stored: its metadata names the encrypted encoding (base64 of binary/encrypted in the UI).
    await page
      .getByText(/binary\/encrypted|YmluYXJ5L2VuY3J5cHRlZA/)
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await page.locator('body').innerText()).not.toContain('smsAfterLetters');
    await page.context().close();
  }, 120_000);
});
