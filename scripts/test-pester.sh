#!/usr/bin/env bash
# Runs the Pester 5 suites under test/powershell with the real pwsh and the real module.
# Writes "<passed> <failed> <skipped>" to $1 when given (skipped: skipped, not run, inconclusive). Exit code: 0 when all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PWSH="${PWSH:-$HOME/.dotnet/tools/pwsh}"
PESTER="$PWD/.deps/nuget/pester/5.7.1/tools/Pester.psd1"
COUNTS="${1:-}"
# Every suite against the development layout, then the cmdlets' suites again against the packaged module (out/PortReport/<version>, built by
# setup.sh): its one-file loader and bundled sidecar must behave as the development layout does.
BUILT=$(ls -d "$PWD"/out/PortReport/*/PortReport.psd1 | head -n1)
"$PWSH" -NoProfile -NonInteractive -Command "
  \$ErrorActionPreference = 'Stop'
  Import-Module '$PESTER' -MinimumVersion 5.7.1
  \$runs = @(
    @{ Path = @('test/powershell'); Module = \$null },
    @{ Path = @('test/powershell/Display.Tests.ps1', 'test/powershell/Public/Get-PortReport.Tests.ps1', 'test/powershell/Public/Import-PortReportLog.Tests.ps1', 'test/powershell/Public/Analysis.Tests.ps1', 'test/powershell/Public/PortReporter.Service.Tests.ps1'); Module = '$BUILT' }
  )
  \$passed = 0; \$failed = 0; \$skipped = 0
  foreach (\$run in \$runs) {
    \$env:PORTREPORT_TEST_MODULE = \$run.Module
    if (\$run.Module) { Write-Host \"Against the packaged module: \$(\$run.Module)\" }
    \$c = New-PesterConfiguration
    \$c.Run.Path = \$run.Path
    \$c.Run.PassThru = \$true
    \$c.Output.Verbosity = 'Detailed'
    \$r = Invoke-Pester -Configuration \$c
    \$passed += \$r.PassedCount
    \$failed += \$r.FailedCount + \$r.FailedBlocksCount + \$r.FailedContainersCount
    \$skipped += \$r.SkippedCount + \$r.NotRunCount + \$r.InconclusiveCount
  }
  if ('$COUNTS') { Set-Content -LiteralPath '$COUNTS' -Value \"\$passed \$failed \$skipped\" }
  exit ([int](\$failed -ne 0))
"
