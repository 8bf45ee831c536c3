function Start-PortReporter {
    <#
    .SYNOPSIS
    Runs the Port Reporter logging service in the foreground until stopped.

    .DESCRIPTION
    Start-PortReporter runs `portreport watch`: it writes an initial log of every socket and process
    at start, then a connections log with a row for every socket that opens, changes state or
    closes (including connections that live between two polls), and a processes log with a row for
    every process the first time it is seen and whenever its loaded modules change.

    The logs are CSV files (Import-Csv and Excel open them) in -LogPath, which is created
    owner-only and is never followed through a symbolic link. Files rotate by size and age, closed
    files are compressed, and old files are removed by count and total size. A full or read-only
    disk is reported as a warning or error here and as a row in the next file that can be written;
    logging goes on.

    It runs in the foreground, for a scheduled task, a service manager or an interactive session;
    Ctrl+C stops it cleanly. Install-PortReporter makes it a service that starts at boot.

    .PARAMETER LogPath
    The directory for the logs. Created with mode 0700 when missing.

    .PARAMETER Interval
    How often sockets are polled (default 1 second).

    .PARAMETER MaxFileSize
    Rotate a log file at this size in bytes (default 64MB). PowerShell's 64MB notation works.

    .PARAMETER MaxFileAge
    Rotate a log file at this age (default one day).

    .PARAMETER RetainCount
    Keep at most this many closed files of each log (default 100).

    .PARAMETER RetainSize
    Keep at most this many bytes of closed files of each log (default 4GB).

    .PARAMETER NoCompression
    Leave closed log files uncompressed (default: gzip).

    .PARAMETER NoHash
    Do not compute executables' SHA-256 for the processes log.

    .PARAMETER Duration
    Stop after this long (default: run until stopped).

    .EXAMPLE
    Start-PortReporter -LogPath /var/log/portreport

    Logs until Ctrl+C, polling every second.

    .EXAMPLE
    Start-PortReporter -LogPath /var/log/portreport -Interval 0:0:5 -MaxFileSize 16MB -Duration 8:00:00

    Logs for eight hours with five-second polls and 16 MB files, as a scheduled task might.

    .OUTPUTS
    None. The logs are the output; read them with Import-Csv.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([void])]
    param(
        [Parameter(Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $LogPath,

        [PortReport.Duration()]
        [timespan] $Interval,

        [ValidateRange(4096, [long]::MaxValue)]
        [long] $MaxFileSize,

        [PortReport.Duration()]
        [timespan] $MaxFileAge,

        [ValidateRange(0, [int]::MaxValue)]
        [int] $RetainCount,

        [ValidateRange(0, [long]::MaxValue)]
        [long] $RetainSize,

        [switch] $NoCompression,

        [switch] $NoHash,

        [PortReport.Duration()]
        [timespan] $Duration
    )

    $argv = [System.Collections.Generic.List[string]]::new()
    $argv.AddRange([string[]](ConvertTo-PortReporterArgument -Bound $PSBoundParameters -Cmdlet $PSCmdlet))
    if ($PSCmdlet.ShouldProcess($LogPath, 'Log every connection and process')) {
        Invoke-PortReportSidecar -ArgumentList (@('watch') + $argv) -TypeName 'PortReport.ReporterEvent' -Cmdlet $PSCmdlet -NodeArgument $script:LoggerNodeArguments -GracefulStop -Lifeline
    }
}
