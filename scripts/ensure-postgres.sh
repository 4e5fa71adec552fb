#!/usr/bin/env bash
# Makes sure the PostgreSQL that the tests use answers (TEST_ADMIN_DATABASE_URL, by default the local server).
set -euo pipefail
URL="${TEST_ADMIN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
ready() { node -e '
  const { Client } = require("pg");
  const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
  c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));' "$URL"; }
if ready; then echo "PostgreSQL answers"; exit 0; fi
# A Debian machine whose cluster is installed but stopped: start it.
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for v in /etc/postgresql/*; do pg_ctlcluster --skip-systemctl-redirect "$(basename "$v")" main start || true; done
  for _ in $(seq 1 20); do ready && { echo "PostgreSQL started"; exit 0; }; sleep 1; done
fi
echo "no PostgreSQL answers at $URL: start one, or set TEST_ADMIN_DATABASE_URL to a server where tests may create databases" >&2
exit 1
