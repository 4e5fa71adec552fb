#!/bin/sh
# One-shot service `temporal-schema` of docker-compose.yml (image temporalio/admin-tools): creates
# Temporal's two databases on our PostgreSQL when they are missing and brings their schemas to the
# version of the admin-tools image (use the same version for the server). Idempotent, so it runs on
# every `docker compose up`: an existing schema is only ever updated, never set up again from 0.0.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}" # temporal-sql-tool reads SQL_PASSWORD
PORT="${DB_PORT:-5432}"
SCHEMA_DIR=/etc/temporal/schema/postgresql/v12

until nc -z "$POSTGRES_SEEDS" "$PORT"; do
  echo "waiting for PostgreSQL at $POSTGRES_SEEDS:$PORT"
  sleep 2
done

sql() {
  db=$1
  shift
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" --db "$db" "$@"
}

prepare() {
  db=$1
  dir=$2
  if ! out=$(sql "$db" create-database 2>&1); then
    case "$out" in
      *"already exists"*) ;;
      *) echo "$out" >&2; exit 1 ;;
    esac
  fi
  if out=$(sql "$db" update-schema -d "$dir" 2>&1); then
    echo "$db: schema up to date"
    return
  fi
  case "$out" in
    *'"schema_version" does not exist'*) echo "$db: new database, setting up its schema" ;;
    *) echo "$out" >&2; exit 1 ;; # anything else is a real failure: never reset a schema on a guess
  esac
  sql "$db" setup-schema -v 0.0
  sql "$db" update-schema -d "$dir"
}

prepare "${DBNAME:-temporal}" "$SCHEMA_DIR/temporal/versioned"
prepare "${VISIBILITY_DBNAME:-temporal_visibility}" "$SCHEMA_DIR/visibility/versioned"
echo "Temporal schemas ready"
