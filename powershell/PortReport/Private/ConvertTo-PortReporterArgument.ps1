function ConvertTo-PortReporterArgument {
    <#
    .SYNOPSIS
    The `portreport watch` arguments for the logging options shared by Start-PortReporter and
    Install-PortReporter (their bound parameters). A relative -LogPath is resolved as PowerShell
    resolves paths (against $PWD of the current provider location), not the process directory.
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param(
        [Parameter(Mandatory)] [hashtable] $Bound,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $a = [System.Collections.Generic.List[string]]::new()
    $a.AddRange([string[]]@('--log-path', $Cmdlet.GetUnresolvedProviderPathFromPSPath($Bound['LogPath'])))
    $seconds = { param([timespan] $t) [PortReport.DurationAttribute]::ToArgument($t) }
    if ($Bound.ContainsKey('Interval')) { $a.AddRange([string[]]@('--interval', (& $seconds $Bound['Interval']))) }
    if ($Bound.ContainsKey('MaxFileSize')) { $a.AddRange([string[]]@('--max-file-size', [string][long]$Bound['MaxFileSize'])) }
    if ($Bound.ContainsKey('MaxFileAge')) { $a.AddRange([string[]]@('--max-file-age', (& $seconds $Bound['MaxFileAge']))) }
    if ($Bound.ContainsKey('Duration')) { $a.AddRange([string[]]@('--duration', (& $seconds $Bound['Duration']))) }
    if ($Bound.ContainsKey('RetainCount')) { $a.AddRange([string[]]@('--retain-count', [string]$Bound['RetainCount'])) }
    if ($Bound.ContainsKey('RetainSize')) { $a.AddRange([string[]]@('--retain-size', [string][long]$Bound['RetainSize'])) }
    if ($Bound['NoCompression']) { $a.Add('--no-gzip') }
    if ($Bound['NoHash']) { $a.Add('--no-hash') }
    , $a.ToArray()
}
