#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/setup.sh), then the TypeScript suites (vitest)
# and the PowerShell suites (Pester under the real pwsh). Ends with one line
# "Total: N passed, N failed, N skipped". A skipped, pending, todo or not-run test fails the run
# (a test that did not run proves nothing), unless PORTREPORT_ALLOW_SKIP=1 is set on purpose.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
# Wine, the Windows node.exe and koffi's Windows binary, for the Windows collector's tests.
bash scripts/setup-windows.sh >/dev/null || exit 1
# Debian's clickhouse-server, for the fleet's tests (they start their own cluster on 127.0.0.1).
bash scripts/setup-clickhouse.sh || exit 1
# Debian's chromium, for the HTML report's test in a real headless browser.
bash scripts/setup-chromium.sh || exit 1
mkdir -p .deps/results
rm -f .deps/results/vitest.json .deps/results/vitest-package.json .deps/results/pester.counts .deps/results/pester.failed

npx vitest run --reporter=default --reporter=json --outputFile=.deps/results/vitest.json
ts=$?
# The same suites for every command and native part, against the packaged module's bundled sidecar
# (out/PortReport/<version>/sidecar, built by setup.sh): what users install is what is tested.
bundle=$(ls -d out/PortReport/*/sidecar/main.js | head -n1)
PORTREPORT_TEST_SIDECAR="$PWD/$bundle" npx vitest run --reporter=default --reporter=json --outputFile=.deps/results/vitest-package.json \
  test/cli test/collect/linux/netns.test.ts test/collect/linux/container.test.ts test/analyze/engines.test.ts test/analyze/compact.test.ts \
  test/import/roundtrip.test.ts test/watch/sigkill.test.ts test/version.test.ts test/fleet/ship.test.ts test/report/html.test.ts test/export/siem.test.ts
[ $? -eq 0 ] || ts=1
bash scripts/test-pester.sh .deps/results/pester.counts
ps=$?

read -r vp vf vs < <(node -e '
  let p = 0, f = 0, s = 0;
  for (const file of ["vitest.json", "vitest-package.json"]) {
    try { const r = require("./.deps/results/" + file); p += r.numPassedTests; f += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0); s += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0); }
    catch { f += 1; }
  }
  console.log(p, f, s);')
read -r pp pf psk < <(cat .deps/results/pester.counts 2>/dev/null || echo "0 1 0")
# Each failed test again at the end, with the first lines of its error, where a log's tail shows it.
node -e '
  for (const file of ["vitest.json", "vitest-package.json"]) {
    let r; try { r = require("./.deps/results/" + file); } catch { console.log("FAILED: " + file + " was not written"); continue; }
    for (const suite of r.testResults ?? []) {
      if (suite.status === "failed" && !(suite.assertionResults ?? []).some((a) => a.status === "failed"))
        console.log("FAILED (" + file + "): " + suite.name + ": " + String(suite.message ?? "").split("\n").slice(0, 3).join(" | "));
      for (const a of suite.assertionResults ?? []) if (a.status === "failed") {
        // The JSON report keeps no message for a timeout: only STACK_TRACE_ERROR and the time taken.
        const msg = String(a.failureMessages?.[0] ?? "");
        const why = msg.startsWith("Error: STACK_TRACE_ERROR") ? "timed out (or failed without a message) after " + ((a.duration ?? 0) / 1000).toFixed(1) + " s | " : "";
        console.log("FAILED (" + file + "): " + suite.name + " > " + a.fullName + ": " + why + msg.split("\n").slice(0, 3).join(" | "));
      }
    }
  }'
[ -f .deps/results/pester.failed ] && sed 's/^/FAILED (/; s/: /): /' .deps/results/pester.failed
echo "vitest: $vp passed, $vf failed, $vs skipped; Pester: $pp passed, $pf failed, ${psk:-0} skipped"
echo "Total: $((vp + pp)) passed, $((vf + pf)) failed, $((vs + ${psk:-0})) skipped"
skipped_ok=1
if [ $((vs + ${psk:-0})) -gt 0 ] && [ "${PORTREPORT_ALLOW_SKIP:-0}" != 1 ]; then
  echo "FAIL: tests were skipped (set PORTREPORT_ALLOW_SKIP=1 to allow it on purpose)"
  skipped_ok=0
fi
[ $ts -eq 0 ] && [ $ps -eq 0 ] && [ $skipped_ok -eq 1 ]
