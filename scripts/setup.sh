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

# The release build (out/PortReport/<version>, out/packages/PortReport.<version>.nupkg), installed
# with PowerShell's own Install-PSResource from that local repository: for all users as root, else
# for this user. Then a `portreport` command on PATH that runs the installed module's sidecar.
log "packaging the module (npm run package) and installing it (Install-PSResource)"
npm run --silent package >/dev/null
if [ "$(id -u)" = 0 ]; then scope=AllUsers; bindir=/usr/local/bin; else scope=CurrentUser; bindir="$HOME/.local/bin"; fi
base=$(PR_PACKAGES="$PWD/out/packages" PR_SCOPE=$scope "$PWSH" -NoProfile -NonInteractive -Command '
  $ErrorActionPreference = "Stop"
  $repo = Get-PSResourceRepository -Name PortReportLocal -ErrorAction Ignore
  if (-not $repo -or $repo.Uri.LocalPath.TrimEnd("/") -ne $env:PR_PACKAGES) {
    Register-PSResourceRepository -Name PortReportLocal -Uri $env:PR_PACKAGES -Trusted -Force
  }
  Install-PSResource -Name PortReport -Repository PortReportLocal -Scope $env:PR_SCOPE -TrustRepository -Reinstall -Quiet
  $m = Get-Module -ListAvailable PortReport | Where-Object { $_.ModuleBase -notlike "$PWD/*" } | Sort-Object Version -Descending | Select-Object -First 1
  $m.ModuleBase')
[ -f "$base/sidecar/main.js" ] || die "the installed module has no sidecar at $base/sidecar/main.js"
mkdir -p "$bindir"
node_abs=$(readlink -f "$(command -v node)")
tmp=$(mktemp "$bindir/.portreport.XXXXXX")
printf '#!/bin/sh\n# PortReport command line, written by scripts/setup.sh: the installed module'"'"'s sidecar.\nexec %s %s "$@"\n' \
  "'$node_abs'" "'$base/sidecar/main.js'" > "$tmp"
chmod 0755 "$tmp" && mv -f "$tmp" "$bindir/portreport"
case ":$PATH:" in *":$bindir:"*) ;; *) log "add $bindir to PATH to run portreport by name" ;; esac

if [ "${1:-}" = "report" ]; then
  [ "$(id -u)" = 0 ] || log "not root: sockets of other users' processes will show OwnerStatus AccessDenied"
  # Out-String -Width: a narrow terminal wraps the lines instead of dropping columns.
  exec "$PWSH" -NoProfile -Command "Import-Module PortReport; Get-PortReport | Sort-Object Protocol, LocalPort | Format-Table | Out-String -Width 200"
fi
