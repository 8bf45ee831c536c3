#!/usr/bin/env bash
# Debian's chromium, for the report test that opens the HTML report in a real headless browser
# (scripts/test.sh runs it), idempotently; without its recommends.
set -euo pipefail
if ! command -v chromium >/dev/null; then
  printf '==> installing chromium (Debian)\n' >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
