function Export-PortReportHtml {
    <#
    .SYNOPSIS
    Writes one self-contained HTML report of logs, objects or a live snapshot, to read offline and hand on.

    .DESCRIPTION
    Export-PortReportHtml makes the Port Reporter Parser's picture as one HTML file that opens in
    any browser without a network: the findings first (rule, severity, process, path, user,
    evidence, first and last seen), then port use by hour of day as a heat map, each process's
    share of network time, the top remote hosts, the users on the network, the services inside
    each process instance (every svchost.exe's), the module inventory, the departures from a
    baseline when -Baseline is given, and a timeline of each beaconing series. The first lines
    give the time range, the hosts, the engine, the PortReport version and how many socket
    events were attributed to a process. Charts are inline SVG; the page runs no script and loads
    nothing (its Content-Security-Policy allows neither); every name, path, command line and user
    is escaped. Large log sets use the DuckDB engine, as Get-PortReportSummary does; progress is
    shown while it works. The file is created owner-only; an existing one is replaced only with
    -Force.

    .PARAMETER Path
    Log folders or files; wildcards allowed; takes pipeline input by the property FullName.

    .PARAMETER LiteralPath
    Log folders or files, taken as written.

    .PARAMETER Live
    Report on this host now.

    .PARAMETER InputObject
    PortReport objects from the pipeline (Get-PortReport, Import-PortReportLog).

    .PARAMETER ClickHouse
    Report on the fleet's logs shipped to a ClickHouse cluster: one server, http://host:8123.

    .PARAMETER ClickHouseHost
    With -ClickHouse: the hosts to report on; wildcards allowed; default: all.

    .PARAMETER Credential
    With -ClickHouse: the ClickHouse user and password.

    .PARAMETER OutFile
    The HTML file to write.

    .PARAMETER Baseline
    A baseline file (New-PortReportBaseline): its departures get a section.

    .PARAMETER Title
    The report's title (default: PortReport: and the host names).

    .PARAMETER After
    Only rows at or after this time.

    .PARAMETER Before
    Only rows before this time.

    .PARAMETER Engine
    Auto (DuckDB for log sets of 64 MB or more), Stream or DuckDB.

    .PARAMETER Force
    Replace OutFile if it exists.

    .EXAMPLE
    Export-PortReportHtml /var/log/portreport -After (Get-Date).AddDays(-7) -OutFile ./web01-week.html

    A week of a server's behaviour, in one file to mail.

    .EXAMPLE
    Export-PortReportHtml -Live -Baseline ./web01.baseline.json -OutFile C:\incident\now.html

    This host now, with what departs from its routine.

    .INPUTS
    Paths, objects with a FullName property, or PortReport objects.

    .OUTPUTS
    None.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    [OutputType([void])]
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

        [Parameter(Mandatory)]
        [string] $OutFile,

        [string] $Baseline,

        [string] $Title,

        [PortReport.IsoTime()] [datetime] $After,

        [PortReport.IsoTime()] [datetime] $Before,

        [ValidateSet('Auto', 'Stream', 'DuckDB')]
        [string] $Engine,

        [switch] $Force
    )

    begin {
        $inputs = New-PortReportAnalysisInput
    }
    process {
        Add-PortReportAnalysisInput -Inputs $inputs -Cmdlet $PSCmdlet -InputObject $InputObject -Path $Path -LiteralPath $LiteralPath
    }
    end {
        if (-not $Live -and -not $ClickHouse -and $inputs.Files.Count -eq 0 -and $inputs.Objects.Count -eq 0) { return }
        $target = Resolve-PortReportInputFile -Path $OutFile -ParameterName 'OutFile' -What 'report' -Parent -Cmdlet $PSCmdlet
        if (-not $PSCmdlet.ShouldProcess($target, 'Write an HTML report')) { return }
        $argv = @('--html', $target) + $(if ($Force) { '--force' } else { @() }) + $(if ($Title) { '--title', $Title } else { @() })
        if ($Baseline) { $argv += '--baseline', (Resolve-PortReportInputFile -Path $Baseline -ParameterName 'Baseline' -What 'baseline' -Cmdlet $PSCmdlet) }
        $common = New-PortReportAnalysisInput -Inputs $inputs -Bound $PSBoundParameters -Cmdlet $PSCmdlet
        Invoke-PortReportAnalysis -Command 'report' -ArgumentList $argv @common
    }
}
