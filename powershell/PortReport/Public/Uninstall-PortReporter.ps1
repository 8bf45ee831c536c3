function Uninstall-PortReporter {
    <#
    .SYNOPSIS
    Stops and removes the Port Reporter logging service. The logs are kept.

    .DESCRIPTION
    On Linux, Uninstall-PortReporter stops the portreport.service unit (when systemd is running and
    -Root is /), disables it and removes the unit file. On Windows it stops and removes the Port
    Reporter service. Log files are never removed: delete the log directory yourself when you no longer need
    the history.

    .PARAMETER Root
    Remove an installation below this directory instead of / (Linux).

    .EXAMPLE
    Uninstall-PortReporter -WhatIf

    Shows what would be removed.

    .EXAMPLE
    Uninstall-PortReporter -Root /mnt/image

    Removes the service from the system image mounted at /mnt/image.

    .OUTPUTS
    None.
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([void])]
    param(
        [ValidateNotNullOrEmpty()]
        [string] $Root = '/'
    )

    $def = Get-PortReporterDefinition -Root $Root -Cmdlet $PSCmdlet
    if ($IsWindows) {
        if (-not (Get-Service -Name $def.ServiceName -ErrorAction Ignore)) { Write-Warning "Port Reporter is not installed (no service '$($def.ServiceName)')."; return }
        if ($PSCmdlet.ShouldProcess($def.ServiceName, 'Stop and remove the Port Reporter service (the logs stay)')) {
            Stop-Service -Name $def.ServiceName -Force -ErrorAction Ignore
            & (Join-Path ([Environment]::SystemDirectory) 'sc.exe') delete $def.ServiceName | Out-Null
        }
        return
    }
    if (-not (Test-Path -LiteralPath $def.UnitPath) -and -not (Test-Path -LiteralPath $def.WantsLink)) {
        Write-Warning "Port Reporter is not installed (no '$($def.UnitPath)')."
        return
    }
    if ($PSCmdlet.ShouldProcess($def.UnitPath, 'Stop, disable and remove the systemd unit')) {
        # systemctl by a trusted rule (a system folder owned by root), never from PATH.
        $systemctl = if ($def.IsSystem -and (Test-Path -LiteralPath '/run/systemd/system')) { Resolve-PortReporterExecutable -Name 'systemctl' }
        if ($systemctl) { & $systemctl disable --now $def.Name }
        foreach ($p in $def.WantsLink, $def.UnitPath) {
            if (Test-Path -LiteralPath $p) { Remove-Item -LiteralPath $p -Force }
        }
        if ($systemctl) { & $systemctl daemon-reload }
    }
}
