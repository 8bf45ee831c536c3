function Get-PortReporterDefinition {
    <#
    .SYNOPSIS
    Where the Port Reporter service definition lives (below -Root, for tests and image builds) and
    the exact command it runs: node and the sidecar by absolute path, then the watch arguments.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)] [string] $Root,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [string[]] $WatchArgument = @()
    )
    $name = 'portreport.service'
    # On Windows the service is named as Port Reporter's was; node is taken from PORTREPORT_NODE or Program Files.
    # -Root as PowerShell resolves paths (relative to $PWD), not the process directory.
    $Root = $Cmdlet.GetUnresolvedProviderPathFromPSPath($Root)
    $unitDir = Join-Path $Root 'etc' 'systemd' 'system'
    $sidecar = Resolve-PortReportSidecar -Cmdlet $Cmdlet
    # The service runs as root/SYSTEM at every boot: node and the sidecar by a trusted rule, not PATH.
    $why = [System.Collections.Generic.List[string]]::new()
    $node = Resolve-PortReporterExecutable -Name 'node' -Override $env:PORTREPORT_NODE -Reason $why
    $script = Resolve-PortReporterExecutable -Name 'main.js' -Override $sidecar.Script -Reason $why
    if (-not $node -or -not $script) {
        $what = if (-not $node) { 'Node.js in a system folder (/usr/bin, /usr/local/bin; or PORTREPORT_NODE)' } else { "the sidecar at '$($sidecar.Script)'" }
        $msg = "A service definition runs as root at every boot, so it needs $what owned by root and writable by no one else$(if ($why.Count) { ': ' + ($why -join '; ') })."
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.UnauthorizedAccessException]::new($msg), 'PortReport.UntrustedExecutable',
            [System.Management.Automation.ErrorCategory]::SecurityError, $what))
    }
    [pscustomobject]@{
        Name      = $name
        Root      = $Root
        IsSystem  = [System.IO.Path]::GetFullPath($Root) -eq '/'
        UnitPath  = Join-Path $unitDir $name
        WantsLink = Join-Path $unitDir 'multi-user.target.wants' $name
        ServiceName = 'PortReporter'
        Command   = @($node, $script, 'watch') + $WatchArgument
    }
}
