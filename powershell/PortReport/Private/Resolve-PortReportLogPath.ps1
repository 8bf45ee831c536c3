function Resolve-PortReportLogPath {
    <#
    .SYNOPSIS
    Resolves -Path (wildcards) or -LiteralPath values to provider paths; a path that does not exist
    is a non-terminating error naming it, and the others are kept.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string[]] $Path,
        [string[]] $LiteralPath,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    foreach ($p in $Path) {
        # Test first: a failed Resolve-Path would leave its own error behind as well.
        if (-not (Test-Path -Path $p)) {
            $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new(
                [System.IO.FileNotFoundException]::new("Cannot find the log '$p'."), 'PortReport.LogNotFound', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $p))
            continue
        }
        foreach ($r in Resolve-Path -Path $p) { $r.ProviderPath }
    }
    foreach ($p in $LiteralPath) { $Cmdlet.GetUnresolvedProviderPathFromPSPath($p) }
}
