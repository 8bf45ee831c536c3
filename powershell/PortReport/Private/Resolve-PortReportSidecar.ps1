function Resolve-PortReportSidecar {
    <#
    .SYNOPSIS
    Finds node and the sidecar script by absolute path, or throws a terminating error saying what is missing.
    .NOTES
    PORTREPORT_NODE and PORTREPORT_SIDECAR override the defaults (node on PATH; the sidecar built
    next to this module at ../../dist/src/cli/main.js). Both must resolve to absolute paths: the
    sidecar is never started through a shell or a relative name.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $node = $env:PORTREPORT_NODE
    if (-not $node) {
        $cmd = Get-Command -Name 'node' -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($cmd) { $node = $cmd.Source }
    }
    if (-not $node -or -not [System.IO.Path]::IsPathRooted($node) -or -not (Test-Path -LiteralPath $node -PathType Leaf)) {
        $msg = "Node.js was not found$(if ($node) { " at '$node'" }). PortReport's sidecar needs Node.js 20 or later: install it, put it on PATH, or set PORTREPORT_NODE to its absolute path."
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new($msg), 'PortReport.NodeNotFound',
            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $node))
    }

    $script = $env:PORTREPORT_SIDECAR
    if (-not $script) { $script = Join-Path $PSScriptRoot '..' '..' '..' 'dist' 'src' 'cli' 'main.js' }
    $script = [System.IO.Path]::GetFullPath($script)
    if (-not (Test-Path -LiteralPath $script -PathType Leaf)) {
        $msg = "The PortReport sidecar was not found at '$script'. Build it with 'npm run build' in the PortReport folder, or set PORTREPORT_SIDECAR to the absolute path of main.js."
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new($msg), 'PortReport.SidecarNotFound',
            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $script))
    }
    [pscustomobject]@{ Node = [System.IO.Path]::GetFullPath($node); Script = $script }
}
