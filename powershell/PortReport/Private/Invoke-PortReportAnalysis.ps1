function Invoke-PortReportAnalysis {
    <#
    .SYNOPSIS
    Runs an analysis command of the sidecar (summary, detect, baseline) over log files, a live
    snapshot, or PortReport objects from the pipeline (written owner-only to a temporary NDJSON
    file, deleted afterwards), and streams its records as PortReport.<RecordType> objects.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Command,
        [string[]] $ArgumentList = @(),
        [string[]] $File = @(),
        [System.Collections.IList] $InputObject,
        [switch] $Live,
        [Nullable[datetime]] $After,
        [Nullable[datetime]] $Before,
        [string] $Engine,
        [switch] $Strict,
        [uri] $ClickHouse,
        [string[]] $ClickHouseHost = @(),
        [pscredential] $Credential,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $argv = [System.Collections.Generic.List[string]]::new()
    $argv.Add($Command)
    foreach ($a in $ArgumentList) { $argv.Add($a) }
    if ($After) { $argv.Add('--after'); $argv.Add((ConvertTo-PortReportIsoTime $After)) }
    if ($Before) { $argv.Add('--before'); $argv.Add((ConvertTo-PortReportIsoTime $Before)) }
    if ($Engine) { $argv.Add('--engine'); $argv.Add($Engine.ToLowerInvariant()) }
    if ($Strict) { $argv.Add('--strict') }
    if ($Live) { $argv.Add('--live') }
    if ($ClickHouse) {
        $argv.Add('--clickhouse'); $argv.Add($ClickHouse.ToString())
        foreach ($h in $ClickHouseHost) { $argv.Add('--hosts'); $argv.Add($h.Replace('\', '\\').Replace(',', '\,')) }
    }
    $temp = $null
    try {
        if ($InputObject -and $InputObject.Count) {
            # GetTempFileName creates the file owner-only (mkstemp on Unix).
            $temp = [System.IO.Path]::GetTempFileName()
            $writer = [System.IO.StreamWriter]::new($temp, $false, [System.Text.UTF8Encoding]::new($false))
            try {
                $skipped = 0
                foreach ($o in $InputObject) {
                    $line = ConvertTo-PortReportNdjson -InputObject $o
                    if ($null -eq $line) { $skipped++; continue }
                    $writer.WriteLine($line)
                }
            } finally { $writer.Dispose() }
            if ($skipped) {
                $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                    [System.ArgumentException]::new("$skipped input objects were not PortReport.Connection, PortReport.LogRecord or PortReport.ProcessRecord objects and were skipped."),
                    'PortReport.UnsupportedInputObject', [System.Management.Automation.ErrorCategory]::InvalidType, $null))
            }
            $argv.Add('--input'); $argv.Add($temp)
        }
        if ($File.Count) { $argv.Add('--'); $argv.AddRange($File) }
        Invoke-PortReportSidecar -ArgumentList $argv -TypeName 'PortReport.Finding' -TypeProperty 'RecordType' -Cmdlet $Cmdlet -DateProperty 'FirstSeen', 'LastSeen', 'Created', 'ProcessStartTime' `
            -Environment (Get-PortReportClickHouseEnvironment -Credential $Credential)
    } finally {
        if ($temp) { Remove-Item -LiteralPath $temp -Force -ErrorAction SilentlyContinue }
    }
}
