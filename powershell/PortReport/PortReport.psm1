# PortReport module loader: one function per file, Private helpers first, then the Public cmdlets.
Set-StrictMode -Version 3.0

$script:ContractVersion = 1

foreach ($folder in 'Private', 'Public') {
    foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot $folder) -Filter '*.ps1' -File) {
        . $file.FullName
    }
}

Export-ModuleMember -Function (Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File).BaseName
