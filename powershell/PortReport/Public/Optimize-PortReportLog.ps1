function Optimize-PortReportLog {
    <#
    .SYNOPSIS
    Compacts closed PortReport logs into Parquet files, so summaries and detections run fast.

    .DESCRIPTION
    Optimize-PortReportLog rewrites each closed (gzipped) PortReport log as a Parquet file beside
    it that holds every row exactly: the same name with .parquet, created owner-only, never
    through a symlink. Get-PortReportSummary, Find-PortReportAnomaly and the baseline cmdlets then
    read the Parquet file in place of the CSV, many times faster. Import-PortReportLog reads the
    CSV while it is there and the Parquet file once it is gone (-DeleteSource): the same records
    and warnings. A log that cannot be read (a truncated gzip) is an error for that file and is
    left as it is.

    .PARAMETER Path
    Log folders or files; wildcards allowed; takes pipeline input by the property FullName.

    .PARAMETER LiteralPath
    Log folders or files, taken as written.

    .PARAMETER All
    Also compact plain .csv logs (closed logs copied from elsewhere; never the file a running
    logger writes).

    .PARAMETER DeleteSource
    Remove each CSV log once its Parquet file is written. The cmdlet's ConfirmImpact is High: it
    asks before each log unless -Confirm:$false (scheduled tasks) or -WhatIf is given.

    .PARAMETER Strict
    Stop at the first malformed row instead of warning and skipping it.

    .EXAMPLE
    Optimize-PortReportLog /var/log/portreport -WhatIf

    Lists the logs that would be compacted.

    .EXAMPLE
    Optimize-PortReportLog /var/log/portreport -DeleteSource -Confirm:$false

    A nightly task: closed logs to Parquet, the CSVs removed.

    .INPUTS
    Paths, or objects with a FullName property.

    .OUTPUTS
    PortReport.CompactedLog
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType('PortReport.CompactedLog')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName, ParameterSetName = 'Path')]
        [Alias('FullName')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'LiteralPath')]
        [Alias('PSPath', 'LP')]
        [string[]] $LiteralPath,

        [switch] $All,

        [switch] $DeleteSource,

        [switch] $Strict
    )

    begin {
        $paths = [System.Collections.Generic.List[string]]::new()
    }
    process {
        foreach ($f in Resolve-PortReportLogPath -Path $Path -LiteralPath $LiteralPath -Cmdlet $PSCmdlet) { $paths.Add($f) }
    }
    end {
        if ($paths.Count -eq 0) { return }
        $flags = @(if ($All) { '--all' })
        $candidates = @(Invoke-PortReportSidecar -ArgumentList (@('compact', '--dry-run') + $flags + '--' + $paths) -TypeName 'PortReport.CompactCandidate' -Cmdlet $PSCmdlet)
        $action = if ($DeleteSource) { 'Compact to Parquet and delete the CSV log' } else { 'Compact to Parquet' }
        $approved = @(foreach ($c in $candidates) { if ($PSCmdlet.ShouldProcess($c.Source, $action)) { $c.Source } })
        if ($approved.Count -eq 0) { return }
        $argv = @('compact') + $flags + $(if ($DeleteSource) { '--delete-source' }) + $(if ($Strict) { '--strict' }) + '--' + $approved
        # Written files are reported even when another failed; a failure is then a terminating error.
        Invoke-PortReportSidecar -ArgumentList $argv -TypeName 'PortReport.CompactedLog' -TypeProperty 'RecordType' -Cmdlet $PSCmdlet
    }
}
