#!/usr/bin/env bash
# Prints the path of a Temporal CLI (dev server + UI), installing the pinned one when none is found.
# Order: $TEMPORAL_CLI, `temporal` on the PATH, our cache, `go install` (Go >= 1.25), the SDK's download site.
set -euo pipefail

VERSION=1.5.1
CACHE_DIR="${OT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ot-campaign}/temporal-cli-$VERSION"
CACHED="$CACHE_DIR/temporal"

say() { echo "temporal-cli: $*" >&2; }

if [ -n "${TEMPORAL_CLI:-}" ]; then
  if [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
  say "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file"; exit 1
fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$CACHED" ]; then echo "$CACHED"; exit 0; fi

mkdir -p "$CACHE_DIR"
if command -v go >/dev/null 2>&1; then
  go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
  if [ "${go_minor:-0}" -ge 25 ] 2>/dev/null; then
    say "building Temporal CLI v$VERSION with $(go env GOVERSION) (once; takes several minutes on 2 cores)"
    if GOBIN="$CACHE_DIR" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@v$VERSION" >&2; then
      echo "$CACHED"; exit 0
    fi
    say "go install failed"
  else
    say "Go $(go env GOVERSION) is older than 1.25, which Temporal CLI v$VERSION needs"
  fi
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux arch=amd64 ;;
  Linux-aarch64) platform=linux arch=arm64 ;;
  Darwin-x86_64) platform=darwin arch=amd64 ;;
  Darwin-arm64) platform=darwin arch=arm64 ;;
  *) platform="" arch="" ;;
esac
if [ -n "$platform" ] && command -v curl >/dev/null 2>&1; then
  url="https://temporal.download/cli/archive/v$VERSION?platform=$platform&arch=$arch"
  say "downloading $url"
  if curl -fsSL --max-time 300 "$url" | tar -xz -C "$CACHE_DIR" temporal 2>/dev/null && [ -x "$CACHED" ]; then
    echo "$CACHED"; exit 0
  fi
  say "download failed"
fi

say "no Temporal CLI. Install Go >= 1.25 (https://go.dev/dl) and run this again, or download temporal v$VERSION from https://temporal.download and set TEMPORAL_CLI=/path/to/temporal"
exit 1
