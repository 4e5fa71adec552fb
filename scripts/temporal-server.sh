#!/usr/bin/env bash
# Prints the folder holding Temporal's own server (temporal-server), its schema tool (temporal-sql-tool) and the
# Temporal UI's server (temporal-ui-server), building the pinned versions when they are not found. Order as scripts/temporal-cli.sh: $TEMPORAL_SERVER_DIR, our cache, `go install`.
# v1.29.1 is the server the dev server of Temporal CLI v1.5.1 embeds (its go.mod needs Go 1.25), and ui-server v2.42.1
# its UI.
set -euo pipefail

VERSION=1.29.1
UI_VERSION=2.42.1
CACHE_DIR="${OT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ot-campaign}/temporal-server-$VERSION"

say() { echo "temporal-server: $*" >&2; }
ready() { [ -x "$1/temporal-server" ] && [ -x "$1/temporal-sql-tool" ] && [ -x "$1/temporal-ui-server" ]; }

if [ -n "${TEMPORAL_SERVER_DIR:-}" ]; then
  if ready "$TEMPORAL_SERVER_DIR"; then echo "$TEMPORAL_SERVER_DIR"; exit 0; fi
  say "TEMPORAL_SERVER_DIR=$TEMPORAL_SERVER_DIR lacks temporal-server, temporal-sql-tool or temporal-ui-server"; exit 1
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
say "building Temporal server v$VERSION, its SQL schema tool and UI server v$UI_VERSION with $(go env GOVERSION) (once; many minutes on 2 cores)"
# Each binary built only when missing: a cache from before the UI server was added keeps its server.
build() { # module path, binary name go install gives, our name
  [ -x "$CACHE_DIR/$3" ] && return 0
  GOBIN="$CACHE_DIR/bin" GOFLAGS=-mod=mod go install "$1" >&2
  mv "$CACHE_DIR/bin/$2" "$CACHE_DIR/$3"
}
build "go.temporal.io/server/cmd/server@v$VERSION" server temporal-server
build "go.temporal.io/server/cmd/tools/sql@v$VERSION" sql temporal-sql-tool
build "github.com/temporalio/ui-server/v2/cmd/server@v$UI_VERSION" server temporal-ui-server
# The schema tool carries the schemas it sets up (postgresql/v12/temporal and .../visibility): nothing else to copy.
rmdir "$CACHE_DIR/bin" 2>/dev/null || true
ready "$CACHE_DIR" && echo "$CACHE_DIR"
