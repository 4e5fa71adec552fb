-- Our database users, made when the postgresql service of docker-compose.yml first initialises its data
-- volume (mounted into /docker-entrypoint-initdb.d, run by psql as the superuser in the database ot):
--   ot_migrator     owns the database and every table: the migrate service (OT_MIGRATION_DATABASE_URL)
--   ot_worker_user  a member of ot_worker: the worker (OT_WORKER_DATABASE_URL)
--   ot_api_user     a member of ot_api: the API, and the CLI run beside it (OT_API_DATABASE_URL)
-- Each with the password the service's environment gives it (OT_MIGRATION_DB_PASSWORD, OT_WORKER_DB_PASSWORD,
-- OT_API_DB_PASSWORD), so that none is written here. The group roles ot_worker and ot_api are made here too,
-- so the migrator needs no right to create roles; what they may do on each table is granted by migration 008
-- (db/migrations/008_database_roles.sql). Temporal's databases stay the superuser's.
--
-- A data volume initialised before this file came: run it once by hand, with the same environment (it can run
-- again: what exists is kept, the passwords are set anew, and tables made by the superuser go to the migrator):
--   docker compose exec postgresql psql -v ON_ERROR_STOP=1 -U postgres -d ot -f /docker-entrypoint-initdb.d/10-ot-roles.sql

\getenv migration_password OT_MIGRATION_DB_PASSWORD
\getenv worker_password OT_WORKER_DB_PASSWORD
\getenv api_password OT_API_DB_PASSWORD

SELECT :{?migration_password} AND :{?worker_password} AND :{?api_password} AS passwords_given \gset
\if :passwords_given
\else
  DO $$ BEGIN RAISE EXCEPTION 'set OT_MIGRATION_DB_PASSWORD, OT_WORKER_DB_PASSWORD and OT_API_DB_PASSWORD'; END $$;
\endif

SELECT format('CREATE ROLE %I NOLOGIN', r) FROM unnest(ARRAY['ot_worker', 'ot_api']) AS r
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec
SELECT format('CREATE ROLE %I LOGIN', u) FROM unnest(ARRAY['ot_migrator', 'ot_worker_user', 'ot_api_user']) AS u
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = u) \gexec

ALTER ROLE ot_migrator PASSWORD :'migration_password';
ALTER ROLE ot_worker_user PASSWORD :'worker_password';
ALTER ROLE ot_api_user PASSWORD :'api_password';
GRANT ot_worker TO ot_worker_user;
GRANT ot_api TO ot_api_user;

-- The database's owner owns its public schema too (PostgreSQL 15 and later), so the migrator may create
-- tables there; nobody else may (PUBLIC has no CREATE on it).
SELECT format('ALTER DATABASE %I OWNER TO ot_migrator', current_database()) \gexec
-- Only our users connect to it, and none of them needs temporary tables.
SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO ot_worker, ot_api', current_database()) \gexec

-- Tables migrated by the superuser before the migrator existed: the migrator owns them from now on.
SELECT format('ALTER TABLE public.%I OWNER TO ot_migrator', tablename) FROM pg_tables
 WHERE schemaname = 'public' AND tableowner <> 'ot_migrator' \gexec
