import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the fake gateway does with one POST:
 * - ok: deliver (once per key) and answer 200 with the key's first messageId
 * - fail500: answer 500, deliver nothing
 * - busy429: answer 429 (throttled), deliver nothing
 * - reject400: answer 400 with a description that echoes the number, as careless gateways do
 * - hang: deliver, then never answer (the socket stays open until the client gives up)
 * - stall: neither deliver nor answer
 * - late: deliver, then answer only after lateMs, when the client has given up
 */
export type FakeStep = 'ok' | 'fail500' | 'busy429' | 'reject400' | 'hang' | 'stall' | 'late';

export interface FakeKeyStats {
  /** Raw POSTs that carried the key, whatever happened to them. */
  posts: number;
  /** Texts that reached the handset for the key: the dedupe keeps this at most 1. */
  deliveries: number;
  /** POSTs that arrived after a 2xx for the key had reached the client: a correct sender makes none. */
  postsAfterAnswer: number;
  /** The body of every POST, in order. */
  bodies: string[];
  /** What the handset got. */
  delivered?: { to: string; body: string; messageId: string };
}

export interface FakeSmsGateway {
  readonly url: string;
  readonly user: string;
  readonly password: string;
  /** The steps the next POSTs of a key take, in order; when they run out, 'ok' (or a random fault, with randomFaults). */
  script(key: string, ...steps: FakeStep[]): void;
  stats(key: string): FakeKeyStats;
  keys(): string[];
  /** How many POSTs took each step, over all keys. */
  stepsTaken(): Partial<Record<FakeStep, number>>;
  /** POSTs without valid Basic auth. */
  readonly unauthorised: number;
  close(): Promise<void>;
}

const emptyStats = (): FakeKeyStats => ({ posts: 0, deliveries: 0, postsAfterAnswer: 0, bodies: [] });

/**
 * A gateway that fails at random where no script says otherwise: `fail500` of the sends answer 500 and deliver nothing,
 * `timeout` of them deliver but answer too late for the client (half never, half after lateMs). The fault suite's gateway.
 */
export interface RandomFaults {
  fail500: number;
  timeout: number;
  /** The source of chance, so a run can be repeated (Math.random when absent). */
  random?: () => number;
}

/**
 * Delivery reports, as a real gateway posts them to the sender's webhook a while after the handset got the text: one per
 * key (`{ id, refId, resultCode: 1001 }`, delivered), tried again `delayMs` later while `send` fails, as a gateway retries
 * a webhook that is down. They settle a message whose answer the sender never heard (a worker killed after the POST).
 */
export interface DeliveryReports {
  send(report: { id: string; refId: string; resultCode: number }): Promise<void>;
  delayMs: number;
}

export async function startFakeSmsGateway(opts: {
  user?: string;
  password?: string;
  lateMs: number;
  randomFaults?: RandomFaults;
  deliveryReports?: DeliveryReports;
}): Promise<FakeSmsGateway> {
  const user = opts.user ?? 'ot-test';
  const password = opts.password ?? 'secret-test-password';
  const expectedAuth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const scripts = new Map<string, FakeStep[]>();
  const stats = new Map<string, FakeKeyStats>();
  const answered = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const taken = new Map<FakeStep, number>();
  let counter = 0;
  let unauthorised = 0;

  const randomStep = (): FakeStep => {
    const faults = opts.randomFaults;
    if (!faults) return 'ok';
    const roll = (faults.random ?? Math.random)();
    if (roll < faults.fail500) return 'fail500';
    if (roll < faults.fail500 + faults.timeout) return roll < faults.fail500 + faults.timeout / 2 ? 'hang' : 'late';
    return 'ok';
  };

  const statsOf = (key: string) => {
    let s = stats.get(key);
    if (!s) stats.set(key, (s = emptyStats()));
    return s;
  };

  const json = (res: ServerResponse, status: number, body: unknown, onReceived?: () => void) => {
    // A client that gave up has closed its socket: what we write then never reaches it.
    if (res.destroyed || res.req.socket.destroyed) return;
    if (onReceived) res.once('finish', onReceived);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const report = (key: string, messageId: string, triesLeft = 30) => {
    const reports = opts.deliveryReports;
    if (!reports) return;
    later(reports.delayMs, () => {
      reports.send({ id: messageId, refId: key, resultCode: 1001 }).catch(() => {
        if (triesLeft > 1) report(key, messageId, triesLeft - 1);
      });
    });
  };

  /** The dedupe contract: a repeated key gets the first messageId and nothing reaches the handset again. */
  const accept = (key: string, to: string, body: string): string => {
    const s = statsOf(key);
    if (!s.delivered) {
      s.delivered = { to, body, messageId: `fake-${++counter}` };
      s.deliveries += 1;
      report(key, s.delivered.messageId);
    }
    return s.delivered.messageId;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.method !== 'POST') return json(res, 405, { description: 'POST only' });
    if (req.headers.authorization !== expectedAuth) {
      unauthorised += 1;
      return json(res, 401, { resultCode: 106, description: 'Unauthorized' });
    }
    let msg: { source?: unknown; destination?: unknown; userData?: unknown; refId?: unknown };
    try {
      msg = JSON.parse(raw);
    } catch {
      return json(res, 400, { resultCode: 2002, description: 'Body is not JSON' });
    }
    const headerKey = req.headers['idempotency-key'];
    const key = typeof headerKey === 'string' ? headerKey : typeof msg.refId === 'string' ? msg.refId : undefined;
    if (!key || (typeof headerKey === 'string' && msg.refId !== headerKey))
      return json(res, 400, { resultCode: 2003, description: 'refId and Idempotency-Key must be given and agree' });
    if (typeof msg.destination !== 'string' || typeof msg.userData !== 'string' || typeof msg.source !== 'string') {
      return json(res, 400, { resultCode: 2004, description: 'source, destination and userData are required' });
    }
    const s = statsOf(key);
    s.posts += 1;
    s.bodies.push(msg.userData);
    if (answered.has(key)) s.postsAfterAnswer += 1;
    const step = scripts.get(key)?.shift() ?? randomStep();
    taken.set(step, (taken.get(step) ?? 0) + 1);
    const to = msg.destination;
    const body = msg.userData;
    const ok = (messageId: string) => json(res, 200, { messageId, resultCode: 1005, description: 'Queued' }, () => answered.add(key));
    switch (step) {
      case 'ok':
        return ok(accept(key, to, body));
      case 'fail500':
        return json(res, 500, { resultCode: 105, description: 'Internal error' });
      case 'reject400':
        return json(res, 400, { resultCode: 2001, description: `Invalid destination ${to}` });
      case 'busy429':
        return json(res, 429, { resultCode: 3, description: 'Maximum throttling exceeded' });
      case 'hang':
        accept(key, to, body);
        return; // the socket stays open; close() ends it
      case 'stall':
        return;
      case 'late': {
        const messageId = accept(key, to, body);
        later(opts.lateMs, () => ok(messageId));
        return;
      }
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/sms/send`,
    user,
    password,
    script(key, ...steps) {
      scripts.set(key, [...(scripts.get(key) ?? []), ...steps]);
    },
    stats: (key) => ({ ...statsOf(key), bodies: [...statsOf(key).bodies] }),
    keys: () => [...stats.keys()],
    stepsTaken: () => Object.fromEntries(taken),
    get unauthorised() {
      return unauthorised;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
