-- Least privilege: the worker and the API (with the CLI, a front end over the same use cases) connect as
-- members of their own group roles, ot_worker and ot_api, and may do exactly what their code does, table
-- by table. Neither may change the schema: only the user migrations run as (OT_MIGRATION_DATABASE_URL),
-- who owns every table, may. Login users are made per deployment and given one of these roles
-- (deploy/postgres/init-roles.sql for docker-compose.yml).
--
-- Roles belong to the whole server, not to one database: another database of the same server (a test
-- run's, a second county's) may have made them already, or be making them at this moment.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['ot_worker', 'ot_api'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION
        WHEN duplicate_object OR unique_violation THEN NULL; -- made meanwhile by a migration of another database
        WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'the role % does not exist, and % may not create it', r, current_user
            USING HINT = 'create it first as a superuser (deploy/postgres/init-roles.sql does), or give this user CREATEROLE';
      END;
    END IF;
  END LOOP;
END $$;

-- PostgreSQL before 15 lets everyone create tables in the public schema.
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE') THEN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  END IF;
END $$;

-- What each role may do on each table, from the SQL of db/ that each process runs: the worker through its
-- activities (activities/), the API and the CLI through the use cases (client/). Neither gets TRUNCATE,
-- REFERENCES or TRIGGER (foreign keys are checked as the owner). '' is nothing at all.
--   report_snapshots, report_snapshot_cases: stored once by the worker's report snapshot, never changed (a
--     trigger refuses even the owner); the API only reads the counts.
--   audit_log (migration 006): append-only: both add rows and read them back, neither may change or delete one.
--   imports: the API stores an upload and cannot read it back (it holds national ids until the worker reads it).
-- A table of an earlier migration that this list does not name gets what a later table gets by default
-- (SELECT, INSERT, UPDATE, DELETE for both); test/integration/database-roles.test.ts fails until it is
-- named here and there.
DO $$
DECLARE
  g record;
BEGIN
  REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ot_worker, ot_api;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ot_worker, ot_api;
  FOR g IN
    SELECT * FROM (VALUES
      ('schema_migrations',     '',                       'SELECT'),
      ('cohorts',               'SELECT, INSERT',         'SELECT, INSERT, UPDATE'),
      ('persons',               'SELECT, INSERT',         'SELECT, UPDATE'),
      ('cases',                 'SELECT, INSERT, UPDATE', 'SELECT'),
      ('case_events',           'SELECT, INSERT',         'SELECT'),
      ('imports',               'SELECT, UPDATE',         'INSERT'),
      ('import_rows',           'SELECT, INSERT, UPDATE', ''),
      ('mailings',              'SELECT, INSERT, DELETE', ''),
      ('mailing_cases',         'SELECT, INSERT, UPDATE', ''),
      ('letter_batches',        'SELECT, UPDATE',         'SELECT, INSERT'),
      ('letters',               'SELECT',                 'SELECT, INSERT'),
      ('held_letters',          '',                       'INSERT'),
      ('sms_messages',          'SELECT, INSERT, UPDATE', 'SELECT, UPDATE'),
      ('sms_inbox',             '',                       'SELECT, INSERT, UPDATE'),
      ('call_list',             'SELECT, INSERT, UPDATE', 'SELECT'),
      ('report_snapshots',      'SELECT, INSERT',         'SELECT'),
      ('report_snapshot_cases', 'INSERT',                 ''),
      ('audit_log',             'SELECT, INSERT',         'SELECT, INSERT'),
      -- Sign-in is the API's and the CLI's alone (006, 007): the worker never reads who may sign in.
      ('users',                 '',                       'SELECT, INSERT, UPDATE'),
      ('sessions',              '',                       'SELECT, INSERT, UPDATE, DELETE'),
      ('api_tokens',            '',                       'SELECT, INSERT, UPDATE'),
      ('idempotency_keys',      '',                       'SELECT, INSERT, UPDATE, DELETE')
    ) AS t(tbl, worker, api)
  LOOP
    -- A guard for audit_log on a database where migration 006 has not made it.
    CONTINUE WHEN to_regclass(format('public.%I', g.tbl)) IS NULL;
    EXECUTE format('REVOKE ALL ON public.%I FROM ot_worker, ot_api', g.tbl);
    IF g.worker <> '' THEN EXECUTE format('GRANT %s ON public.%I TO ot_worker', g.worker, g.tbl); END IF;
    IF g.api <> '' THEN EXECUTE format('GRANT %s ON public.%I TO ot_api', g.api, g.tbl); END IF;
  END LOOP;
END $$;

-- Identity columns need no grant on their sequence; serial ones do.
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ot_worker, ot_api;

-- Tables of later migrations, made by this same user (the owner), work for both processes the day they
-- come: reading and writing rows, never changing the schema. A migration whose table is narrower (append-only,
-- one process's alone) revokes the rest, and lists it in test/integration/database-roles.test.ts.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ot_worker, ot_api;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO ot_worker, ot_api;
