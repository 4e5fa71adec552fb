import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { registerIdempotency } from '../../client/api/idempotency';
import { createPool } from '../../db/pool';
import { loadConfig } from '../../runtime/config';

/** The Idempotency-Key hooks on a small Fastify app of their own, against the run's throwaway database. */

type Signed = FastifyRequest & { testWho?: { id: string } };

let pool: Pool;
let app: FastifyInstance;
let strictApp: FastifyInstance;
/** How often each handler ran, per principal: `route:principal`. */
const calls = new Map<string, number>();
let gate: Gate;

/** Holds each handler that waits on it until released; `entered(n)` resolves once n requests are inside. */
interface Gate {
  entered: (n: number) => Promise<void>;
  /** Lets the nth request in (1-based) go on; without n, all of them, now and later. */
  release: (n?: number) => void;
  wait: () => Promise<void>;
}

function count(route: string, req: FastifyRequest): number {
  const name = `${route}:${(req as Signed).testWho?.id ?? 'nobody'}`;
  const n = (calls.get(name) ?? 0) + 1;
  calls.set(name, n);
  return n;
}
const callsOf = (route: string, principal: string) => calls.get(`${route}:${principal}`) ?? 0;

function newGate(): Gate {
  const inside: (() => void)[] = [];
  const watchers: { n: number; resolve: () => void }[] = [];
  let all = false;
  return {
    entered: (n) => new Promise<void>((resolve) => (inside.length >= n ? resolve() : watchers.push({ n, resolve }))),
    release: (n) => {
      if (n === undefined) all = true;
      for (const [i, go] of inside.entries()) if (n === undefined || n === i + 1) go();
    },
    wait: () =>
      new Promise<void>((go) => {
        inside.push(go);
        for (const w of watchers.filter((x) => x.n <= inside.length)) w.resolve();
        if (all) go();
      }),
  };
}

async function buildApp(required: boolean): Promise<FastifyInstance> {
  const api = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  api.setValidatorCompiler(validatorCompiler);
  api.setSerializerCompiler(serializerCompiler);
  // Stands in for the sign-in layer: a preHandler added before the idempotency hooks, as the API will have.
  api.addHook('preHandler', async (req) => {
    const id = req.headers['x-principal'];
    if (typeof id === 'string') (req as Signed).testWho = { id };
  });
  registerIdempotency(api, { pool, principal: (req) => (req as Signed).testWho?.id, required });

  api.post('/notes', async (req, reply) => {
    const text = (req.body as { text: string }).text;
    const r = await pool.query('INSERT INTO idem_test_notes (principal, text) VALUES ($1, $2) RETURNING id', [
      (req as Signed).testWho?.id ?? 'nobody',
      text,
    ]);
    return reply
      .code(201)
      .header('location', `/notes/${r.rows[0].id}`)
      .send({ id: r.rows[0].id as number, text });
  });
  api.get('/notes', async () => ({ ok: true }));
  api.post('/typed', { schema: { body: z.object({ a: z.number(), b: z.number() }) } }, async (req) => ({
    sum: req.body.a + req.body.b,
    n: count('typed', req),
  }));
  api.post('/held', async (req) => {
    await gate.wait();
    return { n: count('held', req) };
  });
  api.post('/flaky', async (req) => {
    const n = count('flaky', req);
    if (n === 1) throw new Error('the database went away');
    return { n };
  });
  api.post('/refused', async (req, reply) => reply.code(404).send({ error: 'case 42 is not known', n: count('refused', req) }));
  api.post('/must', { config: { idempotency: 'required' } }, async (req) => ({ n: count('must', req) }));
  api.post('/optional', { config: { idempotency: 'optional' } }, async (req) => ({ n: count('optional', req) }));
  api.post('/download', async (req, reply) => reply.type('text/csv').send(Readable.from([`n;${count('download', req)}\n`])));
  api.post('/off', { config: { idempotency: 'off' } }, async (req) => ({ n: count('off', req) }));
  baseUrls.set(api, await api.listen({ host: '127.0.0.1', port: 0 }));
  return api;
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: string;
  json: () => any;
}

/**
 * Over real HTTP rather than app.inject(): light-my-request 6.8 require()s cookie 2, which is ESM only, and
 * jest cannot load that on Node 20.
 */
async function send(api: FastifyInstance, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const r = await fetch(`${baseUrls.get(api)}${url}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { statusCode: r.status, headers: Object.fromEntries(r.headers.entries()), body: text, json: () => JSON.parse(text) };
}
const baseUrls = new Map<FastifyInstance, string>();

const post = (url: string, principal: string | undefined, key: string | undefined, body: unknown = {}) =>
  send(app, 'POST', url, { ...(principal ? { 'x-principal': principal } : {}), ...(key !== undefined ? { 'idempotency-key': key } : {}) }, body);

const notesOf = async (principal: string) =>
  (await pool.query('SELECT text FROM idem_test_notes WHERE principal = $1 ORDER BY id', [principal])).rows.map((r) => r.text as string);
const keysOf = async (principal: string) =>
  (await pool.query('SELECT key FROM idempotency_keys WHERE principal = $1 ORDER BY key', [principal])).rows.map((r) => r.key as string);

beforeAll(async () => {
  pool = createPool(loadConfig().databaseUrl);
  await pool.query('CREATE TABLE IF NOT EXISTS idem_test_notes (id serial PRIMARY KEY, principal text NOT NULL, text text NOT NULL)');
  app = await buildApp(false);
  strictApp = await buildApp(true);
});

afterAll(async () => {
  await app?.close();
  await strictApp?.close();
  await pool?.end();
});

beforeEach(() => {
  gate = newGate();
});

test('the same POST twice has one effect, and the retry gets the first answer with the replay header', async () => {
  const who = `user-${randomUUID()}`;
  const first = await post('/notes', who, 'k-1', { text: 'ring etter kl 16' });
  const again = await post('/notes', who, 'k-1', { text: 'ring etter kl 16' });
  expect(first.statusCode).toBe(201);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  expect(again.statusCode).toBe(201);
  expect(again.body).toBe(first.body);
  expect(again.headers['content-type']).toBe(first.headers['content-type']);
  expect(again.headers.location).toBe(first.headers.location);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(await notesOf(who)).toEqual(['ring etter kl 16']);
});

test('a 4xx answer is kept too: the handler runs once', async () => {
  const who = `user-${randomUUID()}`;
  const first = await post('/refused', who, 'k-404');
  const again = await post('/refused', who, 'k-404');
  expect([first.statusCode, again.statusCode]).toEqual([404, 404]);
  expect(again.body).toBe(first.body);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(callsOf('refused', who)).toBe(1);
});

test('the same key with a different body or URL is refused with 422 naming the header, and changes nothing', async () => {
  const who = `user-${randomUUID()}`;
  await post('/notes', who, 'k-2', { text: 'first' });
  const otherBody = await post('/notes', who, 'k-2', { text: 'second' });
  expect(otherBody.statusCode).toBe(422);
  expect(otherBody.json().error).toMatch(/^Idempotency-Key header: this key was already used for a different request/);
  const otherUrl = await post('/refused', who, 'k-2', { text: 'first' });
  expect(otherUrl.statusCode).toBe(422);
  expect(callsOf('refused', who)).toBe(0);
  expect(await notesOf(who)).toEqual(['first']);
});

test('the body is compared as sent (before validation strips it), with its keys in any order', async () => {
  const who = `user-${randomUUID()}`;
  const first = await post('/typed', who, 'k-typed', { a: 1, b: 2 });
  const reordered = await post('/typed', who, 'k-typed', { b: 2, a: 1 });
  const extra = await post('/typed', who, 'k-typed', { a: 1, b: 2, c: 3 });
  expect(first.json()).toEqual({ sum: 3, n: 1 });
  expect(reordered.headers['idempotent-replayed']).toBe('true');
  expect(reordered.body).toBe(first.body);
  expect(extra.statusCode).toBe(422);
  expect(callsOf('typed', who)).toBe(1);
});

test('of two concurrent requests with the same key one runs and the other is told it is still being processed', async () => {
  const who = `user-${randomUUID()}`;
  const a = post('/held', who, 'k-3');
  const b = post('/held', who, 'k-3');
  // The one that did not get the key answers while the other is held in its handler.
  const refused = await Promise.race([a, b]);
  expect(refused.statusCode).toBe(409);
  expect(refused.json().error).toBe('a request with this Idempotency-Key is still being processed');
  gate.release();
  const statuses = (await Promise.all([a, b])).map((r) => r.statusCode).sort();
  expect(statuses).toEqual([200, 409]);
  expect(callsOf('held', who)).toBe(1);
  const later = await post('/held', who, 'k-3');
  expect(later.headers['idempotent-replayed']).toBe('true');
  expect(later.json()).toEqual({ n: 1 });
});

test('a 5xx releases the key: the retry runs again, and its answer is the one kept', async () => {
  const who = `user-${randomUUID()}`;
  const failed = await post('/flaky', who, 'k-5xx');
  expect(failed.statusCode).toBe(500);
  expect(await keysOf(who)).toEqual([]);
  const retried = await post('/flaky', who, 'k-5xx');
  expect(retried.statusCode).toBe(200);
  expect(retried.headers['idempotent-replayed']).toBeUndefined();
  const again = await post('/flaky', who, 'k-5xx');
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.json()).toEqual({ n: 2 });
  expect(callsOf('flaky', who)).toBe(2);
});

test('a streamed answer is not kept: the retry is refused with 409 and does not run again', async () => {
  const who = `user-${randomUUID()}`;
  const first = await post('/download', who, 'k-csv');
  expect([first.statusCode, first.body]).toEqual([200, 'n;1\n']);
  const again = await post('/download', who, 'k-csv');
  expect(again.statusCode).toBe(409);
  expect(again.json().error).toMatch(/its answer was a stream and cannot be sent again; it was not run again$/);
  expect(callsOf('download', who)).toBe(1);
});

test('different principals with the same key do not collide', async () => {
  const kari = `user-${randomUUID()}`;
  const nils = `token-${randomUUID()}`;
  const a = await post('/notes', kari, 'shared-key', { text: 'kari' });
  const b = await post('/notes', nils, 'shared-key', { text: 'nils' });
  expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
  expect(b.headers['idempotent-replayed']).toBeUndefined();
  expect(await notesOf(kari)).toEqual(['kari']);
  expect(await notesOf(nils)).toEqual(['nils']);
});

test('a key that is empty, too long or holds a space is refused with 400 naming the header, and nothing runs', async () => {
  const who = `user-${randomUUID()}`;
  for (const key of ['', 'x'.repeat(201), 'two words']) {
    const r = await post('/notes', who, key, { text: 'never' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toBe('Idempotency-Key header must be one value of 1 to 200 visible ASCII characters (no spaces)');
  }
  expect(await notesOf(who)).toEqual([]);
  expect((await post('/notes', who, `~!${'x'.repeat(198)}`, { text: 'fine' })).statusCode).toBe(201);
});

test('expired keys are deleted by the next claim, and their key is free again', async () => {
  const who = `user-${randomUUID()}`;
  await post('/notes', who, 'k-old', { text: 'old' });
  await post('/notes', who, 'k-recent', { text: 'recent' });
  await pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE principal = $1 AND key = 'k-old'`, [who]);
  await pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '23 hours' WHERE principal = $1 AND key = 'k-recent'`, [who]);
  // Anyone's claim cleans up.
  await post('/notes', `user-${randomUUID()}`, 'k-other', { text: 'someone else' });
  expect(await keysOf(who)).toEqual(['k-recent']);
  const reused = await post('/notes', who, 'k-old', { text: 'a new request' });
  expect(reused.statusCode).toBe(201);
  expect(reused.headers['idempotent-replayed']).toBeUndefined();
  expect((await post('/notes', who, 'k-recent', { text: 'recent' })).headers['idempotent-replayed']).toBe('true');
  expect(await notesOf(who)).toEqual(['old', 'recent', 'a new request']);
});

test('a claim abandoned mid-request is taken over by a retry; the abandoned request cannot overwrite its answer', async () => {
  const who = `user-${randomUUID()}`;
  const abandoned = post('/held', who, 'k-crash');
  await gate.entered(1);
  await pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '11 minutes' WHERE principal = $1`, [who]);
  const retry = post('/held', who, 'k-crash');
  // Both inside the handler: the retry holds the claim now. It answers first, the abandoned request after it.
  await gate.entered(2);
  gate.release(2);
  const taken = await retry;
  gate.release(1);
  const late = await abandoned;
  expect([late.statusCode, taken.statusCode]).toEqual([200, 200]);
  expect(taken.headers['idempotent-replayed']).toBeUndefined();
  const third = await post('/held', who, 'k-crash');
  expect(third.headers['idempotent-replayed']).toBe('true');
  expect(third.body).toBe(taken.body);
  expect(third.body).not.toBe(late.body);
});

test('requests without a principal, routes set off, and reads are not cached', async () => {
  const who = `user-${randomUUID()}`;
  await post('/notes', undefined, 'k-anon', { text: 'anon' });
  const anon = await post('/notes', undefined, 'k-anon', { text: 'anon' });
  expect(anon.headers['idempotent-replayed']).toBeUndefined();
  await post('/off', who, 'k-off');
  const off = await post('/off', who, 'k-off');
  expect(off.json()).toEqual({ n: 2 });
  const read = await send(app, 'GET', '/notes', { 'x-principal': who, 'idempotency-key': 'k-read' });
  expect(read.statusCode).toBe(200);
  expect(await keysOf(who)).toEqual([]);
});

test('a write without the header is refused where the key is required: by the route, or by the option unless the route says otherwise', async () => {
  const who = `user-${randomUUID()}`;
  const bare = await post('/must', who, undefined);
  expect(bare.statusCode).toBe(400);
  expect(bare.json()).toEqual({ error: 'Idempotency-Key header is required' });
  expect(callsOf('must', who)).toBe(0);
  expect((await post('/must', who, 'k-must')).statusCode).toBe(200);
  expect((await post('/notes', who, undefined, { text: 'no key needed here' })).statusCode).toBe(201);

  const strict = (url: string, key?: string) =>
    send(strictApp, 'POST', url, { 'x-principal': who, ...(key ? { 'idempotency-key': key } : {}) }, { text: 'strict' });
  expect((await strict('/notes')).json()).toEqual({ error: 'Idempotency-Key header is required' });
  expect((await strict('/notes', 'k-strict')).statusCode).toBe(201);
  expect((await strict('/optional')).statusCode).toBe(200);
  expect((await send(strictApp, 'GET', '/notes', { 'x-principal': who })).statusCode).toBe(200);
});
