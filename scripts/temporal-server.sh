#!/usr/bin/env bash
# Prints the folder holding Temporal's own server (temporal-server) and its schema tool (temporal-sql-tool), building
# the pinned version when they are not found. Order as scripts/temporal-cli.sh: $TEMPORAL_SERVER_DIR, our cache, `go install`.
# v1.29.1 is the server the dev server of Temporal CLI v1.5.1 embeds; its go.mod needs Go 1.25.
set -euo pipefail

VERSION=1.29.1
CACHE_DIR="${OT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ot-campaign}/temporal-server-$VERSION"

say() { echo "temporal-server: $*" >&2; }
ready() { [ -x "$1/temporal-server" ] && [ -x "$1/temporal-sql-tool" ]; }

if [ -n "${TEMPORAL_SERVER_DIR:-}" ]; then
  if ready "$TEMPORAL_SERVER_DIR"; then echo "$TEMPORAL_SERVER_DIR"; exit 0; fi
  say "TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR lacks temporal-server or temporal-sql-tool"; exit 1
fi
if ready "$CACHE_DIR"; then echo "$CACHE_DIR"; exit 0; fi

if ! command -v go >/dev/null 2>&1; then
  say "no Go: install Go >= 1.25 (https://go.dev/dl) and run this again, or set TEMPORAL_SERVER_DIR"; exit 1
fi
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if [ "${go_minor:-0}" -lt 25 ] 2>/dev/null; then
  say "Go $(go env GOVERSION) is older than 1.25, which Temporal server v$VERSION needs"; exit 1
fi
mkdir -p "$CACHE_DIR/bin"
say "building Temporal server v$VERSION and its SQL schema tool with $(go env GOVERSION) (once; many minutes on 2 cores)"
GOBIN="$CACHE_DIR/bin" GOFLAGS=-mod=mod go install "go.temporal.io/server/cmd/server@v$VERSION" "go.temporal.io/server/cmd/tools/sql@v$VERSION" >&2
mv "$CACHE_DIR/bin/server" "$CACHE_DIR/temporal-server"
mv "$CACHE_DIR/bin/sql" "$CACHE_DIR/temporal-sql-tool"
# The schema tool carries the schemas it sets up (postgresql/v12/temporal and .../visibility): nothing else to copy.
rmdir "$CACHE_DIR/bin" 2>/dev/null || true
ready "$CACHE_DIR" && echo "$CACHE_DIR"
