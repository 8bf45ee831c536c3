function Install-PortReporter {
    <#
    .SYNOPSIS
    Installs the Port Reporter logging service so that it starts at boot.

    .DESCRIPTION
    On Linux, Install-PortReporter writes a hardened systemd unit (portreport.service: no new
    privileges, read-only system except the log path, only the capabilities the collector needs),
    enables it for multi-user.target and, when systemd is running and -Root is /, starts it.
    On Windows it registers and starts the Port Reporter service (PortReportService.exe, which runs
    the logger and ends it cleanly on stop), started at boot as LocalSystem and restarted on failure.

    The service runs `portreport watch` with node and the sidecar by absolute path (the ones this
    module uses) and the logging options given here. -Root installs below another directory
    (an image being built, or a test), without touching the running system.

    .PARAMETER LogPath
    The directory for the logs (default /var/log/portreport).

    .PARAMETER Interval
    How often sockets are polled (default 1 second).

    .PARAMETER MaxFileSize
    Rotate a log file at this size in bytes (default 64MB).

    .PARAMETER MaxFileAge
    Rotate a log file at this age (default one day).

    .PARAMETER RetainCount
    Keep at most this many closed files of each log (default 100).

    .PARAMETER RetainSize
    Keep at most this many bytes of closed files of each log (default 4GB).

    .PARAMETER NoCompression
    Leave closed log files uncompressed.

    .PARAMETER NoHash
    Do not compute executables' SHA-256.

    .PARAMETER Root
    Install below this directory instead of / (Linux). Nothing is started.

    .PARAMETER Force
    Replace an existing installation.

    .EXAMPLE
    Install-PortReporter -LogPath /var/log/portreport -WhatIf

    Shows what would be installed.

    .EXAMPLE
    Install-PortReporter -Root /mnt/image -Interval 0:0:2

    Adds the service, polling every two seconds, to the system image mounted at /mnt/image.

    .OUTPUTS
    PortReport.ReporterInstallation
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('PortReport.ReporterInstallation')]
    param(
        [ValidateNotNullOrEmpty()]
        [string] $LogPath = '/var/log/portreport',

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

        [ValidateNotNullOrEmpty()]
        [string] $Root = '/',

        [switch] $Force
    )

    $LogPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($LogPath)
    $bound = @{} + $PSBoundParameters
    $bound.LogPath = $LogPath
    $def = Get-PortReporterDefinition -Root $Root -Cmdlet $PSCmdlet -WatchArgument (ConvertTo-PortReporterArgument -Bound $bound -Cmdlet $PSCmdlet)
    Assert-PortReporterDefinitionText -Cmdlet $PSCmdlet -Value @{ LogPath = $LogPath; Root = $def.Root; Command = $def.Command }
    Test-PortReporterCommand -Command $def.Command -Cmdlet $PSCmdlet
    if ($IsWindows) { return Install-PortReporterService -Definition $def -LogPath $LogPath -Force:$Force -Cmdlet $PSCmdlet }

    if ((Test-Path -LiteralPath $def.UnitPath) -and -not $Force) {
        $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.IOException]::new("Port Reporter is already installed at '$($def.UnitPath)'. Use -Force to replace it, or Uninstall-PortReporter first."),
            'PortReport.AlreadyInstalled', [System.Management.Automation.ErrorCategory]::ResourceExists, $def.UnitPath))
    }
    $unit = New-PortReporterUnit -Command $def.Command -LogPath $LogPath
    $started = $false
    $enabled = $false
    if ($PSCmdlet.ShouldProcess($def.UnitPath, 'Write the systemd unit and enable it at boot')) {
        Install-PortReporterUnit -Definition $def -Unit $unit -Cmdlet $PSCmdlet
        $enabled = $true
        if ($def.IsSystem -and (Test-Path -LiteralPath '/run/systemd/system')) {
            $systemctl = Resolve-PortReporterExecutable -Name 'systemctl'
            if ($systemctl) {
                & $systemctl daemon-reload
                & $systemctl restart $def.Name
                $started = $LASTEXITCODE -eq 0
            } else {
                Write-Warning 'systemctl was not found in a system folder owned by root: the unit is installed and enabled for the next boot, but not started.'
            }
        } elseif ($def.IsSystem) {
            Write-Warning 'systemd is not running on this host: the unit is installed and enabled for the next boot, but not started. Start-PortReporter runs the logger in the foreground meanwhile.'
        }
    }
    [pscustomobject]@{ PSTypeName = 'PortReport.ReporterInstallation'; Platform = 'Linux'; Name = $def.Name; Path = $def.UnitPath; LogPath = $LogPath; Command = $def.Command; Enabled = $enabled; Started = $started }
}
