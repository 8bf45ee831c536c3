function Find-PortReportAnomaly {
    <#
    .SYNOPSIS
    Finds what looks like compromise in logs, a live snapshot or piped PortReport objects.

    .DESCRIPTION
    Find-PortReportAnomaly runs the Parser's rules and emits one PortReport.Finding per finding,
    with its rule, severity, host, process, path, user, evidence, first and last seen, and count:

    - Masquerade (High): a well-known system binary's name (svchost.exe, lsass.exe, sshd, cron,
      nginx, ...) running from outside its system directory; case-insensitive on Windows.
    - WatchList (High): watched process names, paths, hashes, modules, users, remote addresses or
      CIDR ranges, host names or ports, from -WatchList files ("kind: value" lines) or parameters.
    - SuspiciousPath / SuspiciousModule (Medium): code run or loaded from temporary, download or
      world-writable directories.
    - NewListeningPort, NewServicePair, NewRemoteHost, NewUser: departures from a -Baseline
      (New-PortReportBaseline); keyed on service ports, never ephemeral ones.
    - Beaconing (Medium): one process contacting one endpoint at regular intervals.
    - RareProcess / RareRemoteHost (Low): seen on the network only a handful of times.

    For scheduled tasks, -FailOn makes the command end with a terminating error (exit code 1 from
    pwsh -Command) when a finding is at or above that severity, after every finding was written.

    .PARAMETER Path
    Log files or folders; wildcards allowed; takes pipeline input by the property FullName.

    .PARAMETER LiteralPath
    Log files or folders, taken as written.

    .PARAMETER Live
    Examine a snapshot of this host now.

    .PARAMETER InputObject
    PortReport.Connection, PortReport.LogRecord or PortReport.ProcessRecord objects.

    .PARAMETER Rule
    Which rule groups to run (default: all).

    .PARAMETER WatchList
    Watch-list files: one "kind: value" entry a line (process, path, hash, module, user, address,
    host, port), # comments. A bad line is a warning naming file and line; the rest is used.

    .PARAMETER WatchProcess
    Process names to watch (wildcards allowed).

    .PARAMETER WatchPath
    Executable paths to watch (wildcards allowed).

    .PARAMETER WatchHash
    Executable SHA-256 hashes to watch.

    .PARAMETER WatchModule
    Module paths to watch (wildcards allowed).

    .PARAMETER WatchUser
    User names to watch (wildcards allowed).

    .PARAMETER WatchAddress
    Remote IP addresses or CIDR ranges to watch.

    .PARAMETER WatchHost
    Host names to watch (wildcards allowed).

    .PARAMETER WatchPort
    Service ports to watch.

    .PARAMETER Baseline
    A baseline file from New-PortReportBaseline: report what departs from it.

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
    Host groups as name=pattern[,pattern] (web=web*): with -Baseline, each host of a group is
    judged against a baseline learned for the group (New-PortReportBaseline -HostGroup).

    .PARAMETER ClickHouse
    Analyse the fleet's logs shipped to a ClickHouse cluster (Publish-PortReportLog) instead of
    files: one server of the cluster, as http://host:8123. The same objects as from files.

    .PARAMETER ClickHouseHost
    With -ClickHouse: the hosts (shipping names) to analyse; wildcards allowed; default: all.

    .PARAMETER Credential
    With -ClickHouse: the ClickHouse user and password (else PORTREPORT_CLICKHOUSE_USER and
    PORTREPORT_CLICKHOUSE_PASSWORD).

    .EXAMPLE
    Find-PortReportAnomaly -Live

    What looks wrong on this host right now.

    .EXAMPLE
    Find-PortReportAnomaly /var/log/portreport -WatchList ./incident-4711.txt -WatchAddress 203.0.113.0/24 | Format-List

    The incident's indicators anywhere in the logs.

    .EXAMPLE
    pwsh -NoProfile -Command "Find-PortReportAnomaly D:\PortReport\Logs -Baseline D:\PortReport\baseline.json -FailOn High | Export-Csv D:\PortReport\findings.csv"

    A scheduled task: keeps the findings and exits non-zero when one is High or Critical.

    .INPUTS
    Paths, objects with a FullName property, or PortReport objects.

    .OUTPUTS
    PortReport.Finding
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('PortReport.Finding')]
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

        [ValidateSet('Masquerade', 'WatchList', 'Suspicious', 'Baseline', 'Beaconing', 'Rare', 'Prevalence')]
        [string[]] $Rule,

        [ValidatePattern('^[^=]+=.+$')]
        [string[]] $HostGroup,

        [string[]] $WatchList,
        [string[]] $WatchProcess,
        [string[]] $WatchPath,
        [ValidatePattern('^[0-9a-fA-F]{64}$')]
        [string[]] $WatchHash,
        [string[]] $WatchModule,
        [string[]] $WatchUser,
        [string[]] $WatchAddress,
        [string[]] $WatchHost,
        [ValidateRange(0, 65535)]
        [int[]] $WatchPort,

        [string] $Baseline,

        [ValidateSet('Low', 'Medium', 'High', 'Critical')]
        [string] $FailOn,

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
        $argv = [System.Collections.Generic.List[string]]::new()
        foreach ($r in $Rule) { $argv.Add('--rules'); $argv.Add($r.ToLowerInvariant()) }
        foreach ($g in $HostGroup) { $argv.Add('--host-group'); $argv.Add($g) }
        foreach ($w in $WatchList) { $argv.Add('--watch-list'); $argv.Add((Resolve-PortReportInputFile -Path $w -ParameterName 'WatchList' -What 'watch list' -Cmdlet $PSCmdlet)) }
        $watch = [ordered]@{ process = $WatchProcess; path = $WatchPath; hash = $WatchHash; module = $WatchModule; user = $WatchUser; address = $WatchAddress; host = $WatchHost; port = $WatchPort }
        foreach ($kind in $watch.Keys) { foreach ($v in $watch[$kind]) { $argv.Add('--watch'); $argv.Add("$kind=$v") } }
        if ($Baseline) { $argv.Add('--baseline'); $argv.Add((Resolve-PortReportInputFile -Path $Baseline -ParameterName 'Baseline' -What 'baseline' -Cmdlet $PSCmdlet)) }
        $common = New-PortReportAnalysisInput -Inputs $inputs -Bound $PSBoundParameters -Cmdlet $PSCmdlet
        $levels = 'Low', 'Medium', 'High', 'Critical'
        $hits = 0
        Invoke-PortReportAnalysis -Command 'detect' -ArgumentList $argv @common | ForEach-Object {
            if ($FailOn -and $levels.IndexOf([string]$_.Severity) -ge $levels.IndexOf($FailOn)) { $hits++ }
            $_
        }
        if ($hits) {
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                [System.Exception]::new("$hits findings at or above severity $FailOn."), 'PortReport.FindingsAtOrAboveSeverity', [System.Management.Automation.ErrorCategory]::SecurityError, $FailOn))
        }
    }
}
