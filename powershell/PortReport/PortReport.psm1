# PortReport module loader: one function per file, Private helpers first, then the Public cmdlets.
Set-StrictMode -Version 3.0

$script:ContractVersion = 1

# The compiled record types and NDJSON converter (scripts/setup.sh builds them). Without them the
# module still works, through ConvertFrom-Json, only slower.
$script:CompiledRecords = $false
$dll = Join-Path $PSScriptRoot 'bin' 'PortReport.Records.dll'
if (Test-Path -LiteralPath $dll) {
    try {
        Add-Type -LiteralPath $dll -ErrorAction Stop
        $script:CompiledRecords = $true
    } catch {
        Write-Warning "PortReport: could not load $dll ($($_.Exception.Message)); using the slower converter."
    }
}

# Group-Object's table shows attacker-chosen names: escaped while the module is loaded (prepended so
# it wins over PowerShell's own view).
if ($script:CompiledRecords) { Update-FormatData -PrependPath (Join-Path $PSScriptRoot 'PortReport.GroupInfo.Format.ps1xml') }

foreach ($folder in 'Private', 'Public') {
    foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' -File) {
        . $file.FullName
    }
}

Export-ModuleMember -Function (Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File).BaseName
