# PortReport module loader: one function per file, Private helpers first, then the Public cmdlets.
Set-StrictMode -Version 3.0

$script:ContractVersion = 2
# Node options of the long-running logger (the service unit, Start-PortReporter): a small young
# generation keeps its resident memory under 150 MB at 20,000 sockets (docs/performance.md).
$script:LoggerNodeArguments = @('--max-semi-space-size=2', '--optimize-for-size')
# Where the module's own files are: the sidecar is found from here (Resolve-PortReportSidecar).
$script:ModuleRoot = $PSScriptRoot

# The compiled record types, NDJSON converter, display escaping and parameter transforms
# (scripts/setup.sh builds them): required, since the views escape attacker text through them and
# the cmdlets' parameters use them.
$script:CompiledRecords = $false
$dll = Join-Path $PSScriptRoot 'bin' 'PortReport.Records.dll'
try {
    Add-Type -LiteralPath $dll -ErrorAction Stop
    $script:CompiledRecords = $true
} catch {
    throw "PortReport: cannot load $dll ($($_.Exception.Message)). Build it with 'bash scripts/setup.sh' (dotnet build of powershell/dotnet/PortReport.Records)."
}

# Group-Object's table shows attacker-chosen names: escaped while the module is loaded (prepended so
# it wins over PowerShell's own view).
Update-FormatData -PrependPath (Join-Path $PSScriptRoot 'PortReport.GroupInfo.Format.ps1xml')

# region sources: scripts/package.mjs puts the files' text here, Private then Public, in one file.
foreach ($folder in 'Private', 'Public') {
    foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' -File) {
        . $file.FullName
    }
}
# endregion sources

# Where Windows' Get-NetTCPConnection / Get-NetUDPEndpoint do not exist (Linux), scripts written
# for them run on the stand-ins shaped like them.
$script:Aliases = @(foreach ($pair in @(@('Get-NetTCPConnection', 'Get-PortReportTcpConnection'), @('Get-NetUDPEndpoint', 'Get-PortReportUdpEndpoint'))) {
        if (-not (Get-Command -Name $pair[0] -CommandType Cmdlet, Function -ErrorAction Ignore)) { Set-Alias -Name $pair[0] -Value $pair[1]; $pair[0] }
    })

Export-ModuleMember -Function (Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File).BaseName -Alias $script:Aliases
