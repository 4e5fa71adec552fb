import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where the console lives: its pages are paths under this prefix, so none can be taken for an API path. */
export const CONSOLE_PREFIX = '/konsoll/';

/**
 * Serves the built console (client/console, built by `npm run build` into dist/console) from the API
 * process: its hashed assets as immutable files, and index.html for every page path, where the app's own
 * router takes over. `/` sends a browser to the console. Public: the files hold no data; the data come from
 * the API behind sign-in.
 */
export function registerConsole(app: FastifyInstance, opts: { dir: string }): void {
  const index = path.join(opts.dir, 'index.html');
  // Only reply.sendFile: our own routes decide what is a file and what is a page.
  void app.register(fastifyStatic, { root: opts.dir, serve: false, index: false, cacheControl: false });

  app.get('/', { schema: { hide: true }, config: { access: { public: true } } }, async (_req, reply) => reply.redirect(CONSOLE_PREFIX));
  app.get('/konsoll', { schema: { hide: true }, config: { access: { public: true } } }, async (_req, reply) => reply.redirect(CONSOLE_PREFIX));
  app.get<{ Params: { '*': string } }>(
    `${CONSOLE_PREFIX}*`,
    { schema: { hide: true }, config: { access: { public: true }, rateLimit: false } },
    async (req, reply) => {
      if (!existsSync(index)) {
        return reply.code(503).send({ error: 'the console is not built: run npm run build' });
      }
      const wanted = req.params['*'];
      const file = path.normalize(wanted);
      const isAsset = file.startsWith('assets/') && !file.includes('..') && isFile(path.join(opts.dir, file));
      if (isAsset) return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(file);
      // A missing asset is a 404, never the page (a stale tab asking for an old bundle would get HTML as script).
      if (file.startsWith('assets/')) return reply.code(404).send({ error: 'no such file' });
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
    },
  );
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
