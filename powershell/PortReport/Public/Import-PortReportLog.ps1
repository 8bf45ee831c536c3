function Import-PortReportLog {
    <#
    .SYNOPSIS
    Reads PortReport logs and genuine Port Reporter 1.x logs as objects.

    .DESCRIPTION
    Import-PortReportLog reads the logs of Start-PortReporter (portreport-*-v1-*.csv, plain or
    gzip) and the logs of Microsoft's Port Reporter 1.x (PR-PORTS-*.log, joined with the process
    details of the PR-PIDS-*.log they name; PR-PIDS-*.log; PR-INITIAL-*.log; UTF-16LE or ANSI,
    CRLF or LF). It emits PortReport.LogRecord objects for connection events and snapshot sockets
    and PortReport.ProcessRecord objects for process rows, with the property names of
    Get-PortReport, so the same Where-Object filters work on live and logged data.

    Filters run in the sidecar, before objects are built. A malformed row is a warning naming the
    file, line and reason, and the import goes on (-Strict stops at the first). A file that cannot
    be read, is truncated or is not a log is an error for that file only. Long imports show
    progress.

    Times: PortReport logs are UTC. Port Reporter 1.x logged the logging machine's local time
    without a zone; those times are kept as written (DateTimeKind Unspecified), and -After and
    -Before compare them as if they were UTC.

    .PARAMETER Path
    Log files or folders of logs. Wildcards are allowed. Takes pipeline input, also by the
    property FullName (Get-ChildItem output).

    .PARAMETER LiteralPath
    Log files or folders, taken as written (no wildcards).

    .PARAMETER ProcessName
    Only records of processes with these names (wildcards allowed, case-insensitive).

    .PARAMETER Protocol
    Only connection records of this protocol.

    .PARAMETER LocalPort
    Only connection records on these local ports.

    .PARAMETER RemotePort
    Only connection records to these remote ports.

    .PARAMETER RemoteAddress
    Only connection records whose remote address is one of these addresses or CIDR ranges.

    .PARAMETER UserName
    Only records of these user accounts (wildcards allowed).

    .PARAMETER After
    Only records at or after this time.

    .PARAMETER Before
    Only records before this time.

    .PARAMETER Strict
    Stop at the first malformed row instead of warning and going on.

    .PARAMETER Engine
    How a large plain connections log is read. Auto (the default) lets DuckDB scan a log of 64 MiB
    or more with the filters pushed into its scan; Stream always uses the streaming reader; DuckDB
    always scans. The objects and warnings are the same either way (docs/import.md, "Engines").

    .EXAMPLE
    Import-PortReportLog /var/log/portreport | Where-Object Event -eq Close | Group-Object ProcessName

    Which processes closed connections, from every log in the folder.

    .EXAMPLE
    Get-ChildItem D:\OldServers -Recurse -Filter 'PR-PORTS-*.log' | Import-PortReportLog -RemotePort 445

    SMB connections in old Port Reporter logs, with each row's process details from its PR-PIDS log.

    .EXAMPLE
    Import-PortReportLog ./logs -ProcessName svchost* -After (Get-Date).AddDays(-1) | Export-Csv svchost.csv

    A day of svchost activity, filtered before objects are built.

    .INPUTS
    Paths as strings, or objects with a FullName property (Get-ChildItem output).

    .OUTPUTS
    PortReport.LogRecord
    PortReport.ProcessRecord
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('PortReport.LogRecord', 'PortReport.ProcessRecord')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName, ParameterSetName = 'Path')]
        [Alias('FullName')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName, ParameterSetName = 'LiteralPath')]
        [Alias('PSPath', 'LP')]
        [string[]] $LiteralPath,

        [SupportsWildcards()]
        [string[]] $ProcessName,

        [ValidateSet('TCP', 'UDP')]
        [string[]] $Protocol,

        [ValidateRange(0, 65535)]
        [int[]] $LocalPort,

        [ValidateRange(0, 65535)]
        [int[]] $RemotePort,

        [ValidateNotNullOrEmpty()]
        [string[]] $RemoteAddress,

        [SupportsWildcards()]
        [string[]] $UserName,

        [PortReport.IsoTime()] [datetime] $After,

        [PortReport.IsoTime()] [datetime] $Before,

        [switch] $Strict,

        [ValidateSet('Auto', 'Stream', 'DuckDB')] [string] $Engine = 'Auto'
    )

    begin {
        $files = [System.Collections.Generic.List[string]]::new()
    }
    process {
        foreach ($f in Resolve-PortReportLogPath -Path $Path -LiteralPath $LiteralPath -Cmdlet $PSCmdlet) { $files.Add($f) }
    }
    end {
        if ($files.Count -eq 0) { return }
        $argv = [System.Collections.Generic.List[string]]::new()
        $argv.Add('import')
        $add = { param($name, $values) Add-PortReportOption -ArgumentList $argv -Name $name -Value $values }
        & $add 'process' $ProcessName
        & $add 'protocol' $Protocol
        & $add 'local-port' $LocalPort
        & $add 'remote-port' $RemotePort
        & $add 'remote-address' $RemoteAddress
        & $add 'user' $UserName
        if ($PSBoundParameters.ContainsKey('After')) { & $add 'after' (ConvertTo-PortReportIsoTime $After) }
        if ($PSBoundParameters.ContainsKey('Before')) { & $add 'before' (ConvertTo-PortReportIsoTime $Before) }
        if ($Strict) { $argv.Add('--strict') }
        $argv.AddRange([string[]]@('--engine', $Engine.ToLowerInvariant()))
        # The packed form (contract 2: each file and process once) for the compiled reader; the
        # script converter reads the readable NDJSON.
        if (-not $env:PORTREPORT_SCRIPT_CONVERTER) { $argv.AddRange([string[]]@('--format', 'packed')) }
        # The paths come last, after "--", so a file named like an option stays a file.
        $argv.Add('--')
        $argv.AddRange($files)
        Invoke-PortReportSidecar -ArgumentList $argv -TypeName 'PortReport.LogRecord' -TypeProperty 'RecordType' -Cmdlet $PSCmdlet -DateProperty 'Time', 'ProcessStartTime', 'FirstSeen', 'LastSeen'
    }
}
