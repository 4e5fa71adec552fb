import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type Pool } from 'pg';
import { knownMigrations, migrate, pendingMigrations } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../scripts/embedded-postgres';

/**
 * The embedded PostgreSQL (PGlite over the wire protocol) that `npm start` falls back on: our pool with
 * several connections, our migrations and the SQL our activities use work on it, and its data survives
 * a restart. It needs no PostgreSQL server of its own (the integration project's global setup still
 * makes one for the other tests).
 */
describe('embedded PostgreSQL (PGlite)', () => {
  let dir: string;
  let dataDir: string;
  let pg: EmbeddedPostgres | undefined;
  let pool: Pool | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ot-pglite-'));
    dataDir = path.join(dir, 'pglite');
  });

  afterEach(async () => {
    await pool?.end().catch(() => undefined);
    pool = undefined;
    await pg?.stop();
    pg = undefined;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const persons = [
    {
      case_id: 'c-1',
      school_year: 2025,
      national_id: 'test-id-1',
      id_kind: 'F',
      birth_date: '2008-03-01',
      first_name: 'Åse',
      last_name: 'Bø',
      guardians: [],
    },
    {
      case_id: 'c-2',
      school_year: 2025,
      national_id: 'test-id-2',
      id_kind: 'D',
      birth_date: null,
      first_name: 'Ola',
      last_name: 'Vik',
      guardians: [{ name: 'Kari Vik' }],
    },
  ];

  it('migrates, serves a pool of several connections, and keeps its data across a restart', async () => {
    pg = await startEmbeddedPostgres({ dataDir });
    expect(pg.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    pool = createPool(pg.url); // max 10, as the API uses it

    expect(await migrate(pool)).toEqual(knownMigrations());
    expect(await migrate(pool)).toEqual([]);

    // The statements of the cohort import: ON CONFLICT, jsonb_to_recordset, RETURNING, in a transaction.
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      await db.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, $2) ON CONFLICT DO NOTHING', [2025, 21]);
      await db.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, $2) ON CONFLICT DO NOTHING', [2025, 21]);
      const inserted = await db.query<{ case_id: string }>(
        `INSERT INTO persons (case_id, school_year, national_id, id_kind, birth_date, first_name, last_name, guardians)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, school_year integer, national_id text, id_kind text,
           birth_date date, first_name text, last_name text, guardians jsonb)
         ON CONFLICT DO NOTHING RETURNING case_id`,
        [JSON.stringify(persons)],
      );
      expect(inserted.rows.map((r) => r.case_id).sort()).toEqual(['c-1', 'c-2']);
      await db.query('COMMIT');
    } finally {
      db.release();
    }
    await pool.query(
      `INSERT INTO cases (case_id, school_year, unit, os_code, ot_status, stage, seq) VALUES ($1, 2025, '12250', 'OSON', 'OTUK', 'imported', 1)
       ON CONFLICT (case_id) DO UPDATE SET ot_status = EXCLUDED.ot_status, seq = EXCLUDED.seq WHERE cases.seq < EXCLUDED.seq`,
      ['c-1'],
    );

    // Concurrent transactions and parameterized queries on several connections: each sees its own
    // results (pglite-socket's own multiplexer fails this with `portal "" does not exist`, then hangs).
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < 120; i++) {
      if (i % 2) {
        jobs.push(
          pool.query<{ n: number; s: string }>(`SELECT $1::int AS n, $2::text || '!' AS s`, [i, `q${i}`]).then((r) => {
            expect(r.rows[0]).toEqual({ n: i, s: `q${i}!` });
          }),
        );
      } else {
        jobs.push(
          (async () => {
            const c = await pool.connect();
            try {
              await c.query('BEGIN');
              await c.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 21)', [3000 + i]);
              const r = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM cohorts WHERE school_year = $1', [3000 + i]);
              expect(r.rows[0].n).toBe(1);
              await c.query(i % 4 === 0 ? 'COMMIT' : 'ROLLBACK');
            } finally {
              c.release();
            }
          })(),
        );
      }
    }
    await Promise.all(jobs);
    expect(pool.totalCount).toBeGreaterThan(1);
    const committed = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cohorts WHERE school_year >= 3000');
    expect(committed.rows[0].n).toBe(30);

    // A connection that goes away inside a transaction leaves nothing behind and blocks no one.
    const leaver = new Client({ connectionString: pg.url });
    await leaver.connect();
    await leaver.query('BEGIN');
    await leaver.query('INSERT INTO cohorts (school_year, age_limit) VALUES (2999, 21)');
    await leaver.end();
    const crasher = new Client({ connectionString: pg.url });
    await crasher.connect();
    crasher.on('error', () => undefined);
    await crasher.query('BEGIN');
    await crasher.query('INSERT INTO cohorts (school_year, age_limit) VALUES (2998, 21)');
    (crasher as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    const left = await pool.query('SELECT school_year FROM cohorts WHERE school_year IN (2998, 2999)');
    expect(left.rowCount).toBe(0);

    // The database name in the URL does not matter: there is one.
    const other = new Client({ connectionString: pg.url.replace(/\/postgres$/, '/ot') });
    await other.connect();
    expect((await other.query('SELECT count(*)::int AS n FROM persons')).rows[0].n).toBe(2);
    await other.end();

    await pool.end();
    pool = undefined;
    await pg.stop();
    pg = undefined;

    // Same folder, new process-lifetime: the data is there, the migrations are not run twice.
    pg = await startEmbeddedPostgres({ dataDir });
    pool = createPool(pg.url);
    expect(await pendingMigrations(pool)).toEqual([]);
    expect(await migrate(pool)).toEqual([]);
    const found = await pool.query(
      'SELECT p.first_name, p.guardians, c.ot_status FROM persons p LEFT JOIN cases c USING (case_id) ORDER BY p.case_id',
    );
    expect(found.rows).toEqual([
      { first_name: 'Åse', guardians: [], ot_status: 'OTUK' },
      { first_name: 'Ola', guardians: [{ name: 'Kari Vik' }], ot_status: null },
    ]);
  });

  it('fails fast on a port in use, before touching the data folder', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(dir, 'unused'), port })).rejects.toThrow(/EADDRINUSE/);
      expect(existsSync(path.join(dir, 'unused'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
