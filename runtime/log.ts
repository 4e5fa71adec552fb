import pino from 'pino';

/** One logger for every process. Log lines carry case ids and units, never a national id or a name. */
export const logger = pino({ level: process.env.OT_LOG_LEVEL ?? 'info', base: { service: process.env.OT_SERVICE ?? 'ot' } });
