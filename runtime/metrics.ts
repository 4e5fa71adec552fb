import { createServer, type Server } from 'node:http';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { casesByStage, importProgress, inboxWaiting, lettersByUnit, mailingProgress, smsByStatus } from '../db/metric-counts';
import { logger } from './log';

/**
 * The application's own Prometheus metrics (the README lists them with the alarm each would raise). One registry per
 * process, served at /metrics by serveMetrics; the worker appends the Temporal SDK's own metrics to the same page.
 * Labels are units, stages, statuses, routes and ids of imports and mailings: never a person.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** The API's answer time by route pattern (`/cases/:caseId`, never the id itself), method and status code. */
export const apiRequestSeconds = new Histogram({
  name: 'ot_api_request_duration_seconds',
  help: 'HTTP API answer time by route pattern, method and status code',
  labelNames: ['route', 'method', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** Each try at the SMS gateway and how it ended: the worker's view, per send, beside the stored messages' gauge. */
export const smsGatewaySends = new Counter({
  name: 'ot_sms_gateway_sends_total',
  help: "Sends handed to the SMS gateway by provider and result (the gateway's answer; failed; retrying: no answer yet, tried again)",
  labelNames: ['provider', 'result'] as const,
  registers: [registry],
});

const readModelErrors = new Counter({
  name: 'ot_read_model_scrape_errors_total',
  help: 'Read-model gauges that could not be read from PostgreSQL at a scrape',
  labelNames: ['gauge'] as const,
  registers: [registry],
});

/**
 * Gauges of the read model, read from PostgreSQL at each scrape. One process per deployment needs them (the API
 * registers them); a failed read leaves the gauge empty for that scrape and counts the error, so /metrics still answers.
 */
export function registerReadModelGauges(pool: Pool): void {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], fill: (g: Gauge<L>) => Promise<void>) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await fill(this).catch((err) => {
          readModelErrors.inc({ gauge: name });
          logger.warn({ gauge: name, err: (err as Error).message }, 'metrics: a read-model gauge could not be read');
        });
      },
    });
  const year = (y: number) => String(y);

  gauge('ot_cases', 'Cases by school year, unit and stage', ['school_year', 'unit', 'stage'], async (g) => {
    for (const r of await casesByStage(pool)) g.set({ school_year: year(r.schoolYear), unit: r.unit, stage: r.stage }, r.cases);
  });
  gauge('ot_letters', 'Letters laid out in batches (printed) and in batches confirmed sent', ['school_year', 'unit', 'state'], async (g) => {
    for (const r of await lettersByUnit(pool)) {
      g.set({ school_year: year(r.schoolYear), unit: r.unit, state: 'printed' }, r.printed);
      g.set({ school_year: year(r.schoolYear), unit: r.unit, state: 'confirmed' }, r.confirmed);
    }
  });
  gauge('ot_sms_messages', 'SMS messages by school year, unit, step and status', ['school_year', 'unit', 'step', 'status'], async (g) => {
    for (const r of await smsByStatus(pool)) g.set({ school_year: year(r.schoolYear), unit: r.unit, step: r.step, status: r.status }, r.messages);
  });
  gauge('ot_sms_inbox_waiting', 'SMS replies that matched no case and wait for office staff', [], async (g) => {
    g.set(await inboxWaiting(pool));
  });
  gauge('ot_import_cases', 'Cases of recent imports: all, and those whose workflow has started', ['import_id', 'school_year', 'state'], async (g) => {
    for (const r of await importProgress(pool)) {
      g.set({ import_id: r.id, school_year: year(r.schoolYear), state: 'total' }, r.total);
      g.set({ import_id: r.id, school_year: year(r.schoolYear), state: 'started' }, r.done);
    }
  });
  gauge(
    'ot_mass_operation_cases',
    'Cases of recent mass operations (a confirmed mailing): all, and those signalled',
    ['mailing_id', 'kind', 'school_year', 'unit', 'state'],
    async (g) => {
      for (const r of await mailingProgress(pool)) {
        const labels = { mailing_id: r.id, kind: r.kind ?? '', school_year: year(r.schoolYear), unit: r.unit ?? '' };
        g.set({ ...labels, state: 'total' }, r.total);
        g.set({ ...labels, state: 'signalled' }, r.done);
      }
    },
  );
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics on a port of its own, apart from the API's: Prometheus scrapes it without signing in, so it is bound to
 * loopback unless OT_METRICS_HOST says otherwise, and holds nothing but counts. `extra` adds another exposition (the
 * Temporal SDK's) to the same page.
 */
export async function serveMetrics(options: { host: string; port: number; extra?: () => Promise<string> }): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics is here\n');
      return;
    }
    void (async () => {
      try {
        const [own, extra] = await Promise.all([registry.metrics(), options.extra?.() ?? Promise.resolve('')]);
        res.writeHead(200, { 'content-type': registry.contentType }).end(extra ? `${own}\n${extra}` : own);
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'metrics: the page could not be made');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
