#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/setup.sh), then the TypeScript suites (vitest)
# and the PowerShell suites (Pester under the real pwsh). Ends with one line "Total: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
mkdir -p .deps/results
rm -f .deps/results/vitest.json .deps/results/pester.counts

npx vitest run --reporter=default --reporter=json --outputFile=.deps/results/vitest.json
ts=$?
bash scripts/test-pester.sh .deps/results/pester.counts
ps=$?

read -r vp vf < <(node -e '
  try { const r = require("./.deps/results/vitest.json"); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)); }
  catch { console.log(0, 1); }')
read -r pp pf < <(cat .deps/results/pester.counts 2>/dev/null || echo "0 1")
echo "vitest: $vp passed, $vf failed; Pester: $pp passed, $pf failed"
echo "Total: $((vp + pp)) passed, $((vf + pf)) failed"
[ $ts -eq 0 ] && [ $ps -eq 0 ]
