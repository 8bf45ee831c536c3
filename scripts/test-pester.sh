#!/usr/bin/env bash
# Runs the Pester 5 suites under test/powershell with the real pwsh and the real module.
# Writes "<passed> <failed> <skipped>" to $1 when given (skipped: skipped, not run, inconclusive). Exit code: 0 when all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
PWSH="${PWSH:-$HOME/.dotnet/tools/pwsh}"
PESTER="$PWD/.deps/nuget/pester/5.7.1/tools/Pester.psd1"
COUNTS="${1:-}"
"$PWSH" -NoProfile -NonInteractive -Command "
  \$ErrorActionPreference = 'Stop'
  Import-Module '$PESTER' -MinimumVersion 5.7.1
  \$c = New-PesterConfiguration
  \$c.Run.Path = 'test/powershell'
  \$c.Run.PassThru = \$true
  \$c.Output.Verbosity = 'Detailed'
  \$r = Invoke-Pester -Configuration \$c
  if ('$COUNTS') { Set-Content -LiteralPath '$COUNTS' -Value \"\$(\$r.PassedCount) \$(\$r.FailedCount + \$r.FailedBlocksCount + \$r.FailedContainersCount) \$(\$r.SkippedCount + \$r.NotRunCount + \$r.InconclusiveCount)\" }
  exit ([int](\$r.Result -ne 'Passed'))
"
