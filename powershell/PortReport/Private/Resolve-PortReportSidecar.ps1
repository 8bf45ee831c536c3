function Resolve-PortReportSidecar {
    <#
    .SYNOPSIS
    Finds node and the sidecar script by absolute path, or throws a terminating error saying what is missing.
    .NOTES
    PORTREPORT_NODE and PORTREPORT_SIDECAR override the defaults (node on PATH; the sidecar in the
    module's own sidecar folder when installed, else the working copy's ../../dist/src/cli/main.js).
    Both must resolve to absolute paths: the sidecar is never started through a shell or a relative
    name.
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

    # Installed: sidecar/main.js inside the module folder (scripts/package.mjs). A working copy: the
    # build of the repository the module sits in. Every place looked is named when none has it.
    $candidates = if ($env:PORTREPORT_SIDECAR) { @($env:PORTREPORT_SIDECAR) }
    else { @((Join-Path $script:ModuleRoot 'sidecar' 'main.js'), (Join-Path $script:ModuleRoot '..' '..' 'dist' 'src' 'cli' 'main.js')) }
    $candidates = @($candidates | ForEach-Object { [System.IO.Path]::GetFullPath($_) })
    $script = $candidates | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    if (-not $script) {
        $msg = "The PortReport sidecar was not found; looked at: $($candidates -join ', '). Reinstall the module (Install-PSResource PortReport), build a working copy with 'bash scripts/setup.sh', or set PORTREPORT_SIDECAR to the absolute path of main.js."
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.FileNotFoundException]::new($msg), 'PortReport.SidecarNotFound',
            [System.Management.Automation.ErrorCategory]::ObjectNotFound, $candidates[0]))
    }
    [pscustomobject]@{ Node = [System.IO.Path]::GetFullPath($node); Script = $script }
}
