function Get-PortReportSummary {
    <#
    .SYNOPSIS
    The Port Reporter Parser's reports over logs, a live snapshot or piped PortReport objects.

    .DESCRIPTION
    Get-PortReportSummary answers "what is normal on this host": the share of time each local
    service port is in use, each process's network activity, how often each remote host is
    contacted, the user accounts running networked processes, port use by hour of day, every
    service hosted by each process (each svchost.exe instance on Windows, each systemd unit on
    Linux) and an inventory of loaded modules.

    Large log sets are analysed by the embedded DuckDB engine, small ones and live data by the
    streaming engine; both give identical results. Each report has its own object type and table
    view: PortReport.PortSummary, .ProcessSummary, .RemoteHostSummary, .UserSummary,
    .HourSummary, .ServiceSummary, .ModuleSummary.

    "Share of time" is the share of the host's observed hours (hours with any logged activity) in
    which the port or process had activity.

    .PARAMETER Path
    Log files or folders (PortReport logs, plain or gzip, and Port Reporter 1.x logs). Wildcards
    are allowed; takes pipeline input by the property FullName (Get-ChildItem output).

    .PARAMETER LiteralPath
    Log files or folders, taken as written.

    .PARAMETER Live
    Summarise a snapshot of this host now.

    .PARAMETER InputObject
    PortReport.Connection (Get-PortReport), PortReport.LogRecord or PortReport.ProcessRecord
    (Import-PortReportLog) objects from the pipeline.

    .PARAMETER Report
    Which reports to emit whole, one object a row: Port, Process, Remote, User, Hour, Service,
    Module, or All. Without it, one PortReport.SummaryOverview a report (its rows and its top
    three), a short table that says which -Report shows more.

    .PARAMETER Baseline
    A baseline file (New-PortReportBaseline): also emit a PortReport.Finding for each departure
    from it, from the same pass over the input.

    .PARAMETER After
    Only activity at or after this time.

    .PARAMETER Before
    Only activity before this time.

    .PARAMETER Engine
    Auto (default: DuckDB for 64 MB of logs or more), Stream or DuckDB.

    .PARAMETER Strict
    Stop at the first malformed log row instead of warning and going on.

    .PARAMETER ClickHouse
    Analyse the fleet's logs shipped to a ClickHouse cluster (Publish-PortReportLog) instead of
    files: one server of the cluster, as http://host:8123. The same objects as from files.

    .PARAMETER ClickHouseHost
    With -ClickHouse: the hosts (shipping names) to analyse; wildcards allowed; default: all.

    .PARAMETER Credential
    With -ClickHouse: the ClickHouse user and password (else PORTREPORT_CLICKHOUSE_USER and
    PORTREPORT_CLICKHOUSE_PASSWORD).

    .EXAMPLE
    Get-PortReportSummary /var/log/portreport

    One line a report: how many rows it has and its top three; then -Report Port (or All) for the rows.

    .EXAMPLE
    Get-PortReportSummary /var/log/portreport -Report Port | Sort-Object ShareOfTime -Descending

    The service ports of this host, the busiest first.

    .EXAMPLE
    Get-PortReportSummary /var/log/portreport -After (Get-Date).Date.AddDays(-1) -Baseline ./web01.baseline.json

    Yesterday's reports and what departed from the baseline, in one pass over the logs.

    .EXAMPLE
    Get-PortReport | Get-PortReportSummary -Report Service

    Every service hosted by each process right now.

    .EXAMPLE
    Get-ChildItem \\fileserver\logs\web* | Get-PortReportSummary -Report Hour | Where-Object ServicePort -eq 443 | Format-Table Hour, Connections

    HTTPS use by hour of day across a folder of logs.

    .INPUTS
    Paths, objects with a FullName property, or PortReport objects.

    .OUTPUTS
    PortReport.PortSummary
    PortReport.ProcessSummary
    PortReport.RemoteHostSummary
    PortReport.UserSummary
    PortReport.HourSummary
    PortReport.ServiceSummary
    PortReport.ModuleSummary
    PortReport.SummaryOverview
    PortReport.Finding
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('PortReport.PortSummary', 'PortReport.ProcessSummary', 'PortReport.RemoteHostSummary', 'PortReport.UserSummary',
        'PortReport.HourSummary', 'PortReport.ServiceSummary', 'PortReport.ModuleSummary', 'PortReport.SummaryOverview', 'PortReport.Finding')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName, ParameterSetName = 'Path')]
        [Alias('FullName')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'LiteralPath')]
        [Alias('PSPath', 'LP')]
        [string[]] $LiteralPath,

        [Parameter(Mandatory, ParameterSetName = 'Live')]
        [switch] $Live,

        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InputObject')]
        [psobject] $InputObject,

        [Parameter(Mandatory, ParameterSetName = 'ClickHouse')]
        [uri] $ClickHouse,

        [Parameter(ParameterSetName = 'ClickHouse')]
        [SupportsWildcards()]
        [string[]] $ClickHouseHost,

        [Parameter(ParameterSetName = 'ClickHouse')]
        [pscredential] [System.Management.Automation.Credential()] $Credential = [pscredential]::Empty,

        [ValidateSet('Port', 'Process', 'Remote', 'User', 'Hour', 'Service', 'Module', 'All')]
        [string[]] $Report,

        [string] $Baseline,

        [PortReport.IsoTime()] [datetime] $After,

        [PortReport.IsoTime()] [datetime] $Before,

        [ValidateSet('Auto', 'Stream', 'DuckDB')]
        [string] $Engine,

        [switch] $Strict
    )

    begin {
        $inputs = New-PortReportAnalysisInput
    }
    process {
        Add-PortReportAnalysisInput -Inputs $inputs -Cmdlet $PSCmdlet -InputObject $InputObject -Path $Path -LiteralPath $LiteralPath
    }
    end {
        if (-not $Live -and -not $ClickHouse -and $inputs.Files.Count -eq 0 -and $inputs.Objects.Count -eq 0) { return }
        $argv = @(foreach ($r in $Report) { if ($r -ne 'All') { '--report'; $r.ToLowerInvariant() } })
        if ($Report -contains 'All') { $argv = @() }
        if ($Baseline) { $argv += '--baseline', (Resolve-PortReportInputFile -Path $Baseline -ParameterName 'Baseline' -What 'baseline' -Cmdlet $PSCmdlet) }
        $common = New-PortReportAnalysisInput -Inputs $inputs -Bound $PSBoundParameters -Cmdlet $PSCmdlet
        if ($Report) {
            Invoke-PortReportAnalysis -Command 'summary' -ArgumentList $argv @common
            return
        }
        # No -Report: an overview, one line a report (the departures from a baseline follow whole).
        $rows = [System.Collections.Generic.List[object]]::new()
        Invoke-PortReportAnalysis -Command 'summary' -ArgumentList $argv @common | ForEach-Object {
            if ($_.PSObject.TypeNames[0] -eq 'PortReport.Finding') { $_ } else { $rows.Add($_) }
        } -End { New-PortReportSummaryOverview -Rows $rows.ToArray() }
    }
}
