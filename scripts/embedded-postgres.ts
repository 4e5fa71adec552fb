import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';

/**
 * An embedded PostgreSQL for machines where no PostgreSQL answers: PGlite (PostgreSQL compiled to
 * WebAssembly) keeping its files in `dataDir`, served over the PostgreSQL wire protocol on a TCP port,
 * so `pg`, our pools and our migrations are used unchanged.
 *
 * PGlite is one PostgreSQL backend: one session. Clients may open as many connections as they like
 * (a worker's pool, the API's pool, the migrator), and this server takes turns between them at
 * transaction boundaries: a connection that starts a request keeps the backend until PostgreSQL reports
 * it idle again (ReadyForQuery 'I'), so an explicit transaction or an extended-protocol
 * Parse/Bind/Execute/Sync exchange is never interleaved with another connection's messages.
 *
 * Why not pglite-socket's PGLiteSocketServer: with its default `maxConnections: 1` a second connection is
 * refused (a pool of more than one fails with ECONNRESET); with more, its multiplexer interleaves single
 * protocol messages of different connections outside explicit transactions, and under concurrent
 * parameterized queries plus transactions clients fail with `portal "" does not exist` and then hang.
 *
 * What differs from a real server, because all connections share the one session:
 * - a transaction holds the whole database until it ends: code that, inside a transaction, waits for a
 *   query on another connection waits forever (ours never does);
 * - session state is shared: SET, advisory locks (always granted: one session), named prepared
 *   statements (two connections preparing the same name collide), temporary tables;
 * - no SSL, no authentication (any user and password are accepted), one database whatever the URL names,
 *   no query cancellation.
 * It is a demo and development database, not a production one.
 *
 * PGlite runs in a child process of its own (see PGLITE_PROCESS): it gets its own event loop for the
 * CPU-heavy WebAssembly, and it also runs under jest, whose module sandbox refuses the dynamic `import()`
 * of node builtins that PGlite's CommonJS build makes (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG).
 */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** PGlite's data folder; created on first start, reused (data and all) on the next. */
  dataDir: string;
  /** 0 or absent: a free port chosen by the system (the URL tells which). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'

function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const msg = Buffer.alloc(5 + text.length);
  msg[0] = 0x51; // 'Q'
  msg.writeInt32BE(4 + text.length, 1);
  text.copy(msg, 5);
  return msg;
}
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]); // 'S'

/** Follows the backend's messages across output chunks and remembers the last ReadyForQuery status. */
class ReadyForQueryTracker {
  private header = Buffer.alloc(5);
  private headerFill = 0;
  private bodyLeft = 0;
  private inReady = false;
  status: number | undefined;

  feed(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        if (this.inReady) this.status = chunk[i];
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
        this.inReady = false;
        continue;
      }
      this.header[this.headerFill++] = chunk[i++];
      if (this.headerFill === 5) {
        this.headerFill = 0;
        this.bodyLeft = this.header.readInt32BE(1) - 4;
        this.inReady = this.header[0] === READY_FOR_QUERY;
      }
    }
  }
}

/**
 * The child process that holds PGlite. Plain JavaScript run with `node -e`, so it needs no build step and
 * no TypeScript loader; keep it this small. Messages: `{ id, data }` runs one frontend message and answers
 * with `{ id, chunk }`* then `{ id, done, inTransaction }`; `{ id, close }` closes the database. When its
 * parent goes away (the IPC channel closes) it closes the database and exits. It ignores SIGINT: Ctrl-C in
 * a terminal reaches the whole process group, and the parent stops it in order.
 */
const PGLITE_PROCESS = `
'use strict';
const { PGlite } = require(process.argv[1]);
const send = (m) => { if (process.connected) process.send(m); };
let db;
let queue = Promise.resolve();
process.on('SIGINT', () => undefined);
PGlite.create({ dataDir: process.argv[2] }).then(
  (d) => { db = d; send({ ready: true }); },
  (err) => { send({ failed: String((err && err.stack) || err) }); process.exit(1); },
);
process.on('message', (m) => {
  queue = queue.then(async () => {
    try {
      if (m.close) {
        await db.close();
        send({ id: m.id, done: true, inTransaction: false });
        return;
      }
      await db.execProtocolRawStream(m.data, { onRawData: (chunk) => send({ id: m.id, chunk: chunk.slice() }) });
      send({ id: m.id, done: true, inTransaction: db.isInTransaction() });
    } catch (err) {
      send({ id: m.id, failed: String((err && err.stack) || err) });
    }
  });
});
process.on('disconnect', () => {
  queue.then(() => db && !db.closed && db.close()).catch(() => undefined).finally(() => process.exit(0));
});
`;

type FromPGlite =
  { ready: true } | { failed: string; id?: number } | { id: number; chunk: Uint8Array } | { id: number; done: true; inTransaction: boolean };

interface Call {
  onData: (data: Uint8Array) => void;
  resolve: (inTransaction: boolean) => void;
  reject: (err: Error) => void;
}

/** PGlite in its child process: one call at a time, in order. */
class PGliteProcess {
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  private failure: Error | undefined;
  readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (m: FromPGlite) => {
      if (!('id' in m) || m.id === undefined) return;
      const call = this.calls.get(m.id);
      if (!call) return;
      if ('chunk' in m) call.onData(m.chunk);
      else {
        this.calls.delete(m.id);
        if ('failed' in m) call.reject(new Error(`PGlite: ${m.failed}`));
        else call.resolve(m.inTransaction);
      }
    });
    void this.exited.then(() => {
      this.failure ??= new Error('the embedded PostgreSQL (PGlite) process exited');
      for (const call of this.calls.values()) call.reject(this.failure);
      this.calls.clear();
    });
  }

  static async start(dataDir: string): Promise<PGliteProcess> {
    const child = spawn(process.execPath, ['-e', PGLITE_PROCESS, require.resolve('@electric-sql/pglite'), dataDir], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced', // Uint8Array both ways, no base64
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromPGlite) => {
        if ('ready' in m) done();
        else if ('failed' in m && m.id === undefined) done(new Error(`PGlite did not start: ${m.failed}`));
      };
      const onExit = (code: number | null) => done(new Error(`PGlite did not start (its process exited with ${code})`));
      const done = (err?: Error) => {
        child.off('message', onMessage).off('exit', onExit).off('error', done);
        if (err) reject(err);
        else resolve();
      };
      child.on('message', onMessage).once('exit', onExit).once('error', done);
    });
    return new PGliteProcess(child);
  }

  /** Runs one frontend message; the backend's answer goes to onData; resolves whether a transaction is open. */
  exec(data: Uint8Array, onData: (data: Uint8Array) => void): Promise<boolean> {
    return this.call({ data }, onData);
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.connected) {
      await this.call({ close: true }, () => undefined).catch(() => undefined);
      this.child.disconnect();
    }
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  private call(message: { data: Uint8Array } | { close: true }, onData: (data: Uint8Array) => void): Promise<boolean> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { onData, resolve, reject });
      this.child.send({ id, ...message });
    });
  }
}

type Waiter = { session: Session; resolve: (granted: boolean) => void };

/** The one PGlite session, lent to one connection at a time. */
class Backend {
  private owner: Session | undefined;
  private readonly waiters: Waiter[] = [];
  /** Whether the last message left a transaction block open. */
  private inTransaction = false;

  constructor(readonly pglite: Promise<PGliteProcess>) {}

  acquire(session: Session): Promise<boolean> {
    if (this.owner === session) return Promise.resolve(true);
    if (!this.owner) {
      this.owner = session;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiters.push({ session, resolve }));
  }

  release(session: Session): void {
    if (this.owner !== session) return;
    this.owner = undefined;
    const next = this.waiters.shift();
    if (next) {
      this.owner = next.session;
      next.resolve(true);
    }
  }

  isOwner(session: Session): boolean {
    return this.owner === session;
  }

  /** A closed connection gives up its place in the queue. */
  forget(session: Session): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].session === session) this.waiters.splice(i, 1)[0].resolve(false);
    }
  }

  /** Runs one frontend message; returns the ReadyForQuery status it ended with, if any. */
  async run(message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number | undefined> {
    const pglite = await this.pglite;
    const tracker = new ReadyForQueryTracker();
    this.inTransaction = await pglite.exec(message, (data) => {
      tracker.feed(data);
      onData(data);
    });
    return tracker.status;
  }

  /** After a connection vanished while holding the backend: undo whatever it left open. */
  async reset(): Promise<void> {
    const discard = () => undefined;
    // ROLLBACK ends an explicit transaction and aborts an extended-protocol implicit one; Sync ends an
    // extended-protocol error state (which ignores everything but Sync); a failed explicit transaction
    // still open after that takes a second ROLLBACK.
    await this.run(queryMessage('ROLLBACK'), discard);
    await this.run(SYNC, discard);
    if (this.inTransaction) await this.run(queryMessage('ROLLBACK'), discard);
  }
}

/** One client connection: frames its messages and runs them on the backend in turn. */
class Session {
  private input: Buffer = Buffer.alloc(0);
  private readonly pending: Uint8Array[] = [];
  private started = false;
  private pumping: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  closed = false;

  constructor(
    readonly socket: net.Socket,
    private readonly backend: Backend,
    private readonly onClosed: (s: Session) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => void this.close());
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.input = this.input.length ? Buffer.concat([this.input, chunk]) : chunk;
    try {
      this.frame();
    } catch {
      this.socket.destroy();
      return;
    }
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  }

  private frame(): void {
    for (;;) {
      if (!this.started) {
        // Startup phase: int32 length, int32 code, no type byte.
        if (this.input.length < 8) return;
        const length = this.input.readInt32BE(0);
        if (length < 8 || length > 10_000) throw new Error('bad startup packet');
        if (this.input.length < length) return;
        const code = this.input.readInt32BE(4);
        const message = Uint8Array.from(this.input.subarray(0, length));
        this.input = this.input.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N'); // no encryption here: the client goes on in clear text
          continue;
        }
        if (code === CANCEL_REQUEST) throw new Error('query cancellation is not supported');
        this.started = true;
        this.pending.push(message);
        continue;
      }
      if (this.input.length < 5) return;
      const length = this.input.readInt32BE(1);
      if (length < 4) throw new Error('bad message length');
      if (this.input.length < 1 + length) return;
      this.pending.push(Uint8Array.from(this.input.subarray(0, 1 + length)));
      this.input = this.input.subarray(1 + length);
    }
  }

  private async pump(): Promise<void> {
    try {
      while (this.pending.length > 0 && !this.closed) {
        const message = this.pending.shift()!;
        if (message[0] === TERMINATE) {
          this.socket.end();
          return;
        }
        if (!(await this.backend.acquire(this)) || this.closed) return;
        const status = await this.backend.run(message, (data) => {
          if (!this.closed && this.socket.writable) this.socket.write(data);
        });
        if (status === IDLE) this.backend.release(this);
      }
    } catch {
      this.socket.destroy();
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.socket.destroy();
      this.backend.forget(this);
      await this.pumping;
      if (this.backend.isOwner(this)) {
        // Nothing to undo if PGlite itself is gone; the next owner then fails as every caller does.
        await this.backend.reset().catch(() => undefined);
        this.backend.release(this);
      }
      this.onClosed(this);
    })();
    return this.closing;
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return net.isIPv6(host) ? `[${host}]` : host;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const host = opts.host ?? '127.0.0.1';
  const sessions = new Set<Session>();
  let resolvePglite!: (p: PGliteProcess) => void;
  let rejectPglite!: (err: unknown) => void;
  const pgliteReady = new Promise<PGliteProcess>((resolve, reject) => ((resolvePglite = resolve), (rejectPglite = reject)));
  pgliteReady.catch(() => undefined);
  const backend = new Backend(pgliteReady);

  const server = net.createServer((socket) => {
    sessions.add(new Session(socket, backend, (s) => sessions.delete(s)));
  });
  // Listen first: a port in use fails here, before a second process opens the same data folder.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));

  let pglite: PGliteProcess;
  try {
    mkdirSync(opts.dataDir, { recursive: true });
    pglite = await PGliteProcess.start(opts.dataDir);
    resolvePglite(pglite);
  } catch (err) {
    rejectPglite(err);
    for (const s of sessions) s.socket.destroy();
    await closeServer();
    throw err;
  }
  // PGlite gone (crashed, killed): no connection can be served any more.
  void pglite.exited.then(() => {
    for (const s of sessions) s.socket.destroy();
  });

  const { port } = server.address() as net.AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres@${urlHost(host)}:${port}/postgres`,
    stop() {
      stopping ??= (async () => {
        const closed = closeServer();
        await Promise.all([...sessions].map((s) => s.close()));
        await closed;
        await pglite.close();
      })();
      return stopping;
    },
  };
}
