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
    $unitDir = Join-Path $Root 'etc' 'systemd' 'system'
    $sidecar = Resolve-PortReportSidecar -Cmdlet $Cmdlet
    [pscustomobject]@{
        Name      = $name
        UnitPath  = Join-Path $unitDir $name
        WantsLink = Join-Path $unitDir 'multi-user.target.wants' $name
        TaskName  = 'PortReporter'
        Command   = @($sidecar.Node, $sidecar.Script, 'watch') + $WatchArgument
    }
}
