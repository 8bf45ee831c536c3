function New-PortReportBaseline {
    <#
    .SYNOPSIS
    Learns a host's routine network behaviour from a time range of logs into a baseline file.

    .DESCRIPTION
    New-PortReportBaseline records what is routine: the listening ports of each process, its
    (direction, protocol, service port) pairs, the remote hosts each process talks to, and the
    users on the network. Items are keyed on the service port (the remote port of outbound
    connections, the local port of listeners and inbound ones), never on ephemeral ports.
    The file is JSON, created owner-only; an existing file is replaced only with -Force, and a
    symlink at the target is replaced, never followed. Compare later activity with
    Compare-PortReportBaseline or Find-PortReportAnomaly -Baseline.

    .PARAMETER Path
    Log files or folders to learn from; wildcards allowed; takes pipeline input by FullName.

    .PARAMETER LiteralPath
    Log files or folders, taken as written.

    .PARAMETER Live
    Learn from a snapshot of this host now.

    .PARAMETER InputObject
    PortReport.Connection, PortReport.LogRecord or PortReport.ProcessRecord objects.

    .PARAMETER OutFile
    Where to write the baseline.

    .PARAMETER Force
    Replace an existing baseline file.

    .PARAMETER After
    Learn only from activity at or after this time.

    .PARAMETER Before
    Learn only from activity before this time.

    .PARAMETER Engine
    Auto (default), Stream or DuckDB.

    .PARAMETER Strict
    Stop at the first malformed log row.

    .PARAMETER HostGroup
    Learn one baseline per group of hosts, name=pattern[,pattern] (web=web*): every web server's
    routine becomes the group's, and Find-PortReportAnomaly -HostGroup judges each member by it.

    .PARAMETER ClickHouse
    Analyse the fleet's logs shipped to a ClickHouse cluster (Publish-PortReportLog) instead of
    files: one server of the cluster, as http://host:8123. The same objects as from files.

    .PARAMETER ClickHouseHost
    With -ClickHouse: the hosts (shipping names) to analyse; wildcards allowed; default: all.

    .PARAMETER Credential
    With -ClickHouse: the ClickHouse user and password (else PORTREPORT_CLICKHOUSE_USER and
    PORTREPORT_CLICKHOUSE_PASSWORD).

    .EXAMPLE
    New-PortReportBaseline /var/log/portreport -After '2026-11-01' -Before '2026-11-29' -OutFile ./web01.baseline.json

    Four weeks of routine, learned from the logs.

    .EXAMPLE
    New-PortReportBaseline -Live -OutFile ./now.json -WhatIf

    Shows what would be written, writes nothing.

    .INPUTS
    Paths, objects with a FullName property, or PortReport objects.

    .OUTPUTS
    PortReport.BaselineInfo
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    [OutputType('PortReport.BaselineInfo')]
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

        [switch] $Force,

        [PortReport.IsoTime()] [datetime] $After,
        [PortReport.IsoTime()] [datetime] $Before,

        [ValidateSet('Auto', 'Stream', 'DuckDB')]
        [string] $Engine,

        [ValidatePattern('^[^=]+=.+$')]
        [string[]] $HostGroup,

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
        $target = Resolve-PortReportInputFile -Path $OutFile -ParameterName 'OutFile' -What 'baseline' -Parent -Cmdlet $PSCmdlet
        $what = if ($Live) { 'a live snapshot' } elseif ($ClickHouse) { "the fleet's logs on $ClickHouse" } elseif ($inputs.Files.Count) { "$($inputs.Files.Count) log paths" } else { "$($inputs.Objects.Count) objects" }
        if (-not $PSCmdlet.ShouldProcess($target, "Write a baseline learned from $what")) { return }
        $argv = @('--out', $target) + $(if ($Force) { '--force' } else { @() }) + @(foreach ($g in $HostGroup) { '--host-group', $g })
        $common = New-PortReportAnalysisInput -Inputs $inputs -Bound $PSBoundParameters -Cmdlet $PSCmdlet
        Invoke-PortReportAnalysis -Command 'baseline' -ArgumentList $argv @common
    }
}
