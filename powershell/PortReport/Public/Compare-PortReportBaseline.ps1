function Compare-PortReportBaseline {
    <#
    .SYNOPSIS
    Reports what departs from a baseline: new listening ports, service pairs, remote hosts, users.

    .DESCRIPTION
    Compare-PortReportBaseline compares logs, a live snapshot or piped PortReport objects with a
    baseline file from New-PortReportBaseline and emits a PortReport.Finding for each item the
    baseline does not have: NewListeningPort (Medium), NewServicePair (Low), NewRemoteHost (Low)
    and NewUser (Medium). It is Find-PortReportAnomaly -Rule Baseline.

    .PARAMETER Baseline
    The baseline file.

    .PARAMETER Path
    Log files or folders; wildcards allowed; takes pipeline input by FullName.

    .PARAMETER LiteralPath
    Log files or folders, taken as written.

    .PARAMETER Live
    Compare a snapshot of this host now.

    .PARAMETER InputObject
    PortReport.Connection, PortReport.LogRecord or PortReport.ProcessRecord objects.

    .PARAMETER FailOn
    End with a terminating error when a finding is at or above this severity.

    .PARAMETER After
    Only activity at or after this time.

    .PARAMETER Before
    Only activity before this time.

    .PARAMETER Engine
    Auto (default), Stream or DuckDB.

    .PARAMETER Strict
    Stop at the first malformed log row.

    .PARAMETER HostGroup
    Host groups as name=pattern[,pattern] (web=web*), for a baseline learned per group.

    .PARAMETER ClickHouse
    Analyse the fleet's logs shipped to a ClickHouse cluster (Publish-PortReportLog) instead of
    files: one server of the cluster, as http://host:8123. The same objects as from files.

    .PARAMETER ClickHouseHost
    With -ClickHouse: the hosts (shipping names) to analyse; wildcards allowed; default: all.

    .PARAMETER Credential
    With -ClickHouse: the ClickHouse user and password (else PORTREPORT_CLICKHOUSE_USER and
    PORTREPORT_CLICKHOUSE_PASSWORD).

    .EXAMPLE
    Compare-PortReportBaseline -Baseline ./web01.baseline.json -Live

    What this host does now that it did not do while the baseline was learned.

    .EXAMPLE
    Compare-PortReportBaseline /var/log/portreport -Baseline ./web01.baseline.json -After (Get-Date).AddDays(-1) | Group-Object Rule

    Yesterday's departures, by kind.

    .INPUTS
    Paths, objects with a FullName property, or PortReport objects.

    .OUTPUTS
    PortReport.Finding
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('PortReport.Finding')]
    param(
        [Parameter(Mandatory)]
        [string] $Baseline,

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

        [ValidateSet('Low', 'Medium', 'High', 'Critical')]
        [string] $FailOn,

        [ValidatePattern('^[^=]+=.+$')]
        [string[]] $HostGroup,

        [PortReport.IsoTime()] [datetime] $After,
        [PortReport.IsoTime()] [datetime] $Before,

        [ValidateSet('Auto', 'Stream', 'DuckDB')]
        [string] $Engine,

        [switch] $Strict
    )

    begin {
        $params = @{} + $PSBoundParameters
        foreach ($k in 'Path', 'LiteralPath', 'InputObject') { [void]$params.Remove($k) }
        $params.Rule = 'Baseline'
        $items = [System.Collections.Generic.List[object]]::new()
    }
    process {
        # Collected here and handed over in one call, so the comparison sees every input at once.
        if ($PSCmdlet.ParameterSetName -eq 'InputObject') { $items.Add($InputObject) }
        elseif ($PSCmdlet.ParameterSetName -eq 'Path') { foreach ($p in $Path) { $items.Add($p) } }
        else { foreach ($p in $LiteralPath) { $items.Add($p) } }
    }
    end {
        try {
            switch ($PSCmdlet.ParameterSetName) {
                'Live' { Find-PortReportAnomaly @params }
                'ClickHouse' { Find-PortReportAnomaly @params }
                'Path' { if ($items.Count) { Find-PortReportAnomaly -Path ([string[]]$items) @params } }
                'LiteralPath' { if ($items.Count) { Find-PortReportAnomaly -LiteralPath ([string[]]$items) @params } }
                'InputObject' { if ($items.Count) { $items | Find-PortReportAnomaly @params } }
            }
        } catch {
            # Raised again from this cmdlet, as the user ran it (not from the line inside it that called Find-PortReportAnomaly).
            $id = ($_.FullyQualifiedErrorId -split ',')[0]
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($_.Exception, $id, $_.CategoryInfo.Category, $_.TargetObject))
        }
    }
}
