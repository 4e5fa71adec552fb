import pino, { type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

/**
 * How log lines are written: human-readable on a terminal (`npm start`, whose processes share its terminal), one JSON
 * object a line otherwise (a service manager, a container, a test reading the output). OT_LOG_FORMAT=json|pretty decides.
 */
const prettyLines = (process.env.OT_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';

/** A logger with this process's format; the API gives Fastify one of these, with its own redactions. */
export function createLogger(options: LoggerOptions = {}): pino.Logger {
  const settings = { level: process.env.OT_LOG_LEVEL ?? 'info', base: { service: process.env.OT_SERVICE ?? 'ot' }, ...options };
  // sync: a line logged just before process.exit (a worker that cannot start) still reaches the terminal.
  return prettyLines ? pino(settings, pretty({ colorize: true, sync: true, ignore: 'pid,hostname' })) : pino(settings);
}

/** One logger for every process. Log lines carry case ids and units, never a national id or a name. */
export const logger = createLogger();
