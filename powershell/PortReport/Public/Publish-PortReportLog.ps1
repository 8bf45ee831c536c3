function Publish-PortReportLog {
    <#
    .SYNOPSIS
    Ships PortReport logs to a ClickHouse cluster, every row exactly once.

    .DESCRIPTION
    Publish-PortReportLog sends the rows of PortReport logs (rotated .gz logs and the file a
    running logger is writing) to ClickHouse over its HTTP interface, with this host's name on
    every row, so a fleet's logs can be analysed together. It is resumable: the cluster is asked
    how far each file got, and a state file beside the logs records the same, so a retry after a
    crash, a restart or an outage sends no row twice and loses none. While the server is down it
    backs off and warns with the number of rows pending. With -Follow it keeps shipping new rows
    every second until stopped (Ctrl+C, or the scheduled task ends), so rows reach the cluster
    within seconds of being logged.

    The password comes from -Credential (passed to the sidecar in its environment, never on its
    command line) or from the PORTREPORT_CLICKHOUSE_PASSWORD environment variable. The tables must
    exist: New-PortReportClickHouseSchema makes them.

    .PARAMETER Path
    Log folders or files; wildcards allowed; takes pipeline input by the property FullName.

    .PARAMETER LiteralPath
    Log folders or files, taken as written.

    .PARAMETER Server
    One server of the cluster, as http://host:8123 (no password in it).

    .PARAMETER Database
    The database of PortReport's tables (default portreport).

    .PARAMETER Credential
    The ClickHouse user and password.

    .PARAMETER HostName
    The name rows are shipped under (default: this computer's name).

    .PARAMETER StatePath
    The file recording how far each log got (default: portreport-ship-state.json in the first folder).

    .PARAMETER Follow
    Keep shipping new rows every -Interval until stopped.

    .PARAMETER Interval
    How often -Follow looks for new rows (default 1 second).

    .PARAMETER BatchSize
    Rows per INSERT (default 200000; a batch is sent at 48 MB whatever its rows).

    .EXAMPLE
    Publish-PortReportLog /var/log/portreport -Server http://ch1:8123 -Credential (Get-Credential)

    Ships every log of the folder not yet in the cluster, then reports each file.

    .EXAMPLE
    $env:PORTREPORT_CLICKHOUSE_PASSWORD = $secret; Publish-PortReportLog C:\ProgramData\PortReport\Logs -Server http://ch1:8123 -Follow

    Beside the running logger (a scheduled task at startup): rows reach the cluster within seconds.

    .INPUTS
    Paths, or objects with a FullName property.

    .OUTPUTS
    PortReport.ShippedLog
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess)]
    [OutputType('PortReport.ShippedLog')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName, ParameterSetName = 'Path')]
        [Alias('FullName')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'LiteralPath')]
        [Alias('PSPath', 'LP')]
        [string[]] $LiteralPath,

        [Parameter(Mandatory)]
        [uri] $Server,

        [ValidatePattern('^[A-Za-z_][A-Za-z0-9_]{0,63}$')]
        [string] $Database = 'portreport',

        [pscredential] [System.Management.Automation.Credential()] $Credential = [pscredential]::Empty,

        [string] $HostName,

        [string] $StatePath,

        [switch] $Follow,

        [ValidateRange('00:00:00.05', '1.00:00:00')]
        [timespan] $Interval = '00:00:01',

        [ValidateRange(1, 1000000)]
        [int] $BatchSize = 200000
    )

    begin {
        $paths = [System.Collections.Generic.List[string]]::new()
    }
    process {
        foreach ($f in Resolve-PortReportLogPath -Path $Path -LiteralPath $LiteralPath -Cmdlet $PSCmdlet) { $paths.Add($f) }
    }
    end {
        if ($paths.Count -eq 0) { return }
        if (-not $PSCmdlet.ShouldProcess($Server.ToString(), "Ship the rows of $($paths -join ', ') not yet in the cluster")) { return }
        $argv = @('ship', '--server', $Server.ToString(), '--database', $Database, '--batch-rows', [string]$BatchSize,
            '--interval', $Interval.TotalSeconds.ToString([cultureinfo]::InvariantCulture))
        if ($HostName) { $argv += '--host', $HostName }
        if ($StatePath) { $argv += '--state', $StatePath }
        if ($Follow) { $argv += '--follow' }
        $envs = Get-PortReportClickHouseEnvironment -Credential $Credential
        Invoke-PortReportSidecar -ArgumentList ($argv + '--' + $paths) -TypeName 'PortReport.ShippedLog' -Cmdlet $PSCmdlet -Environment $envs -GracefulStop
    }
}
