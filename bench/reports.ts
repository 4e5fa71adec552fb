import { randomBytes } from 'node:crypto';
import { Client as PgClient, type Pool } from 'pg';
import { otukAt } from '../db/case-status-at';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { takeSnapshot } from '../db/report-snapshots';
import { DEFAULT_UNITS } from '../schemas/units';
import { intArg, log } from './stack';

/**
 * How long a report snapshot of a county's cohort takes (every case's status at the moment, read back
 * from its journal, counted and stored), and the evaluation's 49 moments of OTUK, against the cheapest
 * count there is: the current statuses grouped straight from the read model, in the same run on the same
 * data. `npm run bench:reports -- --size 30000`. Needs PostgreSQL only: the journal is written as the
 * case workflows write it, without running them.
 */

const SCHOOL_YEAR = 2026;
const DAY = 86_400_000;
const START = Date.parse('2026-08-20T00:00:00Z');
const NOVEMBER = Date.parse('2026-11-14T23:00:00Z');

type Step = [event: string, fromStage: string, fromStatus: string, toStage: string, toStatus: string];

/** A year of one case as its journal holds it: the letter, the recode, the SMS, a phone campaign, and for most an answer. */
function journalOf(i: number): Step[] {
  const os = ['OSON', 'OSUT', 'OSNP', 'OSVE'][i % 4];
  const steps: Step[] = [
    ['LETTER_DUE', 'awaitingLetter', os, 'letterDue', os],
    ['LETTERS_SENT', 'letterDue', os, 'letterSent', 'OTUK'],
    ['SMS_DUE', 'letterSent', 'OTUK', 'smsDue', 'OTUK'],
    ['SMS_SENT', 'smsDue', 'OTUK', 'smsSent', 'OTUK'],
    ['PHONE_CAMPAIGN_STARTED', 'smsSent', 'OTUK', 'phoneCampaign', 'OTUK'],
  ];
  if (i % 3 === 0) steps.push(['CALL', 'phoneCampaign', 'OTUK', 'phoneCampaign', 'OTUK']);
  if (i % 5 !== 0) steps.push(['OUTCOME', 'phoneCampaign', 'OTUK', 'resolved', ['OTAP', 'OTOA', 'OTAR', 'OTOV', 'OTNO'][i % 5]]);
  return steps;
}

async function seed(pool: Pool, size: number): Promise<number> {
  await pool.query('INSERT INTO cohorts (school_year, age_limit) VALUES ($1, 24)', [SCHOOL_YEAR]);
  let events = 0;
  for (let from = 0; from < size; from += 2000) {
    const persons: Record<string, unknown>[] = [];
    const cases: Record<string, unknown>[] = [];
    const journal: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(size, from + 2000); i++) {
      const caseId = i.toString(16).padStart(24, '0');
      const steps = journalOf(i);
      const last = steps[steps.length - 1];
      persons.push({
        case_id: caseId,
        school_year: SCHOOL_YEAR,
        national_id: `bench-${i}`,
        id_kind: 'fictitious',
        first_name: 'Å',
        last_name: 'Ø',
        created_at: new Date(START).toISOString(),
      });
      cases.push({
        case_id: caseId,
        school_year: SCHOOL_YEAR,
        unit: DEFAULT_UNITS[i % DEFAULT_UNITS.length].code,
        os_code: steps[0][2],
        ot_status: last[4],
        stage: last[3],
        seq: steps.length * 10,
      });
      steps.forEach(([event, fromStage, fromStatus, toStage, toStatus], k) => {
        // Spread over the autumn: the answers fall before and after the November moment.
        const at = START + (k + 1) * 15 * DAY + ((i * 7919) % (14 * DAY));
        journal.push({
          case_id: caseId,
          seq: (k + 1) * 10,
          at: new Date(at).toISOString(),
          event,
          from_stage: fromStage,
          from_status: fromStatus,
          to_stage: toStage,
          to_status: toStatus,
        });
      });
    }
    // Only the columns given: the others take their defaults, as the import and the projection leave them.
    const insert = (table: string, rows: Record<string, unknown>[]) => {
      const columns = Object.keys(rows[0]).join(', ');
      return pool.query(`INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`, [
        JSON.stringify(rows),
      ]);
    };
    await insert('persons', persons);
    await insert('cases', cases);
    await insert('case_events', journal);
    events += journal.length;
  }
  await pool.query('ANALYZE');
  return events;
}

async function timed<T>(body: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await body();
  return [performance.now() - t, result];
}

async function main(): Promise<void> {
  const size = intArg(process.argv.slice(2), 'size', 30000);
  const adminUrl = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `ot_bench_reports_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const pool = createPool(dbUrl.toString(), 4);
  try {
    await migrate(pool);
    log(`writing ${size} cases and their journals`);
    const events = await seed(pool, size);
    const units = DEFAULT_UNITS.map((u) => u.code);

    // Both sides find the connection open and the tables in the cache.
    await pool.query('SELECT count(*) FROM case_events');
    const [baselineMs, grouped] = await timed(() =>
      pool.query('SELECT unit, ot_status, count(*) FROM cases WHERE school_year = $1 GROUP BY 1, 2', [SCHOOL_YEAR]),
    );
    const [snapshotMs, snapshot] = await timed(() => takeSnapshot(pool, SCHOOL_YEAR, 'november', new Date(NOVEMBER), 'bench', units));
    const moments = Array.from({ length: 49 }, (_, i) => new Date(START + (i * (NOVEMBER + 60 * DAY - START)) / 48));
    const [seriesMs] = await timed(() => otukAt(pool, SCHOOL_YEAR, moments));

    process.stdout.write(
      [
        `cases ${size}, journal entries ${events} (${(events / size).toFixed(1)} per case)`,
        `report snapshot (statuses at a moment from the journal, counted, ${snapshot.counts.county.total} cases stored): ${snapshotMs.toFixed(0)} ms`,
        `baseline (current statuses grouped from the read model, ${grouped.rowCount} groups): ${baselineMs.toFixed(0)} ms`,
        `ratio snapshot/baseline: ${(snapshotMs / baselineMs).toFixed(1)}`,
        `evaluation series (OTUK at 49 moments): ${seriesMs.toFixed(0)} ms, ${(seriesMs / 49).toFixed(0)} ms per moment`,
      ].join('\n') + '\n',
    );
  } finally {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exit(1);
});
