function Install-PortReporterUnit {
    <#
    .SYNOPSIS
    Write the systemd unit and its multi-user.target.wants link, all or nothing: the unit is written
    beside its place and renamed in, the link made last; when any step fails, what this call wrote
    is removed and the error raised from the calling cmdlet (no dangling link, no half unit).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [pscustomobject] $Definition,
        [Parameter(Mandatory)] [string] $Unit,
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $wantsDir = Split-Path $Definition.WantsLink
    $tmp = "$($Definition.UnitPath).$PID.tmp"
    $made = [System.Collections.Generic.List[string]]::new()
    try {
        foreach ($d in (Split-Path $Definition.UnitPath), $wantsDir) {
            if (-not (Test-Path -LiteralPath $d)) { [void][System.IO.Directory]::CreateDirectory($d); $made.Add($d) }
        }
        [System.IO.File]::WriteAllText($tmp, $Unit)
        [System.IO.File]::Move($tmp, $Definition.UnitPath, $true)
        $made.Add($Definition.UnitPath)
        if (Test-Path -LiteralPath $Definition.WantsLink) { Remove-Item -LiteralPath $Definition.WantsLink -Force }
        # The link points at the unit's path on the target system, not below -Root.
        [void][System.IO.File]::CreateSymbolicLink($Definition.WantsLink, "/etc/systemd/system/$($Definition.Name)")
    } catch {
        # Undo in reverse order what this call made (a replaced unit of an earlier install is gone with -Force).
        if ([System.IO.File]::Exists($tmp)) { [System.IO.File]::Delete($tmp) }
        for ($i = $made.Count - 1; $i -ge 0; $i--) {
            try { if ([System.IO.Directory]::Exists($made[$i])) { [System.IO.Directory]::Delete($made[$i]) } else { [System.IO.File]::Delete($made[$i]) } }
            catch { Write-Verbose "could not remove '$($made[$i])': $_" }
        }
        $e = $_.Exception
        while ($e.InnerException -and $e -is [System.Management.Automation.MethodInvocationException]) { $e = $e.InnerException }
        $Cmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
            [System.IO.IOException]::new("Port Reporter was not installed: $($e.Message) Nothing was left behind at '$($Definition.UnitPath)'.", $e),
            'PortReport.InstallFailed', [System.Management.Automation.ErrorCategory]::WriteError, $Definition.UnitPath))
    }
}
