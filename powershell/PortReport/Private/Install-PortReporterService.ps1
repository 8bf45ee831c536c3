function Install-PortReporterService {
    <#
    .SYNOPSIS
    Windows: registers the Port Reporter service (PortReportService.exe running the logger), started
    at boot as LocalSystem and restarted on failure, and starts it. All or nothing: a service that
    could not be configured is removed again.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] $Definition,
        [Parameter(Mandatory)] [string] $LogPath,
        [switch] $Force,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $name = $Definition.ServiceName
    $hostExe = $env:PORTREPORT_SERVICE_HOST
    if (-not $hostExe) { $hostExe = Join-Path $script:ModuleRoot 'bin' 'win-x64' 'PortReportService.exe' }
    if (-not (Test-Path -LiteralPath $hostExe -PathType Leaf)) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new("The Port Reporter service host was not found at '$hostExe'. Reinstall the module, or set PORTREPORT_SERVICE_HOST to the absolute path of PortReportService.exe."),
            'PortReport.ServiceHostNotFound', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $hostExe))
    }
    $existing = Get-Service -Name $name -ErrorAction Ignore
    if ($existing -and -not $Force) {
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.IOException]::new("The service '$name' exists already. Use -Force to replace it, or Uninstall-PortReporter first."),
            'PortReport.AlreadyInstalled', [System.Management.Automation.ErrorCategory]::ResourceExists, $name))
    }
    $binary = ConvertTo-PortReporterServiceCommand -ServiceHost ([System.IO.Path]::GetFullPath($hostExe)) -Command $Definition.Command
    if (-not $Cmdlet.ShouldProcess($name, "Register and start the Windows service that runs Port Reporter at boot ($binary)")) {
        return [pscustomobject]@{ PSTypeName = 'PortReport.ReporterInstallation'; Platform = 'Windows'; Name = $name; Path = $name; LogPath = $LogPath; Command = $Definition.Command; Enabled = $false; Started = $false }
    }
    if ($existing) {
        Stop-Service -Name $name -Force -ErrorAction Ignore
        & (Join-Path ([Environment]::SystemDirectory) 'sc.exe') delete $name | Out-Null
    }
    New-Service -Name $name -BinaryPathName $binary -DisplayName 'Port Reporter' -StartupType Automatic `
        -Description 'PortReport: logs every TCP/UDP connection with its process, user and service (the successor of Port Reporter). Installed by Install-PortReporter.' -ErrorAction Stop | Out-Null
    try {
        # Recovery: restart after a failure (the host exits 1 when the logger dies), a day to forget.
        $out = & (Join-Path ([Environment]::SystemDirectory) 'sc.exe') failure $name reset= 86400 actions= restart/60000/restart/60000/restart/60000 2>&1
        if ($LASTEXITCODE -ne 0) { throw "sc.exe failure $name gave exit code $($LASTEXITCODE): $out" }
        Start-Service -Name $name -ErrorAction Stop
    } catch {
        & (Join-Path ([Environment]::SystemDirectory) 'sc.exe') delete $name | Out-Null
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new("Port Reporter was not installed (the service is removed again): $($_.Exception.Message)"),
            'PortReport.InstallFailed', [System.Management.Automation.ErrorCategory]::WriteError, $name))
    }
    [pscustomobject]@{ PSTypeName = 'PortReport.ReporterInstallation'; Platform = 'Windows'; Name = $name; Path = $name; LogPath = $LogPath; Command = $Definition.Command; Enabled = $true; Started = ((Get-Service -Name $name).Status -eq 'Running') }
}
