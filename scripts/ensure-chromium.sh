#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the console's browser tests (test/support/browser.ts drives it with
# playwright-core). It comes from Debian's packages only: never a browser that a test tool downloads.
set -euo pipefail
CHROMIUM="${OT_CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then "$CHROMIUM" --version; exit 0; fi
if [ "$CHROMIUM" = /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium (once)"
  timeout 600 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends chromium >/dev/null
  "$CHROMIUM" --version
  exit 0
fi
echo "no Chromium at $CHROMIUM: install Debian's chromium package (apt-get install chromium), or set OT_CHROMIUM_PATH" >&2
exit 1
