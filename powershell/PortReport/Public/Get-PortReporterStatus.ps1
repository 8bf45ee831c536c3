function Get-PortReporterStatus {
    <#
    .SYNOPSIS
    Shows whether the Port Reporter service is installed, enabled and running, and what it logged.

    .DESCRIPTION
    Get-PortReporterStatus reports the service definition (systemd unit on Linux, the Port Reporter
    service on Windows) and what the log folder itself says: whether a logger holds the folder's lock now and
    its process id (read from the kernel's lock table, without disturbing it), since when, the
    newest write, and the logger's own notes: when it last started, stopped (and why) and lost
    events (LastGap). For each log (initial, connections, processes): its newest file, when it was
    last written, and the number and total size of its files. The log path is read from the
    installed service unless -LogPath is given; a relative one is taken from the current location.

    .PARAMETER LogPath
    The log directory to report on (default: the installed service's, else /var/log/portreport).

    .PARAMETER Root
    Look for the service definition below this directory instead of / (Linux).

    .EXAMPLE
    Get-PortReporterStatus

    Is the logger installed and running, and when did it last write?

    .EXAMPLE
    Get-PortReporterStatus -LogPath ./logs | Select-Object -ExpandProperty Logs

    The files of each log in ./logs.

    .OUTPUTS
    PortReport.ReporterStatus
    #>
    [CmdletBinding()]
    [OutputType('PortReport.ReporterStatus')]
    param(
        [string] $LogPath,

        [ValidateNotNullOrEmpty()]
        [string] $Root = '/'
    )

    $def = Get-PortReporterDefinition -Root $Root -Cmdlet $PSCmdlet
    $installed = $false; $enabled = $false
    $service = $null
    if ($IsWindows) {
        $service = Get-Service -Name $def.ServiceName -ErrorAction Ignore
        $installed = [bool]$service
        $enabled = [bool]($service -and $service.StartType -ne 'Disabled')
        if ($service -and -not $LogPath) {
            $image = (Get-ItemProperty -LiteralPath "HKLM:\SYSTEM\CurrentControlSet\Services\$($def.ServiceName)" -ErrorAction Ignore).ImagePath
            $m = [regex]::Match([string]$image, '--log-path[= ]"?([^"]+?)"?(\s|$)')
            if ($m.Success) { $LogPath = $m.Groups[1].Value }
        }
    } else {
        $installed = Test-Path -LiteralPath $def.UnitPath -PathType Leaf
        $enabled = $null -ne (Get-Item -LiteralPath $def.WantsLink -Force -ErrorAction Ignore)
        if ($installed -and -not $LogPath) {
            $m = [regex]::Match((Get-Content -LiteralPath $def.UnitPath -Raw), '"--log-path" "((?:[^"\\]|\\.)*)"')
            if ($m.Success) { $LogPath = $m.Groups[1].Value -replace '\\(.)', '$1' -replace '%%', '%' }
        }
    }
    if (-not $LogPath) { $LogPath = '/var/log/portreport' }
    $LogPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($LogPath)
    # What the log folder says (the sidecar reads the kernel's lock table and the logger's notes):
    # the logger holding this folder, not any process that looks like one.
    $logger = $null
    # On Windows the folder's notes come from `portreport status` (the CLI): under Wine the PowerShell host
    # crashes the CLR in a finalizer after this call (docs/windows.md), so the cmdlet leaves them out there.
    if (-not $IsWindows -and (Test-Path -LiteralPath $LogPath -PathType Container)) {
        $logger = Invoke-PortReportSidecar -ArgumentList @('status', "--log-path=$LogPath") -TypeName 'PortReport.LoggerStatus' -Cmdlet $PSCmdlet | Select-Object -First 1
    }
    $logs = foreach ($kind in 'initial', 'connections', 'processes') {
        $files = @(Get-ChildItem -LiteralPath $LogPath -File -Filter "portreport-$kind-v1-*" -ErrorAction Ignore | Sort-Object Name)
        $total = [long]0
        foreach ($f in $files) { $total += $f.Length }
        $newest = if ($files.Count) { $files[-1] } else { $null }
        [pscustomobject]@{
            PSTypeName = 'PortReport.ReporterLog'
            Log        = $kind
            Files      = $files.Count
            TotalBytes = $total
            Newest     = if ($newest) { $newest.Name } else { $null }
            LastWrite  = if ($newest) { $newest.LastWriteTime } else { $null }
        }
    }
    $lastWrite = $null
    foreach ($l in $logs) { if ($l.LastWrite -and (-not $lastWrite -or $l.LastWrite -gt $lastWrite)) { $lastWrite = $l.LastWrite } }
    $time = { param($t) if ($t) { [datetime]$t } else { $null } }
    [pscustomobject]@{
        PSTypeName  = 'PortReport.ReporterStatus'
        Installed   = $installed
        Enabled     = $enabled
        Running     = if ($IsWindows) { [bool]($service -and $service.Status -eq 'Running') } else { [bool]($logger -and $logger.Running) }
        ProcessId   = if ($logger -and $logger.Running) { [int]$logger.ProcessId } elseif ($IsWindows -and $service -and $service.Status -eq 'Running') { $first = Get-Content -LiteralPath (Join-Path $LogPath 'portreport.lock') -TotalCount 1 -ErrorAction Ignore; if ($first -match '^\d+$') { [int]$first } } else { $null }
        Definition  = if ($IsWindows) { $def.ServiceName } else { $def.UnitPath }
        LogPath     = $LogPath
        LockedSince = if ($logger -and ($logger.Running -or ($IsWindows -and $service -and $service.Status -eq 'Running'))) { & $time $logger.LockedSince } else { $null }
        LastWrite   = $lastWrite
        LastStart   = if ($logger) { & $time $logger.LastStart } else { $null }
        LastStop    = if ($logger) { & $time $logger.LastStop } else { $null }
        StopReason  = if ($logger) { $logger.StopReason } else { $null }
        LastGap     = if ($logger) { & $time $logger.LastGap } else { $null }
        GapMessage  = if ($logger) { $logger.GapMessage } else { $null }
        Logs        = $logs
    }
}
