function ConvertTo-PortReporterServiceCommand {
    <#
    .SYNOPSIS
    The command line the Windows service runs (its ImagePath): the service host
    (PortReportService.exe), then node, the sidecar and the watch arguments, each quoted by the
    CommandLineToArgvW rules, so a path with spaces or quotes reaches the host as one argument.
    .NOTES
    -Command is the definition's command (node, sidecar, 'watch', arguments...); the host adds
    'watch' and '--lifeline' itself.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)] [string] $ServiceHost,
        [Parameter(Mandatory)] [string[]] $Command
    )
    $quote = { param([string]$a) if ($a -notmatch '[\s"]' -and $a) { $a } else { '"' + ($a -replace '(\\*)"', '$1$1\"' -replace '(\\+)$', '$1$1') + '"' } }
    $parts = @($ServiceHost, $Command[0], $Command[1]) + @($Command | Select-Object -Skip 3)
    ($parts | ForEach-Object { & $quote $_ }) -join ' '
}
