#!/usr/bin/env bash
# Runs the Pester 5 suites under test/powershell with the real pwsh and the real module: every suite
# against the development layout, then the cmdlets' suites again against the packaged module
# (out/PortReport/<version>, built by setup.sh), each in its own pwsh (one process cannot load two
# copies of the module's compiled types). Writes "<passed> <failed> <skipped>" to $1 when given
# (skipped: skipped, not run, inconclusive). Exit code: 0 when all passed.
set -uo pipefail
cd "$(dirname "$0")/.."
PWSH="${PWSH:-$HOME/.dotnet/tools/pwsh}"
PESTER="$PWD/.deps/nuget/pester/5.7.1/tools/Pester.psd1"
COUNTS="${1:-}"
BUILT=$(ls -d "$PWD"/out/PortReport/*/PortReport.psd1 2>/dev/null | head -n1)
PACKAGED="'test/powershell/Display.Tests.ps1', 'test/powershell/Public/Get-PortReport.Tests.ps1', 'test/powershell/Public/Import-PortReportLog.Tests.ps1', 'test/powershell/Public/Analysis.Tests.ps1', 'test/powershell/Public/PortReporter.Service.Tests.ps1', 'test/powershell/Public/Publish-PortReportLog.Tests.ps1', 'test/powershell/Public/Export-PortReportLog.Tests.ps1'"
total_p=0; total_f=0; total_s=0
mkdir -p .deps/results
run() { # $1: module manifest ('' = the development layout), $2: Pester paths
  local counts; counts=$(mktemp)
  PORTREPORT_TEST_MODULE="$1" "$PWSH" -NoProfile -NonInteractive -Command "
    \$ErrorActionPreference = 'Stop'
    if (-not \$env:PORTREPORT_TEST_MODULE) { Remove-Item Env:PORTREPORT_TEST_MODULE -ErrorAction Ignore }
    else { Write-Host \"Against the packaged module: \$env:PORTREPORT_TEST_MODULE\" }
    Import-Module '$PESTER' -MinimumVersion 5.7.1
    \$c = New-PesterConfiguration
    \$c.Run.Path = @($2)
    \$c.Run.PassThru = \$true
    \$c.Output.Verbosity = 'Detailed'
    \$r = Invoke-Pester -Configuration \$c
    Set-Content -LiteralPath '$counts' -Value \"\$(\$r.PassedCount) \$(\$r.FailedCount + \$r.FailedBlocksCount + \$r.FailedContainersCount) \$(\$r.SkippedCount + \$r.NotRunCount + \$r.InconclusiveCount)\"
    foreach (\$t in \$r.Failed) { Add-Content -ErrorAction Continue -LiteralPath '$PWD/.deps/results/pester.failed' -Value (\"Pester: \$(\$t.ExpandedPath): \$((\$t.ErrorRecord | Select-Object -First 1).ToString() -split \"\`n\" | Select-Object -First 3)\") }
  "
  read -r p f s < <(cat "$counts" 2>/dev/null || echo "0 1 0")
  rm -f "$counts"
  total_p=$((total_p + p)); total_f=$((total_f + ${f:-1})); total_s=$((total_s + ${s:-0}))
}
run '' "'test/powershell'"
if [ -n "$BUILT" ]; then run "$BUILT" "$PACKAGED"; else echo "the packaged module is missing: run bash scripts/setup.sh"; total_f=$((total_f + 1)); fi
[ -n "$COUNTS" ] && echo "$total_p $total_f $total_s" > "$COUNTS"
[ "$total_f" -eq 0 ]
