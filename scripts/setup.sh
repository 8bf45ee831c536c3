#!/usr/bin/env bash
# Installs everything PortReport needs, idempotently: npm packages, the compiled sidecar, PowerShell
# 7.6 (a .NET global tool) and Pester 5 (from NuGet). Safe to run again: each step is skipped when
# already done.   bash scripts/setup.sh          install only
#                  bash scripts/setup.sh report   install, then show a live port report
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
PWSH="$HOME/.dotnet/tools/pwsh"
log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# Node.js 20 or later runs the sidecar.
command -v node >/dev/null || die "Node.js 20+ is required (node not found on PATH)"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "Node.js 20+ is required (found $(node --version))"

# npm packages, reinstalled only when package-lock.json changed.
stamp=node_modules/.portreport-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

log "building the sidecar (tsc)"
npx tsc -p .

# The module's compiled record types (incremental: quick when nothing changed).
log "building the module's record types (dotnet build)"
dotnet build powershell/dotnet/PortReport.Records -c Release -o powershell/PortReport/bin --nologo -v q >/dev/null

# PowerShell, as a .NET global tool (lands in ~/.dotnet/tools).
if [ ! -x "$PWSH" ]; then
  command -v dotnet >/dev/null || die "the .NET SDK is required to install PowerShell (dotnet not found)"
  log "installing PowerShell $PWSH_VERSION"
  dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/dev/null
elif [ "$("$PWSH" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')" != "$PWSH_VERSION" ]; then
  log "updating PowerShell to $PWSH_VERSION"
  dotnet tool update --global PowerShell --version "$PWSH_VERSION" >/dev/null
fi

# Pester 5 from NuGet, into .deps/nuget (PackageDownload: nothing is built).
if [ ! -f ".deps/nuget/pester/$PESTER_VERSION/tools/Pester.psd1" ]; then
  log "fetching Pester $PESTER_VERSION"
  dotnet restore scripts/deps/Pester.csproj --packages .deps/nuget >/dev/null
fi

# systemd-analyze checks the generated service unit in the tests (systemd need not be running).
if ! command -v systemd-analyze >/dev/null; then
  log "installing systemd (for systemd-analyze)"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends systemd >/dev/null
fi

if [ "${1:-}" = "report" ]; then
  [ "$(id -u)" = 0 ] || log "not root: sockets of other users' processes will show OwnerStatus AccessDenied"
  # Out-String -Width: a narrow terminal wraps the lines instead of dropping columns.
  exec "$PWSH" -NoProfile -Command "Import-Module ./powershell/PortReport/PortReport.psd1; Get-PortReport | Sort-Object Protocol, LocalPort | Format-Table | Out-String -Width 200"
fi
